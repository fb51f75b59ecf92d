from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.index, name="open_data_index"),
    path("<slug:slug>.<str:fmt>", views.dataset, name="open_data_dataset"),
]

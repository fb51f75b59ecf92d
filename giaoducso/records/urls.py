from django.urls import path

from .views import gradebook, summary

app_name = "records"

urlpatterns = [
    path("", gradebook.class_list, name="class_list"),
    path("classes/<int:pk>/", gradebook.class_detail, name="class_detail"),
    path("classes/<int:pk>/summary/", summary.summary, name="summary"),
    path("classes/<int:pk>/subjects/<int:subject_pk>/", gradebook.gradebook, name="gradebook"),
    path("classes/<int:pk>/subjects/<int:subject_pk>/cell/", gradebook.cell_save, name="cell_save"),
]

from django.urls import path

from .views import students

app_name = "directory"

urlpatterns = [
    path("students/", students.student_list, name="student_list"),
    path("students/<int:pk>/", students.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", students.student_edit, name="student_edit"),
]

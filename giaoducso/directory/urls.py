from django.urls import path

from .views import classes, facilities, schools, staff, students

app_name = "directory"

urlpatterns = [
    path("students/", students.student_list, name="student_list"),
    path("students/<int:pk>/", students.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", students.student_edit, name="student_edit"),
    path("students/export/", students.student_export, name="student_export"),
    path("students/<int:pk>/class/", students.student_set_class, name="student_set_class"),
    path("students/<int:pk>/status/", students.student_set_status, name="student_set_status"),
    path("students/<int:pk>/guardians/new/", students.guardian_add, name="guardian_add"),
    path("students/<int:pk>/guardians/<int:guardian_pk>/", students.guardian_edit, name="guardian_edit"),
    path(
        "students/<int:pk>/guardians/<int:guardian_pk>/remove/",
        students.guardian_remove,
        name="guardian_remove",
    ),
    path("schools/", schools.school_list, name="school_list"),
    path("schools/export/", schools.school_export, name="school_export"),
    path("schools/<str:code>/", schools.school_detail, name="school_detail"),
    path("schools/<str:code>/edit/", schools.school_edit, name="school_edit"),
    path("schools/<str:code>/classes/new/", classes.class_create, name="class_create"),
    path("schools/<str:code>/staff/new/", staff.staff_create, name="staff_create"),
    path("schools/<str:code>/students/new/", students.student_create, name="student_create"),
    path("schools/<str:code>/rooms/new/", facilities.room_create, name="room_create"),
    path("schools/<str:code>/equipment/new/", facilities.equipment_create, name="equipment_create"),
    path("years/", schools.year_list, name="year_list"),
    path("years/<int:pk>/current/", schools.year_set_current, name="year_set_current"),
    path("years/<int:pk>/terms/", schools.year_term_set, name="year_term_set"),
    path("classes/", classes.class_list, name="class_list"),
    path("classes/export/", classes.class_export, name="class_export"),
    path("classes/<int:pk>/", classes.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", classes.class_edit, name="class_edit"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/export/", staff.staff_export, name="staff_export"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/assign/", staff.staff_assign, name="staff_assign"),
    path("rooms/", facilities.room_list, name="room_list"),
    path("rooms/export/", facilities.room_export, name="room_export"),
    path("rooms/<int:pk>/edit/", facilities.room_edit, name="room_edit"),
    path("equipment/", facilities.equipment_list, name="equipment_list"),
    path("equipment/export/", facilities.equipment_export, name="equipment_export"),
    path("equipment/<int:pk>/edit/", facilities.equipment_edit, name="equipment_edit"),
]

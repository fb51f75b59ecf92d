from django.urls import path

from .views import admin_screens, auth, jobs, notifications, shell

app_name = "core"

urlpatterns = [
    path("", shell.home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/two-factor/", auth.two_factor, name="two_factor"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("switch-unit/", shell.switch_unit, name="switch_unit"),
    path("units/", admin_screens.unit_list, name="unit_list"),
    path("units/export.xlsx", admin_screens.unit_export, name="unit_export"),
    path("units/<str:code>/", admin_screens.unit_detail, name="unit_detail"),
    path("users/", admin_screens.user_list, name="user_list"),
    path("users/export.xlsx", admin_screens.user_export, name="user_export"),
    path("users/<int:pk>/", admin_screens.user_detail, name="user_detail"),
    path("audit/", admin_screens.audit_list, name="audit_list"),
    path("notifications/", notifications.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notifications.notification_mark_read, name="notification_mark_read"),
    path(
        "notifications/read-all/", notifications.notification_mark_all_read, name="notification_mark_all_read"
    ),
    path("notifications/unread-count/", notifications.unread_count, name="notification_unread_count"),
    path("notifications/preferences/", notifications.preferences, name="notification_preferences"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/system-check/", jobs.job_start_system_check, name="job_start_system_check"),
    path("jobs/audit-export/", jobs.job_start_audit_export, name="job_start_audit_export"),
    path("jobs/<uuid:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/progress/", jobs.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/download/", jobs.job_download, name="job_download"),
]

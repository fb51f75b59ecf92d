from django.urls import path

from .views import admin_screens, auth, notifications, shell

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
]

from django.urls import path

from .views import auth, notifications, shell

app_name = "core"

urlpatterns = [
    path("", shell.home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/two-factor/", auth.two_factor, name="two_factor"),
    path("switch-unit/", shell.switch_unit, name="switch_unit"),
    path("notifications/", notifications.notification_list, name="notification_list"),
]

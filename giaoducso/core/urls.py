from django.urls import path

from .views import accounts, accounts_password, admin_screens, auth, jobs, notifications, shell

app_name = "core"

urlpatterns = [
    # The signed-in workspace (and, signed out, what the platform offers). `/` is the public portal's
    # when the portal is installed; LOGIN_REDIRECT_URL sends people here.
    path("lam-viec/", shell.home, name="home"),
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/two-factor/", auth.two_factor, name="two_factor"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/forgot/", accounts_password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/forgot/sent/",
        accounts_password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/forgot/<uidb64>/<token>/",
        accounts_password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/forgot/done/",
        accounts_password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/me/", accounts.my_account, name="my_account"),
    path("switch-unit/", shell.switch_unit, name="switch_unit"),
    path("units/", admin_screens.unit_list, name="unit_list"),
    path("units/export.xlsx", admin_screens.unit_export, name="unit_export"),
    path("units/<str:code>/", admin_screens.unit_detail, name="unit_detail"),
    # Account administration (core/accounts.py holds the rule of who may manage whom).
    path("users/", accounts.account_list, name="user_list"),
    path("users/export.xlsx", accounts.account_export, name="user_export"),
    path("users/new/", accounts.account_create, name="account_create"),
    path("users/<int:pk>/", accounts.account_detail, name="user_detail"),
    path("users/<int:pk>/password/", accounts.account_reset_password, name="account_reset_password"),
    path("users/<int:pk>/unlock/", accounts.account_unlock, name="account_unlock"),
    path("users/<int:pk>/roles/", accounts.account_grant, name="account_grant"),
    path("users/<int:pk>/roles/<int:membership_pk>/revoke/", accounts.account_revoke, name="account_revoke"),
    path("users/<int:pk>/<str:action>/", accounts.account_set_active, name="account_set_active"),
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

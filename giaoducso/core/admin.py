"""The Django admin, behind our own sign-in, second factor and permission check.

The lead registers the scoped ModelAdmins here; this part only decides who reaches /admin/ at all.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .roles import Perm
from .scoping import has_perm


def admin_second_factor_missing(user: Any) -> bool:
    """The admin reaches every unit's data, so it always asks for TOTP, whatever the user's roles."""
    return bool(settings.OTP_REQUIRED) and not user.is_verified()


def admin_has_permission(request: HttpRequest) -> bool:
    user: Any = request.user
    if not (user.is_authenticated and user.is_active):
        return False
    if not (user.is_superuser or has_perm(user, Perm.USE_ADMIN)):
        return False
    return not admin_second_factor_missing(user)


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """Sends the admin's sign-in to ours, so that lockout, audit and TOTP apply the same way."""
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("admin:index")
    user: Any = request.user
    if not user.is_authenticated:
        return redirect(f"{reverse('core:login')}?{urlencode({'next': target})}")
    if not (user.is_superuser or has_perm(user, Perm.USE_ADMIN)):
        # Signing in again would not help; our login page would only bounce back here.
        raise PermissionDenied
    if admin_second_factor_missing(user):
        return redirect(f"{reverse('core:two_factor')}?{urlencode({'next': target})}")
    return redirect(target)


def install_admin_guard(site: admin.AdminSite) -> None:
    site.has_permission = admin_has_permission  # type: ignore[method-assign]
    site.login = admin_login  # type: ignore[method-assign]
    site.site_header = _("Quản trị hệ thống")
    site.site_title = _("Quản trị")


install_admin_guard(admin.site)

# The scoped ModelAdmins of core (registered on import).
from . import admin_models  # noqa: E402,F401

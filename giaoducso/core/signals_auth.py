"""Audit lines for signing in and out.

An allowed exception to "no logic in signals": these events are raised inside django.contrib.auth
(and by django-axes through it), so a receiver is the only place that sees every attempt, whichever
view or backend made it. The password never reaches these receivers in clear (Django masks it), and
nothing here copies the credentials dict anyway.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import audit
from .auth_backends import SYSTEM_ACCOUNT_REFUSED
from .models import AuditAction, Unit


def _home_unit(user: Any) -> Unit | None:
    """The unit whose audit readers should see this person's sign-ins: the top of their memberships."""
    membership = user.memberships.filter(is_active=True).select_related("unit").order_by("unit__path").first()
    return membership.unit if membership else None


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user, unit=_home_unit(user))


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # An anonymous visitor pressing "sign out" is not an event worth a line.
    if user is None or not getattr(user, "is_authenticated", False):
        return
    audit.record(actor=user, action=AuditAction.LOGOUT, obj=user, unit=_home_unit(user))


def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    attempted = str(credentials.get("username") or "").strip()[:150]
    user_model = get_user_model()
    field = "email__iexact" if "@" in attempted else "username__iexact"
    # Linking the line to the account lets its unit's IT staff notice someone guessing its password.
    target = user_model._default_manager.filter(**{field: attempted}).first() if attempted else None
    audit.record(
        actor=attempted or None,
        action=AuditAction.LOGIN_FAILED,
        object_type="core.user",
        object_id=str(target.pk) if target else "",
        object_repr=attempted,
        unit=_home_unit(target) if target else None,
        note=_failure_note(request),
    )


def _failure_note(request: Any) -> str:
    if getattr(request, "axes_locked_out", False):
        return "đang bị tạm khóa"
    if getattr(request, SYSTEM_ACCOUNT_REFUSED, False):
        return "tài khoản hệ thống chỉ dùng khóa API, không đăng nhập trực tiếp"
    return ""


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="giaoducso.audit.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="giaoducso.audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="giaoducso.audit.login_failed")

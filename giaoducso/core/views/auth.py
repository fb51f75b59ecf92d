"""Sign in (username or e-mail, lockout by django-axes), the TOTP second step and enrolment, sign out."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import otp
from ..forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """What django-axes shows after too many failures: a 429 with the reason, in Vietnamese."""
    return render(
        request,
        "core/locked_out.html",
        {"cooloff_minutes": _cooloff_minutes()},
        status=429,
    )


def _cooloff_minutes() -> int:
    from django.conf import settings

    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: enter the TOTP code; a user with no device yet enrols one first."""
    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request))
    device = otp.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = otp.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.verify_and_login(request, device, form.cleaned_data["otp_token"].strip()):
            if enrolling:
                messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
            return redirect(_safe_next(request))
        form.add_error("otp_token", _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất."))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context.update(secret=otp.base32_secret(device), qr_svg=otp.qr_svg(device))
    return render(request, "core/two_factor.html", context, status=400 if form.errors else 200)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("core:login")

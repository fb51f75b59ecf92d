"""Sign in (username or e-mail, lockout by django-axes), the TOTP second step and enrolment, sign out,
and the password change of a signed-in user."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import accounts, otp
from ..forms import LoginForm, PasswordChangeForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


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
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _min_password_length() -> int:
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith("MinimumLengthValidator"):
            return int(validator.get("OPTIONS", {}).get("min_length", 8))
    return 0


def _safe_next(request: HttpRequest) -> str:
    # Without a "next", the workspace (`/` is the public portal).
    home = resolve_url(settings.LOGIN_REDIRECT_URL)
    target = request.POST.get("next") or request.GET.get("next") or home
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return home
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
    # An empty POST is still a submission: it must show "required", not a blank form with 200.
    form = TokenForm(request.POST if request.method == "POST" else None)
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


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view (it keeps the session alive after the change); validators come from settings."""

    template_name = "core/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["min_length"] = _min_password_length()
        context["forced"] = self.request.user.must_change_password  # type: ignore[union-attr]
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        otp.record_password_change(self.request.user)
        accounts.password_changed_by_owner(self.request.user)  # type: ignore[arg-type]
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("core:login")

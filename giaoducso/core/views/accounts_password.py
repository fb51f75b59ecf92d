"""“Quên mật khẩu”: Django's password-reset views with our templates and wording.

The answer is the same whether or not the address belongs to an account (Django sends nothing when it
does not), and the e-mail's link is built from SITE_URL: a worker or a proxy's Host header must not
decide where a reset link points. A few requests per address of origin and quarter hour at most, quietly:
beyond that the same page shows and nothing is sent, so the form cannot flood a mailbox.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy

from .. import accounts, audit, ratelimit
from ..middleware import client_ip
from ..models import AuditAction

RESET_REQUESTS_PER_WINDOW = 5
RESET_WINDOW_SECONDS = 15 * 60


def site_url(request: Any) -> str:
    return (settings.SITE_URL or request.build_absolute_uri("/")).rstrip("/")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "core/accounts/password_reset.html"
    email_template_name = "core/accounts/password_reset_email.txt"
    subject_template_name = "core/accounts/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        client = client_ip(self.request) or "unknown"
        if not ratelimit.allow(
            "password-reset", client, limit=RESET_REQUESTS_PER_WINDOW, seconds=RESET_WINDOW_SECONDS
        ):
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"site_url": site_url(self.request), "site_name": settings.SITE_NAME}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/accounts/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        accounts.password_changed_by_owner(user)
        accounts.clear_lockout(user)
        audit.record(
            actor=user,
            action=AuditAction.UPDATE,
            obj=user,
            unit=accounts.home_unit(user),
            note="đặt lại mật khẩu qua thư điện tử",
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/accounts/password_reset_complete.html"

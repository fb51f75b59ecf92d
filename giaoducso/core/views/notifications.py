"""The user's own notifications: list (unread first), mark read, the header badge, preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import notifications as service
from .. import services
from ..models import Channel, Notification
from ..sms import normalize_phone

NOTIFICATIONS_PER_PAGE = 20
# htmx stops polling when it receives this status (used when the session has ended).
HTMX_STOP_POLLING = 286


def _changed(response: HttpResponse) -> HttpResponse:
    # Tells the header badge to refresh at once rather than at its next 30-second poll.
    response["HX-Trigger"] = "notifications-changed"
    return response


def _list_context(request: HttpRequest) -> dict[str, Any]:
    page = Paginator(service.notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return {"page": page, "notifications": page.object_list, "unread": service.unread_count(request.user)}


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/notification_list.html", _list_context(request))


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's notification is simply not there for this user.
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    service.notification_mark_read(user=request.user, notification=notification)
    if request.htmx:  # type: ignore[attr-defined]
        return _changed(render(request, "core/notification_item.html", {"n": notification}))
    return redirect("core:notification_list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = service.notification_mark_all_read(user=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return _changed(render(request, "core/notification_items.html", _list_context(request)))
    if count:
        messages.success(request, _("Đã đánh dấu %(n)d thông báo là đã đọc.") % {"n": count})
    return redirect("core:notification_list")


@require_GET
def unread_count(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return HttpResponse(status=HTMX_STOP_POLLING)
    response = render(
        request, "core/_unread_count.html", {"unread_notifications": service.unread_count(request.user)}
    )
    response["Cache-Control"] = "no-store"
    return response


class PreferencesForm(forms.Form):
    """One checkbox per kind × channel, and the phone number that SMS go to."""

    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại nhận SMS"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("10 chữ số bắt đầu bằng 0, hoặc +84. Để trống nếu không nhận SMS."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.rows: list[dict[str, Any]] = []
        for kind, label in service.NOTIFICATION_KINDS.items():
            row: dict[str, Any] = {"label": label, "fields": []}
            for channel, channel_label in Channel.choices:
                name = f"{kind}__{channel}"
                self.fields[name] = forms.BooleanField(label=f"{label}: {channel_label}", required=False)
                row["fields"].append(name)
            self.rows.append(row)

    def clean_phone(self) -> str:
        phone = self.cleaned_data.get("phone", "").strip()
        if not phone:
            return ""
        try:
            return normalize_phone(phone)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wants_sms = any(data.get(f"{kind}__{Channel.SMS}") for kind in service.NOTIFICATION_KINDS)
        if wants_sms and not data.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Hãy nhập số điện thoại để nhận thông báo qua SMS."))
        return data

    def preference_values(self) -> dict[tuple[str, str], bool]:
        return {
            (kind, channel): bool(self.cleaned_data.get(f"{kind}__{channel}"))
            for kind in service.NOTIFICATION_KINDS
            for channel in Channel.values
        }


def _initial(user: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {"phone": user.phone}
    for kind in service.NOTIFICATION_KINDS:
        prefs = service.preferences_for([user.pk], kind)
        for channel in Channel.values:
            initial[f"{kind}__{channel}"] = prefs[(user.pk, channel)]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=user)
        if form.is_valid():
            if form.cleaned_data["phone"] != user.phone:
                # The phone number is personal data: the audited service changes it.
                services.user_update(actor=user, user=user, phone=form.cleaned_data["phone"])
            service.notification_preferences_set(user=user, values=form.preference_values())
            messages.success(request, _("Đã lưu cách nhận thông báo."))
            return redirect("core:notification_preferences")
        status = 400
    else:
        form = PreferencesForm(initial=_initial(user), user=user)
        status = 200
    rows = [{"label": row["label"], "fields": [form[name] for name in row["fields"]]} for row in form.rows]
    return render(
        request,
        "core/notification_preferences.html",
        {"form": form, "rows": rows, "channels": Channel.choices},
        status=status,
    )

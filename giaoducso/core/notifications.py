"""Notifications: in-app rows for everyone, e-mail and SMS for those who want them.

`notify()` is the one way to tell people something. It writes the in-app rows in one query and, after the
transaction commits, enqueues one delivery task per e-mail or SMS, each taking the notification id only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Channel, Notification, NotificationPreference, Unit, User
from .sms import InvalidPhoneNumber, get_sms_backend, mask_phone, normalize_phone

logger = logging.getLogger(__name__)

# Every kind of notification, with the label people see on the preferences page. Apps add theirs with
# register_kind() when they load, so that a kind nobody can switch off never exists.
NOTIFICATION_KINDS: dict[str, str | Promise] = {
    "general": gettext_lazy("Thông báo chung"),
    "job_finished": gettext_lazy("Công việc nền đã xong"),
}

# What a user gets when they have never said otherwise.
DEFAULT_CHANNELS: dict[str, bool] = {Channel.IN_APP: True, Channel.EMAIL: True, Channel.SMS: False}

# How long a delivery remembers it has been made, so that a re-run task does not send twice.
DELIVERY_MEMORY_SECONDS = 7 * 24 * 3600


def register_kind(kind: str, label: str | Promise) -> None:
    NOTIFICATION_KINDS[kind] = label


def preferences_for(user_ids: Iterable[int], kind: str) -> dict[tuple[int, str], bool]:
    """{(user_id, channel): enabled} with the defaults filled in, in one query."""
    ids = list(user_ids)
    prefs = {(uid, channel): default for uid in ids for channel, default in DEFAULT_CHANNELS.items()}
    rows = NotificationPreference.objects.filter(user_id__in=ids, kind=kind).values_list(
        "user_id", "channel", "enabled"
    )
    for user_id, channel, enabled in rows:
        prefs[(user_id, channel)] = enabled
    return prefs


def _safe_url(url: str) -> str:
    # Only paths of this site: a notification must never send people elsewhere or run a javascript: URL.
    url = (url or "").strip()
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url):
        raise ValidationError(_("Liên kết của thông báo phải là một đường dẫn trong hệ thống."))
    return url[:500]


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    unit: Unit | None = None,
) -> list[Notification]:
    """Tells each recipient once. Returns the in-app notifications created."""
    if kind not in NOTIFICATION_KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; register it first")
    title = str(title).strip()
    if not title:
        raise ValidationError(_("Thông báo cần có tiêu đề."))
    url = _safe_url(url)
    people = {u.pk: u for u in recipients if u is not None and u.is_active}
    if not people:
        return []
    prefs = preferences_for(people, kind)
    now = timezone.now()
    rows = [
        Notification(
            recipient=user,
            kind=kind,
            title=title[:255],
            body=str(body),
            url=url,
            unit=unit,
            created_at=now,
            # Switched off in the app: the row still exists (e-mail and SMS deliver from it) but never
            # counts as unread.
            read_at=None if prefs[(uid, Channel.IN_APP)] else now,
        )
        for uid, user in people.items()
    ]
    created = Notification.objects.bulk_create(rows)
    email_ids = [n.pk for n in created if prefs[(n.recipient_id, Channel.EMAIL)] and n.recipient.email]
    sms_ids = [n.pk for n in created if prefs[(n.recipient_id, Channel.SMS)] and n.recipient.phone]
    if email_ids or sms_ids:
        transaction.on_commit(lambda: _enqueue_deliveries(email_ids, sms_ids))
    return created


def _enqueue_deliveries(email_ids: list[int], sms_ids: list[int]) -> None:
    from .tasks import deliver_notification_email, deliver_notification_sms

    for task, ids in ((deliver_notification_email, email_ids), (deliver_notification_sms, sms_ids)):
        for notification_id in ids:
            try:
                task.enqueue(notification_id)
            except Exception:
                # One unreachable queue must not stop the rest; the in-app notification is there anyway.
                logger.exception("Could not enqueue %s for notification %s", task.name, notification_id)


def _first_delivery(channel: str, notification: Notification) -> bool:
    """True the first time a delivery is attempted (cache.add is atomic in Redis and in local memory).

    The creation time is part of the key because ids can be reused after a rolled-back transaction.
    """
    key = f"notification:{channel}:{notification.pk}:{notification.created_at.timestamp()}"
    return cache.add(key, 1, DELIVERY_MEMORY_SECONDS)


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "")
    return f"{base.rstrip('/')}{url}" if base and url else ""


def deliver_email(notification_id: int) -> bool:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email or not notification.recipient.is_active:
        return False
    if not _first_delivery(Channel.EMAIL, notification):
        logger.info("Notification %s: e-mail already sent", notification_id)
        return False
    lines = [notification.body] if notification.body else []
    link = _absolute(notification.url)
    if link:
        lines.append(_("Xem chi tiết: %(link)s") % {"link": link})
    lines.append(f"— {settings.SITE_NAME}")
    send_mail(
        subject=notification.title,
        message="\n\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    return True


def deliver_sms(notification_id: int) -> bool:
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.phone or not notification.recipient.is_active:
        return False
    try:
        phone = normalize_phone(notification.recipient.phone)
    except InvalidPhoneNumber:
        logger.warning(
            "Notification %s: recipient %s has an invalid phone number %s; SMS not sent",
            notification_id,
            notification.recipient_id,
            mask_phone(notification.recipient.phone),
        )
        return False
    if not _first_delivery(Channel.SMS, notification):
        logger.info("Notification %s: SMS already sent", notification_id)
        return False
    get_sms_backend().send(phone, f"{settings.SITE_NAME}: {notification.title}")
    return True


# --- Reading and marking ----------------------------------------------------------------------


def notifications_for(user: User | Any) -> Any:
    """The user's own notifications, unread first, newest first within each group."""
    from django.db.models import Case, IntegerField, Value, When

    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Notification.objects.filter(recipient=user)
        .select_related("unit")
        .order_by(unread_first, "-created_at", "-id")
    )


def unread_count(user: User | Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, user: User | Any, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("Only the recipient may mark a notification read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user: User | Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_set(*, user: User | Any, values: dict[tuple[str, str], bool]) -> None:
    """Stores the user's choice for each (kind, channel) given."""
    for (kind, channel), enabled in values.items():
        if kind not in NOTIFICATION_KINDS or channel not in Channel.values:
            raise ValueError(f"Unknown notification preference {kind}/{channel}")
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, channel=channel, defaults={"enabled": bool(enabled)}
        )

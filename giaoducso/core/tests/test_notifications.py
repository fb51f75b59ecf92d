import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.urls import reverse
from django.utils import timezone

from giaoducso.core import notifications, sms
from giaoducso.core.models import AuditEntry, Channel, Notification, NotificationPreference
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def prefer(user, kind, channel, enabled):
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel, enabled=enabled)


def send(recipients, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notifications.notify(recipients=recipients, kind=kwargs.pop("kind", "general"), **kwargs)
    return created, callbacks


# --- notify() ----------------------------------------------------------------------------------


def test_notify_defaults_in_app_and_email_not_sms(world, django_capture_on_commit_callbacks, caplog):
    teacher = world.user(Role.TEACHER)
    teacher.phone = "0901234567"
    teacher.save()
    with caplog.at_level(logging.INFO, logger="giaoducso.core.sms"):
        created, _ = send(
            [teacher], django_capture_on_commit_callbacks, title="Lịch họp", body="Thứ Hai", url="/jobs/"
        )
    assert len(created) == 1
    n = Notification.objects.get(recipient=teacher)
    assert (n.title, n.body, n.url, n.read_at) == ("Lịch họp", "Thứ Hai", "/jobs/", None)
    assert [m.to for m in mail.outbox] == [[teacher.email]]
    assert mail.outbox[0].subject == "Lịch họp"
    assert "Thứ Hai" in mail.outbox[0].body
    assert not [r for r in caplog.records if r.name == "giaoducso.core.sms"]


def test_notify_respects_preferences(world, django_capture_on_commit_callbacks, caplog):
    quiet, sms_fan = world.user(Role.TEACHER), world.user(Role.PRINCIPAL)
    prefer(quiet, "general", Channel.EMAIL, False)
    prefer(quiet, "general", Channel.IN_APP, False)
    prefer(sms_fan, "general", Channel.SMS, True)
    prefer(sms_fan, "job_finished", Channel.EMAIL, False)  # another kind: no effect here
    sms_fan.phone = "+84 912 345 678"
    sms_fan.save()
    with caplog.at_level(logging.INFO, logger="giaoducso.core.sms"):
        send([quiet, sms_fan], django_capture_on_commit_callbacks, title="Nghỉ lễ")
    assert [m.to for m in mail.outbox] == [[sms_fan.email]]
    sms_lines = [r.getMessage() for r in caplog.records if r.name == "giaoducso.core.sms"]
    assert len(sms_lines) == 1
    assert "091*****78" in sms_lines[0] and "Nghỉ lễ" in sms_lines[0]
    assert "0912345678" not in sms_lines[0]  # the log keeps the number masked
    # Switched off in the app: kept (deliveries read from it), but never unread.
    assert Notification.objects.get(recipient=quiet).read_at is not None
    assert notifications.unread_count(quiet) == 0
    assert notifications.unread_count(sms_fan) == 1


def test_notify_enqueues_delivery_only_after_commit(world, django_capture_on_commit_callbacks):
    teacher = world.user(Role.TEACHER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify(recipients=[teacher], kind="general", title="Chờ commit")
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_email_delivery_is_safe_to_run_twice(world, django_capture_on_commit_callbacks):
    created, _ = send([world.user(Role.TEACHER)], django_capture_on_commit_callbacks, title="Một lần")
    assert len(mail.outbox) == 1
    assert notifications.deliver_email(created[0].pk) is False
    assert len(mail.outbox) == 1


def test_notify_skips_inactive_and_duplicate_recipients(world, django_capture_on_commit_callbacks):
    teacher = world.user(Role.TEACHER)
    gone = UserFactory(is_active=False)
    created, _ = send([teacher, teacher, gone], django_capture_on_commit_callbacks, title="Một lần thôi")
    assert [n.recipient for n in created] == [teacher]
    assert len(mail.outbox) == 1


def test_notify_rejects_unknown_kind_and_foreign_urls(world):
    teacher = world.user(Role.TEACHER)
    with pytest.raises(ValueError):
        notifications.notify(recipients=[teacher], kind="nope", title="x")
    for url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValidationError):
            notifications.notify(recipients=[teacher], kind="general", title="x", url=url)
    with pytest.raises(ValidationError):
        notifications.notify(recipients=[teacher], kind="general", title="  ")
    assert not Notification.objects.exists()


def test_sms_to_a_bad_stored_number_is_not_sent(world, django_capture_on_commit_callbacks, caplog):
    teacher = world.user(Role.TEACHER)
    teacher.phone = "12345"
    teacher.save()
    prefer(teacher, "general", Channel.SMS, True)
    with caplog.at_level(logging.INFO):
        send([teacher], django_capture_on_commit_callbacks, title="x")
    assert not [r for r in caplog.records if r.name == "giaoducso.core.sms"]
    assert any("invalid phone" in r.getMessage() for r in caplog.records)


# --- SMS adapter -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0901234567", "0901234567"),
        ("090 123 4567", "0901234567"),
        ("090.123.4567", "0901234567"),
        ("+84901234567", "0901234567"),
        ("+84 (90) 123-4567", "0901234567"),
    ],
)
def test_good_phone_numbers_normalise(raw, expected):
    assert sms.normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "123", "901234567", "09012345678", "1901234567", "+8490123456", "+85901234567", "09012345ab"]
)
def test_bad_phone_numbers_are_rejected_clearly(raw):
    with pytest.raises(sms.InvalidPhoneNumber) as info:
        sms.normalize_phone(raw)
    assert "10 chữ số bắt đầu bằng 0" in info.value.messages[0]


def test_logging_backend_logs_and_returns_an_id(caplog):
    backend = sms.get_sms_backend()
    assert isinstance(backend, sms.LoggingSmsBackend)
    with caplog.at_level(logging.INFO, logger="giaoducso.core.sms"):
        message_id = backend.send("0901234567", "Xin chào")
    assert len(message_id) == 32
    assert any(message_id in r.getMessage() and "Xin chào" in r.getMessage() for r in caplog.records)
    with pytest.raises(sms.InvalidPhoneNumber):
        backend.send("12", "x")
    with pytest.raises(ValidationError):
        backend.send("0901234567", "   ")


def test_misconfigured_sms_backend_fails_loudly(settings):
    settings.SMS_BACKEND = "giaoducso.core.models.Unit"
    with pytest.raises(ImproperlyConfigured):
        sms.get_sms_backend()
    settings.SMS_BACKEND = "giaoducso.nowhere.Backend"
    with pytest.raises(ImproperlyConfigured):
        sms.get_sms_backend()


# --- Screens -----------------------------------------------------------------------------------


def make(user, title, read=False, minutes_ago=0):
    now = timezone.now()
    return Notification.objects.create(
        recipient=user,
        title=title,
        created_at=now - dt.timedelta(minutes=minutes_ago),
        read_at=now if read else None,
    )


def test_list_shows_own_notifications_unread_first(client, world):
    teacher = world.user(Role.TEACHER)
    make(teacher, "Cũ đã đọc", read=True, minutes_ago=30)
    make(teacher, "Chưa đọc", minutes_ago=60)
    make(teacher, "Mới đã đọc", read=True, minutes_ago=5)
    make(world.stranger, "Của người khác")
    sign_in(client, teacher)
    html = client.get(reverse("core:notification_list")).content.decode()
    assert "Của người khác" not in html
    assert html.index("Chưa đọc") < html.index("Mới đã đọc") < html.index("Cũ đã đọc")


def test_list_pages(client, world, django_assert_max_num_queries):
    teacher = world.user(Role.TEACHER)
    for i in range(25):
        make(teacher, f"Thông báo số {i:02d}")
    sign_in(client, teacher)
    with django_assert_max_num_queries(15):
        first = client.get(reverse("core:notification_list")).content.decode()
    assert first.count('class="notification unread"') == 20
    assert "Trang 1/2" in first
    second = client.get(reverse("core:notification_list"), {"page": "2"}).content.decode()
    assert second.count('class="notification unread"') == 5
    assert client.get(reverse("core:notification_list"), {"page": "abc"}).status_code == 200


def test_mark_one_read_htmx_and_plain(client, world):
    teacher = world.user(Role.TEACHER)
    a, b = make(teacher, "A"), make(teacher, "B")
    sign_in(client, teacher)
    response = client.post(reverse("core:notification_mark_read", args=[a.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert f'id="notification-{a.pk}"' in response.content.decode()
    assert "Đánh dấu đã đọc" not in response.content.decode()
    a.refresh_from_db()
    assert a.read_at is not None
    response = client.post(reverse("core:notification_mark_read", args=[b.pk]))
    assert response.status_code == 302
    assert notifications.unread_count(teacher) == 0


def test_others_notifications_are_404(client, world):
    theirs = make(world.stranger, "Riêng tư")
    sign_in(client, world.user(Role.TEACHER))
    assert client.post(reverse("core:notification_mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_needs_post(client, world):
    teacher = world.user(Role.TEACHER)
    mine = make(teacher, "A")
    sign_in(client, teacher)
    assert client.get(reverse("core:notification_mark_read", args=[mine.pk])).status_code == 405


def test_mark_all_read_only_touches_own(client, world):
    teacher = world.user(Role.TEACHER)
    make(teacher, "A"), make(teacher, "B")
    theirs = make(world.stranger, "C")
    sign_in(client, teacher)
    response = client.post(reverse("core:notification_mark_all_read"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert notifications.unread_count(teacher) == 0
    assert notifications.unread_count(world.stranger) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_unread_badge_partial_polls(client, world):
    teacher = world.user(Role.TEACHER)
    make(teacher, "A"), make(teacher, "B"), make(teacher, "C", read=True)
    sign_in(client, teacher)
    html = client.get(reverse("core:notification_unread_count")).content.decode()
    assert 'id="unread-count"' in html
    assert 'hx-trigger="every 30s' in html
    assert ">2</span>" in html
    page = client.get(reverse("core:home")).content.decode()
    assert f'hx-get="{reverse("core:notification_unread_count")}"' in page


def test_unread_badge_stops_polling_when_signed_out(client):
    assert client.get(reverse("core:notification_unread_count")).status_code == 286


def test_preferences_show_defaults_and_save(client, world):
    teacher = world.user(Role.TEACHER)
    sign_in(client, teacher)
    page = client.get(reverse("core:notification_preferences"))
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["general__in_app"] is True
    assert form.initial["general__email"] is True
    assert form.initial["general__sms"] is False
    response = client.post(
        reverse("core:notification_preferences"),
        {"general__in_app": "on", "job_finished__sms": "on", "phone": "+84 901 234 567"},
    )
    assert response.status_code == 302
    prefs = notifications.preferences_for([teacher.pk], "general")
    assert prefs[(teacher.pk, Channel.IN_APP)] is True
    assert prefs[(teacher.pk, Channel.EMAIL)] is False
    assert notifications.preferences_for([teacher.pk], "job_finished")[(teacher.pk, Channel.SMS)] is True
    teacher.refresh_from_db()
    assert teacher.phone == "0901234567"
    line = AuditEntry.objects.filter(
        object_type="core.user", object_id=str(teacher.pk), action="update"
    ).get()
    assert line.changes["phone"] == ["", "0901234567"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"phone": "12345"}, "không hợp lệ"),
        ({"general__sms": "on", "phone": ""}, "Hãy nhập số điện thoại"),
    ],
)
def test_bad_preferences_are_400(client, world, data, message):
    teacher = world.user(Role.TEACHER)
    sign_in(client, teacher)
    response = client.post(reverse("core:notification_preferences"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not NotificationPreference.objects.filter(user=teacher).exists()
    teacher.refresh_from_db()
    assert teacher.phone == ""


def test_preferences_need_sign_in(client):
    response = client.get(reverse("core:notification_preferences"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_email_links_use_site_url(world, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://giaoducso.example.edu.vn"
    teacher = world.user(Role.TEACHER)
    send([teacher], django_capture_on_commit_callbacks, title="Có việc mới", body="Xem", url="/jobs/")
    assert "https://giaoducso.example.edu.vn/jobs/" in mail.outbox[0].body

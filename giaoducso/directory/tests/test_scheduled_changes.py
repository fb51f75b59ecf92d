"""Dated changes take effect on their date (issue 8, item 3).

Reported: a "dropped out" status dated 01/01/2030 showed at once and then refused every later change; a
transfer effective 15/12/2026 moved the student on approval. Now both are scheduled: the record is unchanged
until the day, shows what is scheduled (screen and API), the change can be cancelled before it, and the
scheduler carries it out on the day, once, audited as the system acting on the officer's decision.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from giaoducso.core import periodic
from giaoducso.core.models import AuditEntry, Notification
from giaoducso.core.roles import Role
from giaoducso.directory import services, transfers
from giaoducso.directory.models import (
    ChangeState,
    Enrolment,
    ScheduledChange,
    Student,
    StudentStatus,
    StudentStatusEvent,
    Transfer,
    TransferStatus,
)
from giaoducso.directory.services.changes import SYSTEM_ACTOR
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import (
    ClassFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    UserFactory,
)
from giaoducso.testing.openapi import OpenApiClient

from .test_api_directory import bearer, call, error_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)
NEW_YEAR_2030 = dt.date(2030, 1, 1)


@pytest.fixture
def child(world):
    """School A's child, studying since 05/09/2026 in 6/1."""
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    klass = ClassFactory(school=world.school_a, year=year, name="6/1")
    SchoolFactory(unit=world.school_b, level="lower_secondary")
    services.student_set_class(actor=None, student=world.child, school_class=klass, date=dt.date(2026, 9, 5))
    services.student_set_status(
        actor=None, student=world.child, status=StudentStatus.STUDYING, date=dt.date(2026, 9, 5), today=TODAY
    )
    world.child.refresh_from_db()
    return world.child


def _principal(world):
    return world.user(Role.PRINCIPAL)


def _principal_b(world):
    user = UserFactory(username="principal_b", full_name="Hiệu trưởng B")
    MembershipFactory(user=user, unit=world.school_b, role=Role.PRINCIPAL)
    return user


# --- a status dated later -------------------------------------------------------------------------


def test_a_status_dated_later_is_scheduled_not_applied(world, child):
    officer = world.user(Role.SCHOOL_OFFICE)
    change = services.student_set_status(
        actor=officer, student=child, status=StudentStatus.DROPPED_OUT, date=NEW_YEAR_2030, today=TODAY
    )
    assert isinstance(change, ScheduledChange) and change.state == ChangeState.SCHEDULED
    child.refresh_from_db()
    assert child.status == StudentStatus.STUDYING
    assert not StudentStatusEvent.objects.filter(student=child, status=StudentStatus.DROPPED_OUT).exists()
    # The record is not locked: a change dated today is accepted.
    services.student_set_status(
        actor=officer, student=child, status=StudentStatus.RETURNED, date=TODAY, today=TODAY
    )
    child.refresh_from_db()
    assert child.status == StudentStatus.RETURNED
    # One decision waits at a time; the message says which and how to go on.
    with pytest.raises(Exception) as refused:
        services.student_set_status(
            actor=officer,
            student=child,
            status=StudentStatus.GRADUATED,
            date=dt.date(2030, 6, 1),
            today=TODAY,
        )
    assert "01/01/2030" in str(refused.value) and "hủy" in str(refused.value)


def test_the_screen_shows_it_scheduled_and_accepts_a_later_change(client, world, child):
    """The reported defect, through the screen: before the fix the status showed at once and the next
    change was refused ("Ngày phải từ 01/01/2030 trở đi")."""
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    url = reverse("directory:student_set_status", args=[child.pk])
    response = client.post(url, {"st-status": "dropped_out", "st-date": "01/01/2030", "st-note": "Theo đơn"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.status == StudentStatus.STUDYING
    page = client.get(reverse("directory:student_detail", args=[child.pk])).content.decode()
    assert "Thay đổi đã lên lịch" in page and "01/01/2030" in page and "Bỏ học" in page
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(url, {"st-status": "returned", "st-date": today, "st-note": ""})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.status == StudentStatus.RETURNED


def test_cancel_before_the_day_on_the_screen(client, world, child):
    change = services.student_set_status(
        actor=_principal(world),
        student=child,
        status=StudentStatus.DROPPED_OUT,
        date=NEW_YEAR_2030,
        today=TODAY,
    )
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    url = reverse("directory:student_change_cancel", args=[child.pk, change.pk])
    assert client.post(url, {"cancel-reason": ""}).status_code == 302
    change.refresh_from_db()
    assert change.state == ChangeState.SCHEDULED  # a reason is required
    client.post(url, {"cancel-reason": "Gia đình rút đơn"})
    change.refresh_from_db()
    assert change.state == ChangeState.CANCELLED and change.outcome == "Gia đình rút đơn"
    line = AuditEntry.objects.filter(object_type="directory.scheduledchange", action="update").get()
    assert line.note == "Gia đình rút đơn" and line.actor == world.user(Role.SCHOOL_OFFICE)
    # Nothing happens on the day.
    assert services.scheduled_changes_apply_due(NEW_YEAR_2030) == {"applied": 0, "failed": 0}
    # A teacher sees the student but cannot cancel: not found, like anything out of reach.
    change2 = services.student_set_status(
        actor=None, student=child, status=StudentStatus.DROPPED_OUT, date=NEW_YEAR_2030, today=TODAY
    )
    sign_in(client, world.user(Role.TEACHER))
    url = reverse("directory:student_change_cancel", args=[child.pk, change2.pk])
    assert client.post(url, {"cancel-reason": "x"}).status_code == 404


def test_the_scheduler_applies_it_on_the_day_once(world, child):
    decider = _principal(world)
    change = services.student_set_status(
        actor=decider, student=child, status=StudentStatus.DROPPED_OUT, date=NEW_YEAR_2030, today=TODAY
    )
    assert services.scheduled_changes_apply_due(dt.date(2029, 12, 31)) == {"applied": 0, "failed": 0}
    assert services.scheduled_changes_apply_due(NEW_YEAR_2030) == {"applied": 1, "failed": 0}
    # Idempotent: a second run (cron and an operator, a retried task) changes nothing.
    assert services.scheduled_changes_apply_due(NEW_YEAR_2030) == {"applied": 0, "failed": 0}
    assert services.scheduled_change_apply(change_id=change.pk, today=NEW_YEAR_2030) == ""
    child.refresh_from_db()
    assert child.status == StudentStatus.DROPPED_OUT
    event = StudentStatusEvent.objects.get(student=child, status=StudentStatus.DROPPED_OUT)
    assert event.date == NEW_YEAR_2030
    change.refresh_from_db()
    assert change.state == ChangeState.APPLIED and change.applied_at is not None
    # Audited as the system, acting on the principal's decision.
    line = AuditEntry.objects.get(object_type="directory.studentstatusevent", object_id=str(event.pk))
    assert line.actor is None and line.actor_label == SYSTEM_ACTOR
    assert decider.username in line.note and f"#{change.pk}" in line.note


def test_the_daily_command_runs_the_registered_entry(world, child):
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.DROPPED_OUT, date=NEW_YEAR_2030, today=TODAY
    )
    assert "directory.scheduled_changes" in periodic.PERIODIC
    call_command("run_periodic", date="2030-01-02")
    child.refresh_from_db()
    assert child.status == StudentStatus.DROPPED_OUT
    call_command("run_periodic", date="2030-01-02")  # again: nothing more
    assert StudentStatusEvent.objects.filter(student=child, status=StudentStatus.DROPPED_OUT).count() == 1


def test_a_change_that_no_longer_fits_fails_and_tells_the_decider(world, child):
    decider = _principal(world)
    change = services.student_set_status(
        actor=decider,
        student=child,
        status=StudentStatus.DROPPED_OUT,
        date=dt.date(2026, 12, 20),
        today=TODAY,
    )
    # Meanwhile (the scheduler did not run for days) a later status was entered.
    services.student_set_status(
        actor=None,
        student=child,
        status=StudentStatus.RETURNED,
        date=dt.date(2026, 12, 28),
        today=dt.date(2026, 12, 28),
    )
    assert services.scheduled_changes_apply_due(dt.date(2026, 12, 28)) == {"applied": 0, "failed": 1}
    change.refresh_from_db()
    assert change.state == ChangeState.FAILED and "28/12/2026" in change.outcome
    child.refresh_from_db()
    assert child.status == StudentStatus.RETURNED
    assert Notification.objects.filter(recipient=decider, title__contains="không thực hiện được").exists()


def test_the_api_shows_and_cancels_a_scheduled_change(world, child):
    api = OpenApiClient()
    h = bearer(world.user(Role.SCHOOL_OFFICE))
    url = f"/api/v1/students/{child.pk}"
    response = call(api, "POST", f"{url}/status", h, {"status": "dropped_out", "date": "2030-01-01"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "studying"
    [waiting] = body["scheduled_changes"]
    assert (
        waiting["kind"] == "status" and waiting["status"] == "dropped_out" and waiting["date"] == "2030-01-01"
    )
    cancel = f"{url}/scheduled-changes/{waiting['id']}/cancel"
    error_of(call(api, "POST", cancel, h, {}), 422)
    response = call(api, "POST", cancel, h, {"reason": "Nhập nhầm ngày"})
    assert response.status_code == 200 and response.json()["scheduled_changes"] == []
    error_of(call(api, "POST", cancel, h, {"reason": "lần nữa"}), 422)
    # A teacher may not: 404, as for every record out of reach.
    teacher = bearer(world.user(Role.TEACHER))
    assert call(api, "GET", url, teacher).json()["scheduled_changes"] is None
    error_of(call(api, "POST", cancel, teacher, {"reason": "x"}), 404)


# --- a transfer effective later -------------------------------------------------------------------


def _request(world, child, effective_date):
    return transfers.transfer_request(
        actor=world.user(Role.SCHOOL_OFFICE),
        student=child,
        to_school=world.school_b,
        requested_by_school=world.school_a,
        reason="Chuyển nhà",
        effective_date=effective_date,
    )


def test_a_transfer_approved_for_a_later_day_moves_the_student_on_that_day(world, child):
    transfer = _request(world, child, dt.date(2026, 12, 15))
    principal_b = _principal_b(world)
    transfers.transfer_approve(actor=principal_b, transfer=transfer, note="Đồng ý", today=TODAY)
    transfer.refresh_from_db()
    child.refresh_from_db()
    # The reported defect: the student moved on approval. Now they stay until 15/12/2026.
    assert transfer.status == TransferStatus.SCHEDULED
    assert child.school == world.school_a and child.status == StudentStatus.STUDYING
    assert child.current_class is not None
    assert Enrolment.objects.get(student=child).end_date is None
    change = ScheduledChange.objects.get(transfer=transfer)
    assert change.date == dt.date(2026, 12, 15) and change.decided_by == principal_b
    # No second request while one waits.
    with pytest.raises(transfers.TransferError):
        _request(world, child, None)

    assert services.scheduled_changes_apply_due(dt.date(2026, 12, 14)) == {"applied": 0, "failed": 0}
    assert services.scheduled_changes_apply_due(dt.date(2026, 12, 15)) == {"applied": 1, "failed": 0}
    assert services.scheduled_changes_apply_due(dt.date(2026, 12, 15)) == {"applied": 0, "failed": 0}
    transfer.refresh_from_db()
    child.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED
    assert child.school == world.school_b and child.status == StudentStatus.TRANSFERRED_IN
    assert Enrolment.objects.get(student=child).end_date == dt.date(2026, 12, 15)
    assert StudentStatusEvent.objects.filter(student=child, date=dt.date(2026, 12, 15)).count() == 2
    line = AuditEntry.objects.get(
        object_type="directory.student", object_id=str(child.pk), changes__has_key="school"
    )
    assert line.actor_label == SYSTEM_ACTOR and "principal_b" in line.note


def test_a_scheduled_transfer_is_shown_and_cancelled_on_the_screens(client, world, child):
    day = timezone.localdate() + dt.timedelta(days=13)
    transfer = _request(world, child, day)
    principal_b = _principal_b(world)
    sign_in(client, principal_b)
    response = client.post(reverse("directory:transfer_decide", args=[transfer.pk, "approve"]), {"note": ""})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.school == world.school_a  # not moved yet
    page = client.get(reverse("directory:transfer_detail", args=[transfer.pk])).content.decode()
    assert "Đã duyệt, chờ đến ngày chuyển" in page and day.strftime("%d/%m/%Y") in page

    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    page = client.get(reverse("directory:student_detail", args=[child.pk])).content.decode()
    assert "Chuyển trường" in page and world.school_b.name in page and day.strftime("%d/%m/%Y") in page
    change = ScheduledChange.objects.get(transfer=transfer)
    client.post(
        reverse("directory:student_change_cancel", args=[child.pk, change.pk]),
        {"cancel-reason": "Gia đình ở lại"},
    )
    transfer.refresh_from_db()
    change.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED and change.state == ChangeState.CANCELLED
    assert "Gia đình ở lại" in transfer.decision_note
    assert services.scheduled_changes_apply_due(day) == {"applied": 0, "failed": 0}
    assert Student.objects.get(pk=child.pk).school == world.school_a
    assert Transfer.objects.filter(student=child).count() == 1


def test_the_destination_can_cancel_a_scheduled_transfer_from_the_transfer_screen(client, world, child):
    transfer = _request(world, child, dt.date(2026, 12, 15))
    principal_b = _principal_b(world)
    transfers.transfer_approve(actor=principal_b, transfer=transfer, today=TODAY)
    sign_in(client, principal_b)
    url = reverse("directory:transfer_decide", args=[transfer.pk, "unschedule"])
    assert client.post(url, {"note": ""}).status_code == 400  # a reason is required
    assert client.post(url, {"note": "Hết chỗ"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED

"""Dated changes: a decision taken today that acts on a later day (models_changes.py).

A status dated after today is scheduled, not written into the history; an approved transfer effective after
today is scheduled the same way (transfers.transfer_approve). Until its day the change shows on the record,
in the API, and can be cancelled; on its day `scheduled_changes_apply_due` (the daily entry registered with
core.periodic) carries it out. Carrying out is idempotent (the row is locked and its state checked) and
audited as the system acting on the decision of the person who scheduled it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.notifications import NOTIFICATION_KINDS, notify, register_kind
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm

from .. import transfers
from ..models import (
    ChangeKind,
    ChangeState,
    ScheduledChange,
    Student,
    StudentStatusEvent,
)

NOTIFICATION_KIND = "directory_scheduled_change"
if NOTIFICATION_KIND not in NOTIFICATION_KINDS:
    register_kind(NOTIFICATION_KIND, gettext_lazy("Thay đổi đã lên lịch"))

# Who the audit log names when the scheduler acts; the note names whose decision it carries out.
SYSTEM_ACTOR = "hệ thống (thay đổi theo lịch)"
CHANGE_FIELDS = ("state", "applied_at", "cancelled_by", "cancelled_at", "outcome")


def last_status_event(student: Student) -> StudentStatusEvent | None:
    """The latest line of the history that still stands (corrected lines do not count)."""
    return student.status_events.filter(corrected_at__isnull=True).order_by("-date", "-id").first()


def waiting_change(student: Student) -> ScheduledChange | None:
    return ScheduledChange.objects.filter(student=student, state=ChangeState.SCHEDULED).first()


def append_status_event(
    *, actor: Actor, student: Student, status: str, date: _dt.date, note: str = "", audit_note: str = ""
) -> StudentStatusEvent:
    """Adds a line to the status history and makes it the student's current status (both audited)."""
    event = StudentStatusEvent(school=student.school, student=student, status=status, date=date, note=note)
    event.full_clean()
    event.save()
    audit.record_create(actor=actor, obj=event, note=audit_note)
    before = audit.snapshot(student, ("status",))
    student.status = status
    student.save(update_fields=["status", "updated_at"])
    audit.record_update(actor=actor, obj=student, before=before, note=audit_note)
    return event


def _already_waiting(change: ScheduledChange) -> ValidationError:
    return ValidationError(
        {
            "date": [
                _(
                    "Học sinh đã có một thay đổi lên lịch (%(kind)s, ngày %(date)s). "
                    "Hãy hủy thay đổi đó trước khi lên lịch thay đổi khác."
                )
                % {"kind": change.get_kind_display(), "date": f"{change.date:%d/%m/%Y}"}
            ]
        }
    )


@transaction.atomic
def status_change_schedule(
    *, actor: Actor, student: Student, status: str, date: _dt.date, note: str = ""
) -> ScheduledChange:
    """A status that starts on a later day: kept as scheduled, the record unchanged until then."""
    waiting = waiting_change(student)
    if waiting is not None:
        raise _already_waiting(waiting)
    change = ScheduledChange(
        school=student.school,
        student=student,
        kind=ChangeKind.STATUS,
        status=status,
        date=date,
        note=note or "",
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():  # a savepoint: losing the race to the one-scheduled constraint
            change.save()
    except IntegrityError as exc:
        raise _already_waiting(waiting_change(student) or change) from exc
    audit.record_create(actor=actor, obj=change, note="Lên lịch đổi trạng thái")
    return change


def can_cancel(user: Any, change: ScheduledChange) -> bool:
    if change.state != ChangeState.SCHEDULED:
        return False
    if change.kind == ChangeKind.TRANSFER and change.transfer is not None:
        return transfers.can_unschedule(user, change.transfer)
    return has_perm(user, Perm.CHANGE_STUDENT, change.school)


@transaction.atomic
def scheduled_change_cancel(*, actor: Actor, change: ScheduledChange, reason: str) -> ScheduledChange:
    """Withdraws a change before its day; a scheduled transfer is cancelled with it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Hãy ghi lí do hủy.")]})
    if len(reason) > 500:
        raise ValidationError({"reason": [_("Lí do dài tối đa 500 ký tự.")]})
    change = (
        ScheduledChange.objects.select_for_update(of=("self",))
        .select_related("school", "student", "transfer__from_school", "transfer__to_school")
        .get(pk=change.pk)
    )
    if change.state != ChangeState.SCHEDULED:
        raise ValidationError(_("Thay đổi này đã được thực hiện hoặc đã hủy; không thể hủy nữa."))
    if not can_cancel(actor, change):
        raise PermissionDenied(_("Bạn không có quyền hủy thay đổi này."))
    before = audit.snapshot(change, CHANGE_FIELDS)
    change.state = ChangeState.CANCELLED
    change.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
    change.cancelled_at = timezone.now()
    change.outcome = reason
    change.save()
    audit.record_update(actor=actor, obj=change, before=before, note=reason[:255])
    if change.transfer is not None:
        transfers.transfer_unschedule(actor=actor, transfer=change.transfer, reason=reason)
    return change


# --- the scheduler's side -----------------------------------------------------------------------------


def _decision_note(change: ScheduledChange) -> str:
    who = change.decided_by.username if change.decided_by is not None else "—"
    return (
        f"Thay đổi đã lên lịch #{change.pk}: theo quyết định của {who} "
        f"ngày {timezone.localtime(change.created_at):%d/%m/%Y}"
    )


def _carry_out_status(change: ScheduledChange, note: str) -> None:
    student = Student.objects.select_for_update().get(pk=change.student_id)
    if student.school_id != change.school_id:
        raise ValidationError(_("Học sinh không còn học ở trường đã lên lịch thay đổi."))
    last = last_status_event(student)
    if last is not None and last.date > change.date:
        raise ValidationError(
            _("Hồ sơ đã có trạng thái ngày %(date)s, sau ngày của thay đổi này.")
            % {"date": f"{last.date:%d/%m/%Y}"}
        )
    append_status_event(
        actor=SYSTEM_ACTOR,
        student=student,
        status=change.status,
        date=change.date,
        note=change.note,
        audit_note=note,
    )


def scheduled_change_apply(*, change_id: int, today: _dt.date) -> str:
    """Carries out one due change; returns its new state, or "" when there was nothing to do (not due, or
    done already: a second run changes nothing). A change that no longer fits the record is marked failed
    with the reason, and the person who decided it is told."""
    with transaction.atomic():
        change = (
            ScheduledChange.objects.select_for_update(of=("self",))
            .select_related("school", "student", "decided_by", "transfer")
            .filter(pk=change_id)
            .first()
        )
        if change is None or change.state != ChangeState.SCHEDULED or change.date > today:
            return ""
        note = _decision_note(change)
        before = audit.snapshot(change, CHANGE_FIELDS)
        try:
            with transaction.atomic():
                if change.kind == ChangeKind.TRANSFER and change.transfer is not None:
                    transfers.transfer_carry_out(actor=SYSTEM_ACTOR, transfer=change.transfer, note=note)
                else:
                    _carry_out_status(change, note)
        except ValidationError as exc:
            change.state = ChangeState.FAILED
            change.outcome = "; ".join(exc.messages)[:500]
        else:
            change.state = ChangeState.APPLIED
        change.applied_at = timezone.now()
        change.save()
        audit.record_update(actor=SYSTEM_ACTOR, obj=change, before=before, note=note[:255])
        if change.state == ChangeState.FAILED and change.decided_by is not None:
            notify(
                recipients=[change.decided_by],
                kind=NOTIFICATION_KIND,
                title=_("Thay đổi đã lên lịch không thực hiện được"),
                body=f"{change.student.full_name}: {change.outcome}",
                url=reverse("directory:student_detail", args=[change.student_id]),
                unit=change.school,
            )
        return str(change.state)


def scheduled_changes_apply_due(today: _dt.date) -> dict[str, Any]:
    """The daily entry: every scheduled change whose day has come, oldest first (catches up missed days)."""
    due = list(
        ScheduledChange.objects.filter(state=ChangeState.SCHEDULED, date__lte=today)
        .order_by("date", "id")
        .values_list("pk", flat=True)
    )
    outcome = {"applied": 0, "failed": 0}
    for pk in due:
        state = scheduled_change_apply(change_id=pk, today=today)
        if state == ChangeState.APPLIED:
            outcome["applied"] += 1
        elif state == ChangeState.FAILED:
            outcome["failed"] += 1
    return outcome

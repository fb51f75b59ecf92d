"""Transfers between schools: one side asks, the other decides; on approval the record moves whole.

Either school may ask: the destination ("xin chuyển đến", after finding the student by personal identifier
and date of birth) or the source ("chuyển đi"). Only the other side decides. Approval moves the student in
one transaction and keeps every history row where it was: the source school still sees the transfer and its
own status events and enrolments (they carry its unit), the destination sees the student from then on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import audit, context, ratelimit
from giaoducso.core.models import AuditAction, Membership, Unit, UnitKind, User
from giaoducso.core.notifications import NOTIFICATION_KINDS, notify, register_kind
from giaoducso.core.roles import Perm, role_allows
from giaoducso.core.scoping import get_scoped_or_404, has_perm, memberships_for, scoped
from rules import transfers as transfer_rules
from rules.identifiers import is_personal_id_format

from .models import (
    ChangeKind,
    ChangeState,
    Enrolment,
    Guardian,
    ScheduledChange,
    School,
    Student,
    StudentStatus,
    StudentStatusEvent,
    Transfer,
    TransferStatus,
)
from .selectors import current_year_for

NOTIFICATION_KIND = "directory_transfer"
if NOTIFICATION_KIND not in NOTIFICATION_KINDS:
    register_kind(NOTIFICATION_KIND, gettext_lazy("Chuyển trường"))

STUDENT_MOVED_FIELDS = ("school", "status", "current_class")


class TransferError(ValidationError):
    """A refused transfer step, with a Vietnamese message for the person who tried it."""


@dataclass(frozen=True)
class StudentMatch:
    """All that the destination school may learn before asking: who, and where they study now."""

    student_id: int
    full_name: str
    school_name: str
    school_id: int


# --- reads ----------------------------------------------------------------------------------------


def transfer_queryset(*, user: Any) -> QuerySet[Transfer]:
    return scoped(
        Transfer.objects.select_related("student", "from_school", "to_school", "requested_by_school"),
        user,
        Perm.VIEW_STUDENT,
    )


def _side_q(user: Any, field: str) -> Q:
    """Rows whose `field` school lies in a subtree where the user may see students."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Q()
    condition = Q(pk__in=[])
    for membership in memberships_for(user):
        if role_allows(membership.role, Perm.VIEW_STUDENT):
            condition |= Q(**{f"{field}__path__startswith": membership.unit.path})
    return condition


def transfer_list(*, user: Any, direction: str = "", status: str = "") -> QuerySet[Transfer]:
    """Incoming: students coming to the user's schools; outgoing: students leaving them."""
    transfers = transfer_queryset(user=user)
    if direction == "in":
        transfers = transfers.filter(_side_q(user, "to_school"))
    elif direction == "out":
        transfers = transfers.filter(_side_q(user, "from_school"))
    if status:
        transfers = transfers.filter(status=status)
    return transfers.order_by("-created_at", "-id")


def transfer_get(*, user: Any, pk: Any) -> Transfer:
    return get_scoped_or_404(
        Transfer.objects.select_related(
            "student", "from_school", "to_school", "requested_by_school", "requested_by", "decided_by"
        ),
        user,
        Perm.VIEW_STUDENT,
        pk=pk,
    )


def transfer_history(*, user: Any, transfer: Transfer) -> QuerySet[StudentStatusEvent]:
    """The student's status events that this user may see: each school keeps its own lines."""
    return scoped(
        StudentStatusEvent.objects.filter(student_id=transfer.student_id).select_related("school"),
        user,
        Perm.VIEW_STUDENT,
    ).order_by("date", "id")


def deciding_school(transfer: Transfer) -> Unit:
    return (
        transfer.to_school
        if transfer.requested_by_school_id == transfer.from_school_id
        else transfer.from_school
    )


def can_decide(user: Any, transfer: Transfer) -> bool:
    return (
        transfer.status == TransferStatus.PENDING
        and transfer.requested_by_id != getattr(user, "pk", None)
        and has_perm(user, Perm.CHANGE_STUDENT, deciding_school(transfer))
    )


def can_cancel(user: Any, transfer: Transfer) -> bool:
    return transfer.status == TransferStatus.PENDING and has_perm(
        user, Perm.CHANGE_STUDENT, transfer.requested_by_school
    )


def schools_where(user: Any, perm: str = Perm.CHANGE_STUDENT) -> QuerySet[Unit]:
    """The schools in which the user may act for students (the 'on behalf of' choices)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return Unit.objects.filter(kind=UnitKind.SCHOOL, is_active=True)
    condition = Q(pk__in=[])
    for membership in memberships_for(user):
        if role_allows(membership.role, perm):
            condition |= Q(path__startswith=membership.unit.path)
    return Unit.objects.filter(condition, kind=UnitKind.SCHOOL, is_active=True).order_by("name")


# --- finding the student (destination side) -------------------------------------------------------


class TransferLookupThrottled(TransferError):
    """Too many failed lookups lately, from this account or this address."""


def _lookup_clients(actor: Any) -> list[str]:
    clients = [f"user:{getattr(actor, 'pk', None)}"]
    ip = context.current().ip_address
    if ip:
        clients.append(f"ip:{ip}")
    return clients


def _lookup_throttled(clients: list[str]) -> bool:
    return ratelimit.reached("transfer-lookup-failures", clients, limit=settings.TRANSFER_LOOKUP_MAX_FAILURES)


def _count_lookup_failure(clients: list[str]) -> None:
    # A fixed window from the first failure, per account and per address.
    for client in clients:
        ratelimit.count(
            "transfer-lookup-failures", client, seconds=settings.TRANSFER_LOOKUP_WINDOW_MINUTES * 60
        )


def _masked(personal_id: str) -> str:
    """Enough to tell guesses apart in the log (province code, last two digits), not to reuse them."""
    return f"{personal_id[:3]}*******{personal_id[-2:]}" if len(personal_id) == 12 else "***"


def _audit_failed_lookup(actor: Any, personal_id: str, target: Student | None, *, throttled: bool) -> None:
    """Like a failed sign-in: on the student's school when the identifier exists (its staff see someone
    guessing at their pupil), never the whole identifier or the date tried."""
    note = "Tra cứu để xin chuyển trường: số định danh và ngày sinh không khớp"
    if throttled:
        note = "Tra cứu để xin chuyển trường bị tạm chặn: quá nhiều lần không khớp"
    audit.record(
        actor=actor,
        action=AuditAction.LOOKUP_FAILED,
        object_type="directory.student",
        object_id=str(target.pk) if target is not None else "",
        object_repr=_masked(personal_id),
        unit=target.school if target is not None else None,
        note=note,
    )


def transfer_find_student(*, actor: Any, personal_id: str, date_of_birth: dt.date) -> StudentMatch:
    """The one read across schools: identifier and date of birth must both match, and only the name and
    the current school are returned. It is logged, since it shows a student of another school.

    A wrong date of birth answers exactly like an unknown identifier; failures are audited and counted
    per account and per address, and past TRANSFER_LOOKUP_MAX_FAILURES in the window every lookup is
    refused, the right answer included (else guessing the date would go on, checked by the refusal)."""
    personal_id = (personal_id or "").strip()
    if not has_perm(actor, Perm.CHANGE_STUDENT):
        raise TransferError(_("Bạn không có quyền xin chuyển trường cho học sinh."))
    if not is_personal_id_format(personal_id):
        raise TransferError({"personal_id": [_("Số định danh cá nhân gồm đúng 12 chữ số.")]})
    keys = _lookup_clients(actor)
    # One query whatever the outcome, so that a known identifier costs the same as an unknown one.
    candidates = list(Student.objects.select_related("school").filter(personal_id=personal_id)[:5])
    if _lookup_throttled(keys):
        _audit_failed_lookup(actor, personal_id, candidates[0] if candidates else None, throttled=True)
        raise TransferLookupThrottled(
            _(
                "Quá nhiều lần tra cứu không khớp. Hãy kiểm tra lại giấy tờ với gia đình và thử lại sau %(minutes)s phút."
            )
            % {"minutes": settings.TRANSFER_LOOKUP_WINDOW_MINUTES}
        )
    student = next((s for s in candidates if s.date_of_birth == date_of_birth), None)
    if student is None:
        _count_lookup_failure(keys)
        _audit_failed_lookup(actor, personal_id, candidates[0] if candidates else None, throttled=False)
        # One message for "no such number" and "wrong date of birth": the form must not confirm a number.
        raise TransferError(
            _("Không tìm thấy học sinh có số định danh và ngày sinh này. Hãy kiểm tra lại với gia đình.")
        )
    audit.record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=student,
        note="Tra cứu để xin chuyển trường (chỉ họ tên và trường)",
    )
    return StudentMatch(
        student_id=student.pk,
        full_name=student.full_name,
        school_name=student.school.name,
        school_id=student.school_id,
    )


# --- writes ---------------------------------------------------------------------------------------


def _recipients(school: Unit) -> list[User]:
    """The people of a school who can act on a transfer (those holding the student-change permission)."""
    memberships = Membership.objects.filter(unit=school, is_active=True).select_related("user")
    return [m.user for m in memberships if role_allows(m.role, Perm.CHANGE_STUDENT)]


def _notify(transfer: Transfer, school: Unit, title: str) -> None:
    notify(
        recipients=_recipients(school),
        kind=NOTIFICATION_KIND,
        title=title,
        body=f"{transfer.student.full_name}: {transfer.from_school.name} → {transfer.to_school.name}",
        url=reverse("directory:transfer_detail", args=[transfer.pk]),
        unit=school,
    )


def _problem_message(problem: transfer_rules.TransferProblem, student: Student, to_school: Unit) -> str:
    messages = {
        "grade_not_taught": _("Trường %(school)s không dạy khối %(grade)s của học sinh."),
        "age_not_taught": _("Trường %(school)s không dạy lớp nào hợp với tuổi của học sinh."),
        "before_enrolment": _("Ngày chuyển không được trước ngày học sinh vào lớp hiện tại (%(date)s)."),
        "too_far_ahead": _("Ngày chuyển quá xa (quá một năm kể từ hôm nay); hãy kiểm tra lại."),
    }
    grade = student.current_class.grade if student.current_class_id and student.current_class else ""
    start = _not_before(student)
    return messages[problem.code] % {
        "school": to_school.name,
        "grade": grade,
        "date": f"{start:%d/%m/%Y}" if start else "",
    }


def _not_before(student: Student) -> dt.date | None:
    """The day the pupil's present situation began: their open enrolment, else their latest status."""
    enrolment = (
        Enrolment.objects.filter(student=student, end_date__isnull=True, start_date__isnull=False)
        .order_by("-start_date")
        .first()
    )
    if enrolment is not None:
        return enrolment.start_date
    event = student.status_events.filter(corrected_at__isnull=True).order_by("-date", "-id").first()
    return event.date if event is not None else None


def check_transfer(
    *, student: Student, to_school: Unit, effective_date: dt.date | None, today: dt.date | None = None
) -> None:
    """The destination teaches the pupil's grade (or age) and the date is plausible (rules/transfers.py)."""
    year = current_year_for(student.school)
    level = School.objects.filter(unit=to_school).values_list("level", flat=True).first()
    problems = transfer_rules.destination_problems(
        level=level,
        grade=student.current_class.grade if student.current_class_id and student.current_class else None,
        date_of_birth=student.date_of_birth,
        school_year_start=year.start_date.year if year else timezone.localdate().year,
    )
    problems += transfer_rules.date_problems(
        effective_date=effective_date, not_before=_not_before(student), today=today or timezone.localdate()
    )
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.field, []).append(_problem_message(problem, student, to_school))
    if errors:
        raise TransferError(errors)


@transaction.atomic
def transfer_request(
    *,
    actor: Any,
    student: Student,
    to_school: Unit,
    requested_by_school: Unit,
    reason: str = "",
    effective_date: dt.date | None = None,
) -> Transfer:
    """A pending transfer of `student` from their current school to `to_school`, asked by one side."""
    from_school = student.school
    if to_school.kind != UnitKind.SCHOOL or not to_school.is_active:
        raise TransferError({"to_school": [_("Trường chuyển đến phải là một trường đang hoạt động.")]})
    if to_school.pk == from_school.pk:
        raise TransferError({"to_school": [_("Học sinh đang học ở trường này; hãy chọn trường khác.")]})
    if requested_by_school.pk not in (from_school.pk, to_school.pk):
        raise TransferError(_("Chỉ trường chuyển đi hoặc trường chuyển đến mới được đề nghị chuyển trường."))
    if not has_perm(actor, Perm.CHANGE_STUDENT, requested_by_school):
        raise TransferError(_("Bạn không có quyền đề nghị chuyển trường cho trường này."))
    if len(reason or "") > 500:
        raise TransferError({"reason": [_("Lí do dài tối đa 500 ký tự.")]})
    if Transfer.objects.filter(student=student, status=TransferStatus.PENDING).exists():
        raise TransferError(_("Học sinh này đang có một đề nghị chuyển trường chờ duyệt."))
    _check_nothing_scheduled(student)
    check_transfer(student=student, to_school=to_school, effective_date=effective_date)
    transfer = Transfer(
        student=student,
        from_school=from_school,
        to_school=to_school,
        requested_by_school=requested_by_school,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=(reason or "").strip(),
        effective_date=effective_date,
    )
    try:
        # A savepoint, so that losing a race to the one-pending constraint leaves the outer transaction usable.
        with transaction.atomic():
            transfer.save()
    except IntegrityError as exc:
        raise TransferError(_("Học sinh này đang có một đề nghị chuyển trường chờ duyệt.")) from exc
    audit.record_create(actor=actor, obj=transfer)
    other = to_school if requested_by_school.pk == from_school.pk else from_school
    _notify(transfer, other, _("Đề nghị chuyển trường cần duyệt"))
    return transfer


def _lock_pending(transfer: Transfer) -> Transfer:
    # Locks the transfer row only (not the schools joined beside it): two deciders cannot both win.
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("student", "from_school", "to_school", "requested_by_school")
        .get(pk=transfer.pk)
    )
    if locked.status != TransferStatus.PENDING:
        raise TransferError(_("Đề nghị này đã được xử lý hoặc đã hủy; không thể thay đổi nữa."))
    return locked


def _check_decider(actor: Any, transfer: Transfer) -> None:
    if transfer.requested_by_id is not None and transfer.requested_by_id == getattr(actor, "pk", None):
        raise TransferError(_("Người đề nghị không thể tự duyệt đề nghị của mình."))
    if not has_perm(actor, Perm.CHANGE_STUDENT, deciding_school(transfer)):
        raise TransferError(_("Chỉ trường nhận đề nghị mới được duyệt hoặc từ chối."))


def _decide(transfer: Transfer, actor: Any, status: str, note: str) -> dict[str, Any]:
    if len(note or "") > 500:
        raise TransferError({"decision_note": [_("Ý kiến dài tối đa 500 ký tự.")]})
    before = audit.snapshot(
        transfer, ("status", "decided_by", "decision_note", "effective_date", "decided_at")
    )
    transfer.status = status
    transfer.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    transfer.decision_note = (note or "").strip()
    transfer.decided_at = timezone.now()
    return before


@transaction.atomic
def transfer_approve(
    *, actor: Any, transfer: Transfer, note: str = "", today: dt.date | None = None
) -> Transfer:
    """The deciding side agrees. Effective today or earlier: the student moves now (`_move`). Effective
    later: the transfer is scheduled, the student stays where they are (and is shown as leaving on that
    day) until the scheduler moves them (`transfer_carry_out`); it can be cancelled until then."""
    today = today or timezone.localdate()
    transfer = _lock_pending(transfer)
    _check_decider(actor, transfer)
    student = Student.objects.select_for_update().get(pk=transfer.student_id)
    if student.school_id != transfer.from_school_id:
        raise TransferError(_("Học sinh không còn học ở trường chuyển đi; đề nghị này không còn hiệu lực."))
    day = transfer.effective_date or today
    # Checked again at the decision: the pupil may have changed class or school year since the request.
    check_transfer(student=student, to_school=transfer.to_school, effective_date=day, today=today)
    _check_nothing_scheduled(student)
    scheduled = day > today
    before = _decide(
        transfer, actor, TransferStatus.SCHEDULED if scheduled else TransferStatus.APPROVED, note
    )
    transfer.effective_date = day
    transfer.save()
    audit.record_update(actor=actor, obj=transfer, before=before)
    if scheduled:
        change = ScheduledChange.objects.create(
            school=transfer.from_school,
            student=student,
            kind=ChangeKind.TRANSFER,
            date=day,
            note=f"Chuyển đến {transfer.to_school.name}"[:255],
            transfer=transfer,
            decided_by=transfer.decided_by,
        )
        audit.record_create(actor=actor, obj=change, note=f"Chuyển trường #{transfer.pk} lên lịch")
        _notify(
            transfer,
            transfer.requested_by_school,
            _("Đề nghị chuyển trường đã được duyệt, chuyển vào ngày %(date)s") % {"date": f"{day:%d/%m/%Y}"},
        )
        return transfer
    _move(transfer, student, actor, day)
    _notify(transfer, transfer.requested_by_school, _("Đề nghị chuyển trường đã được duyệt"))
    return transfer


def _check_nothing_scheduled(student: Student) -> None:
    waiting = ScheduledChange.objects.filter(student=student, state=ChangeState.SCHEDULED).first()
    if waiting is not None:
        raise TransferError(
            _(
                "Học sinh đang có một thay đổi đã lên lịch (%(kind)s, ngày %(date)s). "
                "Hãy hủy thay đổi đó trước."
            )
            % {"kind": waiting.get_kind_display(), "date": f"{waiting.date:%d/%m/%Y}"}
        )


def _move(transfer: Transfer, student: Student, actor: Any, day: dt.date, note: str = "") -> None:
    """Moves the student: status events on both sides, the open enrolment ended, class cleared, guardians
    follow; nothing is deleted, and every change is in the audit log."""
    note = note or f"Chuyển trường #{transfer.pk}"
    from_school, to_school = transfer.from_school, transfer.to_school
    for school, status, text in (
        (from_school, StudentStatus.TRANSFERRED_OUT, f"Chuyển đến {to_school.name}"),
        (to_school, StudentStatus.TRANSFERRED_IN, f"Chuyển từ {from_school.name}"),
    ):
        event = StudentStatusEvent.objects.create(
            school=school, student=student, status=status, date=day, note=text[:255]
        )
        audit.record_create(actor=actor, obj=event, note=note)

    for enrolment in Enrolment.objects.filter(student=student, end_date__isnull=True):
        enrolment.end_date = day
        enrolment.save(update_fields=["end_date"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"end_date": [None, day]},
            note=note,
        )

    before_student = audit.snapshot(student, STUDENT_MOVED_FIELDS)
    student.school = to_school
    student.status = StudentStatus.TRANSFERRED_IN
    # The destination places the student in one of its own classes later.
    student.current_class = None
    student.save(update_fields=["school", "status", "current_class", "updated_at"])
    audit.record_update(actor=actor, obj=student, before=before_student, note=note)

    for guardian in Guardian.objects.filter(student=student):
        before_guardian = audit.snapshot(guardian, ("school",))
        guardian.school = to_school
        guardian.save(update_fields=["school"])
        audit.record_update(actor=actor, obj=guardian, before=before_guardian, note=note)


def transfer_carry_out(*, actor: Any, transfer: Transfer, note: str) -> None:
    """The scheduler's half of a scheduled transfer, on its day (the caller holds the change's row lock).

    Raises TransferError when the record no longer fits (the pupil left the source school meanwhile)."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("student", "from_school", "to_school", "requested_by_school")
        .get(pk=transfer.pk)
    )
    if transfer.status != TransferStatus.SCHEDULED:
        raise TransferError(_("Đề nghị chuyển trường không còn ở trạng thái chờ đến ngày chuyển."))
    student = Student.objects.select_for_update().get(pk=transfer.student_id)
    if student.school_id != transfer.from_school_id:
        raise TransferError(_("Học sinh không còn học ở trường chuyển đi; đề nghị này không còn hiệu lực."))
    assert transfer.effective_date is not None  # a scheduled transfer always has its day
    before = audit.snapshot(transfer, ("status",))
    transfer.status = TransferStatus.APPROVED
    transfer.save(update_fields=["status"])
    audit.record_update(actor=actor, obj=transfer, before=before, note=note)
    _move(transfer, student, actor, transfer.effective_date, note)
    for school in (transfer.from_school, transfer.to_school):
        _notify(transfer, school, _("Học sinh đã chuyển trường theo lịch"))


def transfer_unschedule(*, actor: Any, transfer: Transfer, reason: str) -> None:
    """Marks a scheduled transfer cancelled (the caller cancels its ScheduledChange in the same transaction)."""
    before = audit.snapshot(transfer, ("status", "decision_note"))
    transfer.status = TransferStatus.CANCELLED
    transfer.decision_note = f"{transfer.decision_note} — Hủy trước ngày chuyển: {reason}".strip(" —")[:500]
    transfer.save(update_fields=["status", "decision_note"])
    audit.record_update(actor=actor, obj=transfer, before=before, note=reason[:255])
    for school in (transfer.from_school, transfer.to_school):
        _notify(transfer, school, _("Chuyển trường đã lên lịch bị hủy"))


def can_unschedule(user: Any, transfer: Transfer) -> bool:
    return transfer.status == TransferStatus.SCHEDULED and (
        has_perm(user, Perm.CHANGE_STUDENT, transfer.from_school)
        or has_perm(user, Perm.CHANGE_STUDENT, transfer.to_school)
    )


@transaction.atomic
def transfer_reject(*, actor: Any, transfer: Transfer, note: str = "") -> Transfer:
    transfer = _lock_pending(transfer)
    _check_decider(actor, transfer)
    if not (note or "").strip():
        raise TransferError({"decision_note": [_("Hãy ghi lí do từ chối.")]})
    before = _decide(transfer, actor, TransferStatus.REJECTED, note)
    transfer.save()
    audit.record_update(actor=actor, obj=transfer, before=before)
    _notify(transfer, transfer.requested_by_school, _("Đề nghị chuyển trường bị từ chối"))
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer: Transfer, note: str = "") -> Transfer:
    """The asking side withdraws its request while it is still pending."""
    transfer = _lock_pending(transfer)
    if not has_perm(actor, Perm.CHANGE_STUDENT, transfer.requested_by_school):
        raise TransferError(_("Chỉ trường đã đề nghị mới được hủy đề nghị."))
    before = _decide(transfer, actor, TransferStatus.CANCELLED, note)
    transfer.save()
    audit.record_update(actor=actor, obj=transfer, before=before)
    _notify(transfer, deciding_school(transfer), _("Đề nghị chuyển trường đã được hủy"))
    return transfer

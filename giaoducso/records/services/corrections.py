"""Corrections after a term was locked: a teacher asks (what, why), the principal approves or refuses. An
approved change goes through the ordinary write path with the lock stepped over, and says so in the log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory.models import SchoolClass, Student

from ..models import CorrectionRequest, CorrectionStatus, Subject
from ..selectors.access import class_access
from .locks import active_lock
from .marks import Cell, marks_write


def _mark_cell(student: Student, term: int, change: dict[str, Any]) -> Cell:
    try:
        return Cell(
            student_id=student.pk,
            term=term,
            kind=str(change["kind"]),
            index=int(change.get("index", 1)),
            value=change.get("value"),
            level=change.get("level"),
            comment=str(change.get("comment", "")),
        )
    except (KeyError, TypeError, ValueError):
        raise ValidationError(
            {"change": [_("Nội dung đề nghị sửa không hợp lệ.")]}, code="invalid_change"
        ) from None


def _subject(change: dict[str, Any]) -> Subject:
    subject = Subject.objects.filter(
        pk=change.get("subject") if str(change.get("subject", "")).isdigit() else None
    ).first()
    if subject is None:
        raise ValidationError({"change": [_("Không rõ môn học cần sửa.")]}, code="invalid_change")
    return subject


@transaction.atomic
def correction_request(
    *,
    actor: Actor,
    school_class: SchoolClass,
    student: Student,
    term: int,
    change: dict[str, Any],
    reason: str,
) -> CorrectionRequest:
    """Asks to change a mark of a locked term. Only who could have entered it may ask."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Hãy ghi lí do đề nghị sửa.")]}, code="reason_required")
    if change.get("target") != "mark":
        raise ValidationError({"change": [_("Nội dung đề nghị sửa không hợp lệ.")]}, code="invalid_change")
    subject = _subject(change)
    access = class_access(actor, school_class)
    if access is None or not access.enters_subject(subject.pk):
        raise PermissionDenied(
            _("Bạn không được phân công dạy môn %(subject)s ở lớp %(cls)s.")
            % {"subject": subject.name, "cls": school_class.name}
        )
    if active_lock(school_class, term) is None:
        raise ValidationError(
            {"term": [_("Học kì chưa khoá sổ: hãy sửa trực tiếp trong sổ điểm.")]}, code="term_not_locked"
        )
    _mark_cell(student, term, change)  # refuse a malformed change now, not at approval
    request = CorrectionRequest.objects.create(
        school_id=school_class.school_id,
        school_class=school_class,
        student=student,
        term=term,
        change=change,
        reason=reason[:500],
        requested_by=actor,
    )
    audit.record_create(actor=actor, obj=request)
    return request


@transaction.atomic
def correction_decide(
    *, actor: Actor, request: CorrectionRequest, approve: bool, note: str = ""
) -> CorrectionRequest:
    if not has_perm(actor, Perm.LOCK_TERM, request.school):
        raise PermissionDenied(_("Chỉ Hiệu trưởng duyệt đề nghị sửa điểm."))
    if request.status != CorrectionStatus.PENDING:
        raise ValidationError(_("Đề nghị này đã được xử lí."), code="already_decided")
    before = audit.snapshot(request, ["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        marks_write(
            actor=actor,
            school_class=request.school_class,
            subject=_subject(request.change),
            cells=[_mark_cell(request.student, request.term, request.change)],
            via_correction=True,
            note=f"đề nghị sửa #{request.pk}",
        )
    request.status = CorrectionStatus.APPROVED if approve else CorrectionStatus.REJECTED
    request.decided_by = actor  # type: ignore[assignment]
    request.decided_at = timezone.now()
    request.decision_note = (note or "").strip()[:500]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record_update(actor=actor, obj=request, before=before)
    return request

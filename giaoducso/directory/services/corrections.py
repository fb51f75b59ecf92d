"""Corrections of what was entered wrongly: a status line, a personal identifier.

Only those who answer for the record may correct it (`Perm.CORRECT_STUDENT`: the principal, the
department's officers); every correction names its reason, is audited, and keeps what it replaced — a
corrected status line stays in the history marked as such, a replaced identifier stays in the student's
identifier history (a re-issued number keeps its past, shared/rules/identifiers.md).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from rules import identifiers

from ..checks import raise_if_any as _raise
from ..models import PersonalIdChange, Student, StudentStatus, StudentStatusEvent

# Lines a transfer wrote belong to two schools and to the transfer: undoing them is undoing the transfer.
_TRANSFER_STATUSES = (StudentStatus.TRANSFERRED_IN, StudentStatus.TRANSFERRED_OUT)


def can_correct(user: object, student: Student) -> bool:
    return has_perm(user, Perm.CORRECT_STUDENT, student.school)


def _check_may_correct(actor: Actor, student: Student) -> None:
    if not can_correct(actor, student):
        raise PermissionDenied(
            _("Chỉ hiệu trưởng hoặc chuyên viên Phòng/Sở được sửa thông tin đã nhập sai của học sinh.")
        )


def _reason(reason: str, limit: int) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Hãy ghi lí do sửa.")]})
    if len(reason) > limit:
        raise ValidationError({"reason": [_("Lí do dài tối đa %(n)s ký tự.") % {"n": limit}]})
    return reason


def status_correction_target(
    student: Student,
) -> tuple[StudentStatusEvent | None, StudentStatusEvent | None]:
    """(the latest standing line, the one before it): what a correction undoes and what it restores."""
    lines = list(
        student.status_events.filter(school=student.school, corrected_at__isnull=True).order_by(
            "-date", "-id"
        )[:2]
    )
    latest = lines[0] if lines else None
    previous = lines[1] if len(lines) > 1 else None
    return latest, previous


@transaction.atomic
def student_status_correct(*, actor: Actor, student: Student, reason: str) -> StudentStatusEvent:
    """Marks the latest status line as entered wrongly and gives the student back the status before it.

    The line stays in the history (marked corrected, with who, when and why); returns the restored line."""
    _check_may_correct(actor, student)
    reason = _reason(reason, 255)
    student = Student.objects.select_for_update().select_related("school").get(pk=student.pk)
    latest, previous = status_correction_target(student)
    if latest is None or previous is None:
        raise ValidationError(_("Không có trạng thái nào để sửa: hồ sơ chỉ có trạng thái ban đầu."))
    if latest.status in _TRANSFER_STATUSES:
        raise ValidationError(
            _("Trạng thái này do chuyển trường tạo ra; không sửa được ở đây. Hãy liên hệ Phòng/Sở.")
        )
    before = audit.snapshot(latest, ("corrected_at", "corrected_by", "correction_reason"))
    latest.corrected_at = timezone.now()
    latest.corrected_by = actor if getattr(actor, "is_authenticated", False) else None
    latest.correction_reason = reason
    latest.save(update_fields=["corrected_at", "corrected_by", "correction_reason"])
    audit.record_update(actor=actor, obj=latest, before=before, note=f"Sửa trạng thái nhập sai: {reason}")
    before_student = audit.snapshot(student, ("status",))
    student.status = previous.status
    student.save(update_fields=["status", "updated_at"])
    audit.record_update(
        actor=actor, obj=student, before=before_student, note=f"Sửa trạng thái nhập sai: {reason}"
    )
    return previous


@transaction.atomic
def student_personal_id_correct(
    *, actor: Actor, student: Student, personal_id: str, reason: str
) -> PersonalIdChange:
    """Replaces the personal identifier after the checks of rules.identifiers (an unknown province code is
    only a warning, as everywhere); the old number goes to the student's identifier history."""
    _check_may_correct(actor, student)
    reason = _reason(reason, 500)
    personal_id = (personal_id or "").strip()
    student = Student.objects.select_for_update().select_related("school").get(pk=student.pk)
    errors: dict[str, list[str]] = {}
    for problem in identifiers.check_personal_id(
        personal_id, sex=student.sex or None, birth_year=student.date_of_birth.year
    ):
        if problem.code == identifiers.PROVINCE:
            continue
        # Sex and year are checked against the record: the message says which side to look at.
        errors.setdefault("personal_id", []).append(problem.message)
    if not errors and personal_id == student.personal_id:
        errors["personal_id"] = [_("Số định danh mới giống số đang lưu.")]
    if not errors and Student.objects.filter(personal_id=personal_id).exclude(pk=student.pk).exists():
        errors["personal_id"] = [_("Số định danh này đang thuộc về một học sinh khác.")]
    _raise(errors)
    change = PersonalIdChange.objects.create(
        school=student.school,
        student=student,
        previous_id=student.personal_id,
        new_id=personal_id,
        reason=reason,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record_create(actor=actor, obj=change, note=reason[:255])
    before = audit.snapshot(student, ("personal_id",))
    student.personal_id = personal_id
    try:
        with transaction.atomic():
            student.save(update_fields=["personal_id", "updated_at"])
    except IntegrityError as exc:  # another record took the number meanwhile
        raise ValidationError(
            {"personal_id": [_("Số định danh này đang thuộc về một học sinh khác.")]}
        ) from exc
    audit.record_update(actor=actor, obj=student, before=before, note=f"Sửa số định danh: {reason}"[:255])
    return change

"""Teaching assignments (phân công giảng dạy): who teaches which subject in which class. The school's
leaders keep them; a teacher's reach in the records follows from them (selectors.access)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory.models import SchoolClass, Staff, StaffAssignment

from ..models import GradeSubject, Subject, TeachingAssignment


def _may_manage(actor: Actor, school_class: SchoolClass) -> None:
    if not has_perm(actor, Perm.MANAGE_TEACHING, school_class.school):
        raise PermissionDenied(_("Chỉ Ban giám hiệu được phân công giảng dạy."))


@transaction.atomic
def teaching_assign(
    *, actor: Actor, school_class: SchoolClass, subject: Subject, teacher: Staff | None
) -> TeachingAssignment | None:
    """Sets (or, with no teacher, removes) the teacher of `subject` in `school_class`."""
    _may_manage(actor, school_class)
    if not GradeSubject.objects.filter(subject=subject, grade=school_class.grade).exists():
        raise ValidationError(
            {
                "subject": [
                    _("Khối %(grade)s không học môn %(subject)s.")
                    % {"grade": school_class.grade, "subject": subject.name}
                ]
            },
            code="subject_not_taught",
        )
    current = TeachingAssignment.objects.filter(school_class=school_class, subject=subject).first()
    if teacher is None:
        if current is not None:
            audit.record_delete(actor=actor, obj=current)
            current.delete()
        return None
    works_here = (
        teacher.school_id == school_class.school_id
        or StaffAssignment.objects.filter(staff=teacher, school_id=school_class.school_id).exists()
    )
    if not works_here:
        raise ValidationError(
            {"teacher": [_("Giáo viên phải là cán bộ, giáo viên của trường.")]}, code="not_at_school"
        )
    if current is None:
        current = TeachingAssignment.objects.create(
            school_id=school_class.school_id, school_class=school_class, subject=subject, teacher=teacher
        )
        audit.record_create(actor=actor, obj=current)
        return current
    if current.teacher_id != teacher.pk:
        before = audit.snapshot(current, ["teacher"])
        current.teacher = teacher
        current.save(update_fields=["teacher"])
        audit.record_update(actor=actor, obj=current, before=before)
    return current

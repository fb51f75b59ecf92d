"""Closing a term: after the principal locks it, no mark, conduct or attendance of the class changes by the
screen, the API or an import, except through an approved correction request. Every step is audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory.models import SchoolClass, SchoolYear

from ..models import Term, TermLock


def active_lock(school_class: SchoolClass, term: int) -> TermLock | None:
    """The lock that holds `term` of the class closed: its own, or the whole school's."""
    return (
        TermLock.objects.filter(
            school_id=school_class.school_id,
            year_id=school_class.year_id,
            term=term,
            reopened_at__isnull=True,
        )
        .filter(school_class__isnull=True)
        .first()
        or TermLock.objects.filter(school_class=school_class, term=term, reopened_at__isnull=True).first()
    )


def ensure_open(school_class: SchoolClass, term: int) -> None:
    """Refuses a change to a locked term, saying who locked it and how to get a change through."""
    lock = active_lock(school_class, term)
    if lock is not None:
        raise ValidationError(
            _(
                "Học kì %(term)s của lớp %(cls)s đã khoá sổ lúc %(when)s. Muốn sửa, hãy gửi đề nghị sửa điểm "
                "để Hiệu trưởng duyệt."
            )
            % {
                "term": Term(term).label,
                "cls": school_class.name,
                "when": timezone.localtime(lock.locked_at).strftime("%H:%M %d/%m/%Y"),
            },
            code="term_locked",
        )


def _may_lock(actor: Actor, school: Unit) -> None:
    if not has_perm(actor, Perm.LOCK_TERM, school):
        raise PermissionDenied(_("Chỉ Hiệu trưởng được khoá và mở lại sổ học kì."))


@transaction.atomic
def term_lock(
    *, actor: Actor, school: Unit, year: SchoolYear, term: int, school_class: SchoolClass | None = None
) -> TermLock:
    _may_lock(actor, school)
    if term not in Term.values:
        raise ValidationError({"term": [_("Học kì phải là I hoặc II.")]}, code="invalid_term")
    if school_class is not None and (school_class.school_id != school.pk or school_class.year_id != year.pk):
        raise ValidationError(
            {"school_class": [_("Lớp không thuộc trường và năm học này.")]}, code="wrong_class"
        )
    existing = TermLock.objects.filter(
        school=school, year=year, term=term, school_class=school_class, reopened_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    lock = TermLock.objects.create(
        school=school, year=year, term=term, school_class=school_class, locked_by=actor
    )
    audit.record_create(actor=actor, obj=lock, note="khoá sổ")
    return lock


@transaction.atomic
def term_reopen(*, actor: Actor, lock: TermLock, reason: str) -> TermLock:
    _may_lock(actor, lock.school)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Hãy ghi lí do mở lại sổ.")]}, code="reason_required")
    if lock.reopened_at is not None:
        return lock
    before = audit.snapshot(lock, ["reopened_at", "reopened_by", "reopen_reason"])
    lock.reopened_at = timezone.now()
    lock.reopened_by = actor  # type: ignore[assignment]
    lock.reopen_reason = reason[:500]
    lock.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    audit.record_update(actor=actor, obj=lock, before=before, note="mở lại sổ")
    return lock

"""What the homeroom teacher keeps for their class: each term's conduct and the daily attendance. Both are
refused in a locked term, like marks, and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.directory.models import SchoolClass, Student
from giaoducso.directory.models import Term as YearTerm
from rules.assessment_secondary import Level

from ..models import Absence, Conduct, Session, Term
from ..selectors.access import class_access
from .locks import ensure_open
from .marks import IN_CLASS_STATUSES


def _refused(field: str, message: str, code: str) -> ValidationError:
    # The code on the message itself, where the API reads it (a code beside a dict of messages is lost).
    return ValidationError({field: [ValidationError(message, code=code)]})


def _may_keep(actor: Actor, school_class: SchoolClass) -> None:
    access = class_access(actor, school_class)
    if access is None or not access.homeroom:
        raise PermissionDenied(
            _("Chỉ giáo viên chủ nhiệm lớp %(cls)s được nhập mục này.") % {"cls": school_class.name}
        )


def _in_class(school_class: SchoolClass, student: Student) -> None:
    if student.current_class_id != school_class.pk or student.status not in IN_CLASS_STATUSES:
        raise _refused(
            "student",
            _("Học sinh không (còn) học ở lớp %(cls)s.") % {"cls": school_class.name},
            "not_in_class",
        )


@transaction.atomic
def conduct_set(
    *,
    actor: Actor,
    school_class: SchoolClass,
    student: Student,
    term: int,
    level: int | None,
    comment: str = "",
) -> Conduct | None:
    """A term's conduct (Tốt/Khá/Đạt/Chưa đạt as 3/2/1/0); None clears it."""
    _may_keep(actor, school_class)
    _in_class(school_class, student)
    if term not in Term.values:
        raise _refused("term", _("Học kì phải là I hoặc II."), "invalid_term")
    if level is not None and level not in Level.__members__.values():
        raise _refused("level", _("Mức rèn luyện là Tốt, Khá, Đạt hoặc Chưa đạt."), "invalid_level")
    ensure_open(school_class, term)
    current = Conduct.objects.filter(school_class=school_class, student=student, term=term).first()
    if level is None:
        if current is not None:
            audit.record_delete(actor=actor, obj=current)
            current.delete()
        return None
    if current is None:
        current = Conduct.objects.create(
            school_id=school_class.school_id,
            school_class=school_class,
            student=student,
            term=term,
            level=level,
            comment=comment.strip()[:500],
        )
        audit.record_create(actor=actor, obj=current)
        return current
    before = audit.snapshot(current, ["level", "comment"])
    current.level, current.comment = level, comment.strip()[:500]
    current.save(update_fields=["level", "comment", "updated_at"])
    audit.record_update(actor=actor, obj=current, before=before)
    return current


def term_of(school_class: SchoolClass, date: dt.date) -> int:
    """The term a date falls in, by the year's calendar; refused outside the school year."""
    year = school_class.year
    if not year.start_date <= date <= year.end_date:
        raise _refused(
            "date", _("Ngày này không thuộc năm học %(year)s.") % {"year": year.name}, "outside_year"
        )
    terms = {t.number: t for t in YearTerm.objects.filter(year=year)}
    second = terms.get(2)
    if second is not None:
        return 2 if date >= second.start_date else 1
    first = terms.get(1)
    if first is not None:
        return 1 if date <= first.end_date else 2
    # A calendar without terms: term II starts in the new calendar year, as in every Vietnamese calendar.
    return 2 if date.year > year.start_date.year else 1


@dataclass(frozen=True)
class AbsenceEntry:
    excused: bool = False
    reason: str = ""


@transaction.atomic
def attendance_write(
    *,
    actor: Actor,
    school_class: SchoolClass,
    date: dt.date,
    session: str,
    absent: Mapping[int, AbsenceEntry],
) -> list[Absence]:
    """The roll of one session: `absent` maps each absent student to whether it was excused; everyone else
    of the class was present, so an absence recorded earlier for them is removed."""
    _may_keep(actor, school_class)
    if session not in Session.values:
        raise _refused("session", _("Buổi học là sáng hoặc chiều."), "invalid_session")
    if date > timezone.localdate():
        raise _refused("date", _("Không điểm danh trước cho ngày chưa tới."), "future_date")
    ensure_open(school_class, term_of(school_class, date))
    in_class = set(
        Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES).values_list(
            "pk", flat=True
        )
    )
    strangers = set(absent) - in_class
    if strangers:
        raise _refused(
            "student",
            _("Học sinh không (còn) học ở lớp %(cls)s.") % {"cls": school_class.name},
            "not_in_class",
        )
    existing = {
        a.student_id: a for a in Absence.objects.filter(school_class=school_class, date=date, session=session)
    }
    written: list[Absence] = []
    for student_id, old in existing.items():
        if student_id not in absent:
            audit.record_delete(actor=actor, obj=old, note="có mặt")
            old.delete()
    for student_id, entry in absent.items():
        reason = entry.reason.strip()[:200]
        old = existing.get(student_id)
        if old is None:
            row = Absence.objects.create(
                school_id=school_class.school_id,
                school_class=school_class,
                student_id=student_id,
                date=date,
                session=session,
                excused=entry.excused,
                reason=reason,
            )
            audit.record_create(actor=actor, obj=row)
        else:
            before = audit.snapshot(old, ["excused", "reason"])
            old.excused, old.reason = entry.excused, reason
            old.save(update_fields=["excused", "reason", "updated_at"])
            audit.record_update(actor=actor, obj=old, before=before)
            row = old
        written.append(row)
    return written

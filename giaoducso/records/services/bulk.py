"""Bulk paths beside the one-by-one services, for volumes a person never types (the demo district, a
whole term at once): the same checks, the same rows and the same audit lines as `marks_write`,
`conduct_set` and `attendance_write` — new rows are inserted in batches and their audit lines with them;
a row that already exists goes through the one-by-one service, so an update reads exactly as a person's.

The system itself (`is_system`: the demo, a command) may write without being the class's teacher; a
person is checked like the screens check them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.directory.models import SchoolClass, Staff, StaffAssignment, Student
from rules.assessment_secondary import Level

from ..models import Absence, Conduct, GradeSubject, Mark, Session, Subject, TeachingAssignment, Term
from .homeroom import _may_keep, term_of
from .locks import ensure_open
from .marks import IN_CLASS_STATUSES, Cell, _Checker, is_system, marks_write
from .teaching import _may_manage

BATCH_SIZE = 500


def _user(actor: Actor) -> object | None:
    return actor if getattr(actor, "is_authenticated", False) else None


def _people(student_ids: Iterable[int]) -> dict[int, Student]:
    """The students named in the audit lines, in one query (a row's name is its student's)."""
    return Student.objects.only("pk", "full_name", "school_id").in_bulk(list(set(student_ids)))


@transaction.atomic
def marks_bulk_write(
    *,
    actor: Actor,
    school_class: SchoolClass,
    subject: Subject,
    cells: Iterable[Cell],
    note: str = "",
    system: bool = False,
) -> int:
    """`marks_write` for many cells: all or nothing, every cell checked first. Returns how many cells
    were given."""
    cells = list(cells)
    checker = _Checker(
        actor=actor, school_class=school_class, subject=subject, via_correction=False, system=system
    )
    checked = [(cell, *checker.check(cell)) for cell in cells]
    stored = set(
        Mark.objects.filter(
            school_class=school_class, subject=subject, student_id__in={c.student_id for c in cells}
        ).values_list("student_id", "term", "kind", "index")
    )
    user = _user(actor)
    people = _people(c.student_id for c in cells)
    fresh: list[Mark] = []
    rest: list[Cell] = []
    for cell, value, level, comment in checked:
        key = (cell.student_id, cell.term, cell.kind, cell.index)
        if key in stored or (value is None and level is None and not comment):
            rest.append(cell)
            continue
        stored.add(key)  # a second cell for the same address updates this row, as in marks_write
        fresh.append(
            Mark(
                school=school_class.school,
                school_class=school_class,
                subject=subject,
                student=people[cell.student_id],
                term=cell.term,
                kind=cell.kind,
                index=cell.index,
                value=value,
                level=level,
                comment=comment or "",
                updated_by=user,
            )
        )
    Mark.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
    audit.record_create_many(actor=actor, objs=fresh, note=note)
    if rest:
        marks_write(
            actor=actor, school_class=school_class, subject=subject, cells=rest, note=note, system=system
        )
    return len(cells)


def _may_keep_or_system(actor: Actor, school_class: SchoolClass, system: bool) -> None:
    if not (system and is_system(actor)):
        _may_keep(actor, school_class)


def _in_class(school_class: SchoolClass, student_ids: Iterable[int]) -> None:
    enrolled = set(
        Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES).values_list(
            "pk", flat=True
        )
    )
    if set(student_ids) - enrolled:
        raise ValidationError(
            {"student": [_("Học sinh không (còn) học ở lớp %(cls)s.") % {"cls": school_class.name}]},
            code="not_in_class",
        )


@transaction.atomic
def conduct_bulk_set(
    *,
    actor: Actor,
    school_class: SchoolClass,
    term: int,
    levels: Mapping[int, int],
    system: bool = False,
) -> int:
    """`conduct_set` for a class's term: student id → level (Tốt/Khá/Đạt/Chưa đạt as 3/2/1/0)."""
    _may_keep_or_system(actor, school_class, system)
    if term not in Term.values:
        raise ValidationError({"term": [_("Học kì phải là I hoặc II.")]}, code="invalid_term")
    if any(level not in Level.__members__.values() for level in levels.values()):
        raise ValidationError(
            {"level": [_("Mức rèn luyện là Tốt, Khá, Đạt hoặc Chưa đạt.")]}, code="invalid_level"
        )
    _in_class(school_class, levels)
    ensure_open(school_class, term)
    stored = set(
        Conduct.objects.filter(school_class=school_class, term=term, student_id__in=list(levels)).values_list(
            "student_id", flat=True
        )
    )
    people = _people(levels)
    fresh = [
        Conduct(
            school=school_class.school,
            school_class=school_class,
            student=people[student_id],
            term=term,
            level=level,
        )
        for student_id, level in levels.items()
        if student_id not in stored
    ]
    Conduct.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
    audit.record_create_many(actor=actor, objs=fresh)
    for row in Conduct.objects.filter(school_class=school_class, term=term, student_id__in=stored):
        # As conduct_set updates a row (the permission was checked above, once for the class).
        before = audit.snapshot(row, ["level", "comment"])
        row.level, row.comment = levels[row.student_id], ""
        row.save(update_fields=["level", "comment", "updated_at"])
        audit.record_update(actor=actor, obj=row, before=before)
    return len(levels)


@dataclass(frozen=True)
class AbsenceRow:
    student_id: int
    date: dt.date
    session: str
    excused: bool = False
    reason: str = ""


@transaction.atomic
def absences_bulk_add(
    *, actor: Actor, school_class: SchoolClass, rows: Iterable[AbsenceRow], system: bool = False
) -> int:
    """Adds absences (a past term's rolls at once): each checked like `attendance_write` (a session of the
    year, not in the future, in an open term, a student of the class); an absence already recorded is
    left as it is. Returns how many were added."""
    _may_keep_or_system(actor, school_class, system)
    rows = list(rows)
    today = timezone.localdate()
    open_terms: set[int] = set()
    terms: dict[dt.date, int] = {}
    for row in rows:
        if row.session not in Session.values:
            raise ValidationError({"session": [_("Buổi học là sáng hoặc chiều.")]}, code="invalid_session")
        if row.date > today:
            raise ValidationError(
                {"date": [_("Không điểm danh trước cho ngày chưa tới.")]}, code="future_date"
            )
        if row.date not in terms:
            terms[row.date] = term_of(school_class, row.date)
        term = terms[row.date]
        if term not in open_terms:
            ensure_open(school_class, term)
            open_terms.add(term)
    _in_class(school_class, {row.student_id for row in rows})
    stored = set(
        Absence.objects.filter(
            school_class=school_class, student_id__in={r.student_id for r in rows}
        ).values_list("student_id", "date", "session")
    )
    people = _people(r.student_id for r in rows)
    fresh: list[Absence] = []
    for row in rows:
        key = (row.student_id, row.date, row.session)
        if key in stored:
            continue
        stored.add(key)
        fresh.append(
            Absence(
                school=school_class.school,
                school_class=school_class,
                student=people[row.student_id],
                date=row.date,
                session=row.session,
                excused=row.excused,
                reason=row.reason.strip()[:200],
            )
        )
    Absence.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
    audit.record_create_many(actor=actor, objs=fresh)
    return len(fresh)


@transaction.atomic
def teaching_bulk_assign(
    *,
    actor: Actor,
    assignments: Iterable[tuple[SchoolClass, Subject, Staff]],
    system: bool = False,
) -> int:
    """`teaching_assign` for many (class, subject, teacher): each checked alike (the grade learns the
    subject, the teacher works at the school); a class and subject that already have a teacher go through
    `teaching_assign`. Returns how many were given."""
    assignments = list(assignments)
    if not (system and is_system(actor)):
        for school_class in {a[0].pk: a[0] for a in assignments}.values():
            _may_manage(actor, school_class)
    taught = set(GradeSubject.objects.values_list("grade", "subject_id"))
    schools_of: dict[int, set[int]] = {}
    for staff_id, school_id in StaffAssignment.objects.filter(
        staff_id__in={a[2].pk for a in assignments}
    ).values_list("staff_id", "school_id"):
        schools_of.setdefault(staff_id, set()).add(school_id)
    stored = set(
        TeachingAssignment.objects.filter(school_class_id__in={a[0].pk for a in assignments}).values_list(
            "school_class_id", "subject_id"
        )
    )
    fresh: list[TeachingAssignment] = []
    rest: list[tuple[SchoolClass, Subject, Staff]] = []
    for school_class, subject, teacher in assignments:
        if (school_class.grade, subject.pk) not in taught:
            raise ValidationError(
                {
                    "subject": [
                        _("Khối %(grade)s không học môn %(subject)s.")
                        % {"grade": school_class.grade, "subject": subject.name}
                    ]
                },
                code="subject_not_taught",
            )
        if teacher.school_id != school_class.school_id and school_class.school_id not in schools_of.get(
            teacher.pk, set()
        ):
            raise ValidationError(
                {"teacher": [_("Giáo viên phải là cán bộ, giáo viên của trường.")]}, code="not_at_school"
            )
        key = (school_class.pk, subject.pk)
        if key in stored:
            rest.append((school_class, subject, teacher))
            continue
        stored.add(key)
        fresh.append(
            TeachingAssignment(
                school=school_class.school, school_class=school_class, subject=subject, teacher=teacher
            )
        )
    TeachingAssignment.objects.bulk_create(fresh, batch_size=BATCH_SIZE)
    audit.record_create_many(actor=actor, objs=fresh)
    for school_class, subject, teacher in rest:
        current = TeachingAssignment.objects.get(school_class=school_class, subject=subject)
        if current.teacher_id != teacher.pk:
            before = audit.snapshot(current, ["teacher"])
            current.teacher = teacher
            current.save(update_fields=["teacher"])
            audit.record_update(actor=actor, obj=current, before=before)
    return len(assignments)

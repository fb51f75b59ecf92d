"""A class and subject's grade book as the screen, the API and the export read it: its columns, one row per
student with their cells, and the averages or results derived from them by the circular's rules.

Two queries whatever the class size: the students, and the marks of the class and subject.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from giaoducso.directory.models import SchoolClass, Student
from giaoducso.directory.ordering import in_name_order
from rules import assessment_secondary as secondary

from ..models import Mark, MarkKind, Subject, SubjectKind, Term
from ..services.marks import regular_count
from .access import ClassAccess, class_access_or_404
from .roster import class_roster, is_closed

CellKey = tuple[int, str, int]  # (term, kind, index)


@dataclass(frozen=True)
class Column:
    term: int
    kind: str
    index: int

    @property
    def key(self) -> CellKey:
        return (self.term, self.kind, self.index)

    @property
    def label(self) -> str:
        if self.kind == MarkKind.REGULAR:
            return f"TX{self.index}"
        return "GK" if self.kind == MarkKind.MIDTERM else "CK"


@dataclass
class Row:
    student: Student
    cells: dict[CellKey, Mark] = field(default_factory=dict)
    # Scored subjects: the term and year averages, None until every score of the term is in.
    term_average: dict[int, Decimal | None] = field(default_factory=dict)
    year_average: Decimal | None = None
    # Comment-only subjects: Đạt (True) / Chưa đạt (False) per term, None while incomplete; the year's is
    # term II's.
    term_passed: dict[int, bool | None] = field(default_factory=dict)

    def cell(self, key: CellKey) -> Mark | None:
        return self.cells.get(key)


@dataclass
class GradeBook:
    school_class: SchoolClass
    subject: Subject
    access: ClassAccess
    columns: tuple[Column, ...]
    rows: list[Row]

    @property
    def editable(self) -> bool:
        return self.access.enters_subject(self.subject.pk)


@functools.cache
def columns_of(regular: int) -> tuple[Column, ...]:
    """The columns of a subject with `regular` regular assessments a term: TX…, GK, CK for each term."""
    columns: list[Column] = []
    for term in Term.values:
        columns += [Column(term, MarkKind.REGULAR, i) for i in range(1, regular + 1)]
        columns += [Column(term, MarkKind.MIDTERM, 1), Column(term, MarkKind.FINAL, 1)]
    return tuple(columns)


def columns_for(subject: Subject, grade: int) -> tuple[Column, ...]:
    return columns_of(regular_count(subject, grade))


def _students(school_class: SchoolClass, access: ClassAccess) -> QuerySet[Student]:
    students = class_roster(school_class)
    if access.students is not None:
        students = students.filter(pk__in=access.students)
    return in_name_order(students).only("pk", "full_name", "date_of_birth", "school_id")


Layout = tuple[tuple[int, tuple[CellKey, ...], CellKey, CellKey], ...]
# Keyed by the identity of `columns_of`'s cached tuples: hashing a tuple of dataclasses on every row would
# cost more than deriving it.
_LAYOUTS: dict[int, tuple[tuple[Column, ...], Layout]] = {}


def _layout(columns: tuple[Column, ...]) -> Layout:
    """Per term: the keys of its regular, mid-term and end-of-term cells (a grade book has few layouts,
    and the term-close work derives hundreds of thousands of rows with them)."""
    known = _LAYOUTS.get(id(columns))
    if known is not None and known[0] is columns:
        return known[1]
    layout = []
    for term in Term.values:
        regular = tuple(c.key for c in columns if c.term == term and c.kind == MarkKind.REGULAR)
        layout.append((term, regular, (term, MarkKind.MIDTERM.value, 1), (term, MarkKind.FINAL.value, 1)))
    result = tuple(layout)
    if len(_LAYOUTS) < 64:
        _LAYOUTS[id(columns)] = (columns, result)
    return result


def derive(row: Row, subject: Subject, columns: tuple[Column, ...]) -> None:
    """Fills the row's averages or results from its cells: a term's average (or Đạt) only once every
    assessment of the term is in."""
    cells = row.cells
    kind = subject.kind
    if kind == SubjectKind.SCORED:
        for term, regular_keys, mid_key, final_key in _layout(columns):
            mid, final = cells.get(mid_key), cells.get(final_key)  # type: ignore[call-overload]
            regular = [cells.get(k) for k in regular_keys]  # type: ignore[call-overload]
            if mid is None or final is None or mid.value is None or final.value is None:
                row.term_average[term] = None
                continue
            values = [m.value if m is not None else None for m in regular]
            if None in values:
                row.term_average[term] = None
                continue
            row.term_average[term] = secondary.term_average(values, mid.value, final.value)  # type: ignore[arg-type]
    elif kind == SubjectKind.COMMENT:
        for term, regular_keys, mid_key, final_key in _layout(columns):
            marks = [cells.get(k) for k in (*regular_keys, mid_key, final_key)]  # type: ignore[call-overload]
            levels = [m.level if m is not None else None for m in marks]
            row.term_passed[term] = (
                None if None in levels else secondary.comment_subject_passed([v == 1 for v in levels])
            )
    one, two = row.term_average.get(1), row.term_average.get(2)
    if one is not None and two is not None:
        row.year_average = secondary.year_average(one, two)


def grade_book(*, user: Any, school_class: SchoolClass, subject: Subject) -> GradeBook:
    """The grade book `user` may read (404 for a subject or class beyond their reach)."""
    access = class_access_or_404(user, school_class)
    if not access.sees_subject(subject.pk):
        raise Http404
    if access.may_enter and is_closed(school_class):
        access = dataclasses.replace(access, may_enter=False)  # a closed year's book is read, not written
    columns = columns_for(subject, school_class.grade)
    rows = {s.pk: Row(s) for s in _students(school_class, access)}
    marks = Mark.objects.filter(school_class=school_class, subject=subject, student_id__in=list(rows))
    for mark in marks:
        rows[mark.student_id].cells[(mark.term, mark.kind, mark.index)] = mark
    for row in rows.values():
        derive(row, subject, columns)
    return GradeBook(school_class, subject, access, columns, list(rows.values()))

"""Every class's results at once, for work that is not a request: closing a term, the end of the year, the
term-close benchmark. No user and no scoping: the caller decides which classes.

A fixed number of queries whatever the count: the grades' subjects, the students, conduct, absences,
qualities, then the marks. On PostgreSQL the secondary classes' averages come from one SQL aggregation
(`averages.py`) and only the rules above the averages run in Python (`conclude_secondary`, the very code of
the class summary page); primary classes, and every class on SQLite, read their marks streamed ordered by
class (a server-side cursor on PostgreSQL) through `summarise_*`, so that memory holds one class at a time.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from giaoducso.directory.models import SchoolClass, Student
from giaoducso.directory.ordering import NAME_ORDER
from rules import assessment_secondary as secondary

from ..models import Absence, Conduct, GradeSubject, Mark, MarkKind, QualityMark, Subject, SubjectKind
from ..services.marks import IN_CLASS_STATUSES, regular_for
from . import averages, roster
from .gradebook import Row
from .summary import (
    Cell,
    ClassSummary,
    StudentResult,
    conclude_secondary,
    summarise_primary,
    summarise_secondary,
)


def results_for_classes(
    classes: Iterable[SchoolClass], *, chunk_size: int = 20_000
) -> Iterator[ClassSummary]:
    """Every class's results, class by class in the order of their ids, those without any mark too."""
    classes = sorted(classes, key=lambda c: c.pk)
    if not classes:
        return
    # Millions of small dicts and tuples set off the cyclic garbage collector again and again, each pass
    # walking every live object (half the time at district scale); nothing here makes a cycle, so it
    # rests while the classes are worked out and resumes when the caller is done or stops early.
    paused = gc.isenabled()
    gc.disable()
    try:
        yield from _results(classes, chunk_size)
    finally:
        if paused:
            gc.enable()


@dataclass
class _Context:
    by_id: dict[int, SchoolClass]
    by_grade: dict[int, list[GradeSubject]]
    students: dict[int, list[Student]]
    conduct: dict[int, dict[int, secondary.Level]]
    absences: dict[int, int]
    qualities: dict[int, list[int]]

    def is_primary(self, school_class: SchoolClass) -> bool:
        return any(gs.subject.kind == SubjectKind.LEVEL for gs in self.by_grade[school_class.grade])

    def result(self, student: Student) -> StudentResult:
        result = StudentResult(student)
        result.conduct.update(self.conduct.get(student.pk, {}))
        result.absences = self.absences.get(student.pk, 0)
        return result


def _context(classes: list[SchoolClass]) -> _Context:
    ids = [c.pk for c in classes]
    by_grade: dict[int, list[GradeSubject]] = defaultdict(list)
    for gs in GradeSubject.objects.filter(grade__in={c.grade for c in classes}).select_related("subject"):
        by_grade[gs.grade].append(gs)
    students: dict[int, list[Student]] = defaultdict(list)
    # A closed year's classes are read from the enrolment history (selectors.roster), the others from
    # the students' current class.
    closed = roster.closed_class_ids(classes)
    open_ids = [pk for pk in ids if pk not in closed]
    for student in (
        Student.objects.filter(current_class_id__in=open_ids, status__in=IN_CLASS_STATUSES)
        .order_by("current_class_id", *NAME_ORDER)
        .only("pk", "full_name", "date_of_birth", "school_id", "current_class_id")
    ):
        students[student.current_class_id].append(student)  # type: ignore[index]
    closed_ids: set[int] = set()
    if closed:
        members = roster.closed_rosters([c for c in classes if c.pk in closed])
        closed_ids = {pk for found in members.values() for pk in found}
        by_pk = {
            s.pk: s
            for s in Student.objects.filter(pk__in=closed_ids)
            .order_by(*NAME_ORDER)
            .only("pk", "full_name", "date_of_birth", "school_id", "current_class_id")
        }
        for class_id, found in members.items():
            students[class_id] = [s for s in by_pk.values() if s.pk in found]
    conduct: dict[int, dict[int, secondary.Level]] = defaultdict(dict)
    for student_id, term, level in Conduct.objects.filter(school_class_id__in=ids).values_list(
        "student_id", "term", "level"
    ):
        conduct[student_id][term] = secondary.Level(level)
    absences: dict[int, int] = {}
    for year_id in {c.year_id for c in classes}:
        year = next(c.year for c in classes if c.year_id == year_id)
        for student_id, n in (
            Absence.objects.filter(
                Q(student__current_class_id__in=open_ids) | Q(student_id__in=closed_ids),
                date__range=(year.start_date, year.end_date),
            )
            .order_by()
            .values("student_id")
            .annotate(n=Count("id"))
            .values_list("student_id", "n")
        ):
            absences[student_id] = n
    qualities: dict[int, list[int]] = defaultdict(list)
    if any(c.grade < 6 for c in classes):
        for student_id, level in QualityMark.objects.filter(
            school_class_id__in=ids, term=2, kind=MarkKind.FINAL
        ).values_list("student_id", "level"):
            qualities[student_id].append(level)
    return _Context({c.pk: c for c in classes}, by_grade, students, conduct, absences, qualities)


def _results(classes: list[SchoolClass], chunk_size: int) -> Iterator[ClassSummary]:
    ctx = _context(classes)
    in_sql = averages.supported()
    aggregated = [c.pk for c in classes if in_sql and not ctx.is_primary(c)]
    from_marks = [c.pk for c in classes if not (in_sql and not ctx.is_primary(c))]
    # The server-side cursors live in one transaction, the two streams merged back into id order.
    atomic = transaction.atomic() if connection.vendor == "postgresql" else contextlib.nullcontext()
    with atomic:
        yield from heapq.merge(
            _from_marks(from_marks, ctx, chunk_size),
            _from_averages(aggregated, ctx, chunk_size),
            key=lambda summary: summary.school_class.pk,
        )


# --- Secondary classes on PostgreSQL: the averages from SQL, the rules in Python ---------------------------


def _from_averages(ids: list[int], ctx: _Context, chunk_size: int) -> Iterator[ClassSummary]:
    pending = iter(ids)
    current: int | None = None
    rows: dict[int, dict[int, averages.Averages]] = {}
    by_grade: dict[int, list[int]] = defaultdict(list)
    for class_id in ids:
        by_grade[ctx.by_id[class_id].grade].append(class_id)
    for chunk in averages.averages_ordered(by_grade, ctx.by_grade, chunk_size):
        for row in chunk:
            class_id = row[0]
            if class_id != current:
                if current is not None:
                    yield from _flush_averages(pending, current, ctx, rows)
                current, rows = class_id, {}
            student = rows.get(row[2])
            if student is None:
                student = rows[row[2]] = {}
            student[row[1]] = row
    if current is not None:
        yield from _flush_averages(pending, current, ctx, rows)
    yield from _flush_averages(pending, None, ctx, {})


def _flush_averages(
    pending: Iterator[int], upto: int | None, ctx: _Context, rows: dict[int, dict[int, averages.Averages]]
) -> Iterator[ClassSummary]:
    """The summaries of the classes up to `upto` (every one left when None); `rows` holds `upto`'s."""
    for class_id in pending:
        school_class = ctx.by_id[class_id]
        grade_subjects = ctx.by_grade[school_class.grade]
        subjects = [gs.subject for gs in grade_subjects]
        required = {
            gs.subject_id: regular_for(gs.subject.kind, gs.periods_per_year) + 2 for gs in grade_subjects
        }
        mine = rows if class_id == upto else {}
        results = []
        for student in ctx.students.get(class_id, []):
            result = ctx.result(student)
            averaged = mine.get(student.pk, {})
            for subject in subjects:
                result.subjects[subject.id] = _row(
                    student, subject, averaged.get(subject.id), required[subject.id]
                )
            conclude_secondary(result, subjects)
            results.append(result)
        yield ClassSummary(school_class, subjects, results)
        if class_id == upto:
            return


def _row(student: Student, subject: Subject, averaged: averages.Averages | None, required: int) -> Row:
    """The subject's row as `derive` would have filled it from the marks."""
    row = Row(student)
    if subject.kind == SubjectKind.SCORED:
        if averaged is None:
            row.term_average = {1: None, 2: None}
        else:
            row.term_average = {1: averaged[3], 2: averaged[4]}
            row.year_average = averaged[5]
    elif subject.kind == SubjectKind.COMMENT:
        counts = (
            ((0, 0), (0, 0)) if averaged is None else ((averaged[6], averaged[7]), (averaged[8], averaged[9]))
        )
        row.term_passed = {
            term: secondary.comment_subject_passed([True] * passed + [False] * (levels - passed))
            if levels == required
            else None
            for term, (levels, passed) in zip((1, 2), counts, strict=True)
        }
    return row


# --- Every class on SQLite, primary classes everywhere: the marks through Python -------------------------


def _from_marks(ids: list[int], ctx: _Context, chunk_size: int) -> Iterator[ClassSummary]:
    pending = iter(ids)
    current: int | None = None
    cells: dict[int, dict[int, dict[Any, Cell]]] = {}
    student_cells: dict[int, dict[Any, Cell]] = {}
    subject_cells: dict[Any, Cell] = {}
    last_student = last_subject = None
    make = tuple.__new__  # a Cell without the NamedTuple's Python-level __new__: millions of them
    for chunk in _marks_ordered(ids, chunk_size):
        for class_id, student_id, subject_id, term, kind, index, value, level in chunk:
            if class_id != current:
                if current is not None:
                    yield from _flush_marks(pending, current, ctx, cells)
                current, cells, last_student = class_id, {}, None
            if student_id != last_student:
                student_cells = cells.setdefault(student_id, {})
                last_student, last_subject = student_id, None
            if subject_id != last_subject:
                subject_cells = student_cells.setdefault(subject_id, {})
                last_subject = subject_id
            subject_cells[(term, kind, index)] = make(Cell, (value, level))
    if current is not None:
        yield from _flush_marks(pending, current, ctx, cells)
    yield from _flush_marks(pending, None, ctx, {})


def _marks_ordered(ids: list[int], chunk_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """The classes' marks ordered by class, student and subject, in chunks of rows read through a
    server-side cursor where the database has one (PostgreSQL, inside the caller's transaction), so that
    memory holds a chunk, not the district; whole chunks, because a Python step per row is what costs at
    millions of rows."""
    if not ids:
        return
    queryset = (
        Mark.objects.filter(school_class_id__in=ids)
        .order_by("school_class_id", "student_id", "subject_id")
        .values_list("school_class_id", "student_id", "subject_id", "term", "kind", "index", "value", "level")
    )
    if connection.vendor != "postgresql":
        rows = queryset.iterator(chunk_size=chunk_size)
        while chunk := list(itertools.islice(rows, chunk_size)):
            yield chunk
        return
    sql, params = queryset.query.sql_with_params()
    connection.ensure_connection()
    with connection.connection.cursor(name="records_marks_ordered") as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield chunk


def _flush_marks(
    pending: Iterator[int], upto: int | None, ctx: _Context, cells: dict[int, dict[int, dict[Any, Cell]]]
) -> Iterator[ClassSummary]:
    """The summaries of the classes up to `upto` (every one left when None): those without marks come
    out too, empty, so every class is answered; `cells` holds the marks of `upto`."""
    for class_id in pending:
        school_class = ctx.by_id[class_id]
        grade_subjects = ctx.by_grade[school_class.grade]
        subjects = [gs.subject for gs in grade_subjects]
        regular = {gs.subject_id: regular_for(gs.subject.kind, gs.periods_per_year) for gs in grade_subjects}
        is_primary = ctx.is_primary(school_class)
        mine = cells if class_id == upto else {}
        results = []
        for student in ctx.students.get(class_id, []):
            result = ctx.result(student)
            student_cells = mine.get(student.pk, {})
            if is_primary:
                summarise_primary(result, subjects, student_cells, ctx.qualities.get(student.pk, []))  # type: ignore[arg-type]
            else:
                summarise_secondary(result, subjects, school_class.grade, student_cells, regular)  # type: ignore[arg-type]
            results.append(result)
        yield ClassSummary(school_class, subjects, results)
        if class_id == upto:
            return

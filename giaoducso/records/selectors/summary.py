"""A class's results (tổng hợp kết quả): every subject, the learning result and conduct per term and year,
absences, promotion, re-tests and awards — derived from the marks by the circular's rules, never stored.

Four queries per class whatever its size (subjects, students, marks, conduct and absences); `summarise`
takes plain rows so that the term-close benchmark runs the very same code over a whole district.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count
from django.http import Http404

from giaoducso.directory.models import SchoolClass, Student
from rules import assessment_primary as primary
from rules import assessment_secondary as secondary

from ..models import Absence, Conduct, GradeSubject, Mark, MarkKind, QualityMark, Subject, SubjectKind
from ..services.marks import regular_for
from .access import class_access_or_404
from .gradebook import Row, _students, columns_of, derive

YEAR = 0  # the key of the year's result beside terms 1 and 2


class Cell(NamedTuple):
    value: Decimal | None
    level: int | None


@dataclass
class StudentResult:
    student: Student
    # subject id → the derived row (term averages / passed, year average)
    subjects: dict[int, Row] = field(default_factory=dict)
    learning: dict[int, secondary.Level | None] = field(default_factory=dict)
    conduct: dict[int, secondary.Level | None] = field(default_factory=dict)
    absences: int = 0
    outcome: secondary.Outcome | None = None
    retests: list[str] = field(default_factory=list)
    award: str = ""
    # Primary
    primary_result: primary.YearResult | None = None
    # subject id → {(term, kind, index): Cell}: a primary pupil's levels and tests (for the transcript)
    primary_cells: dict[int, dict[Any, Cell]] = field(default_factory=dict)


@dataclass
class ClassSummary:
    school_class: SchoolClass
    subjects: list[Subject]
    results: list[StudentResult]


def _learning(subjects: list[Subject], rows: dict[int, Row], term: int) -> secondary.Level | None:
    scored: list[Decimal] = []
    passed: list[bool] = []
    for subject in subjects:
        row = rows.get(subject.id)  # `.id`, not `.pk`: a property lookup per subject per student adds up
        if subject.kind == SubjectKind.SCORED:
            value = (row.year_average if term == YEAR else row.term_average.get(term)) if row else None
            if value is None:
                return None
            scored.append(value)
        elif subject.kind == SubjectKind.COMMENT:
            result = row.term_passed.get(2 if term == YEAR else term) if row else None
            if result is None:
                return None
            passed.append(result)
    return secondary.learning_result(scored, passed)


def summarise_secondary(
    result: StudentResult,
    subjects: list[Subject],
    grade: int,
    cells: dict[int, dict[Any, Cell]],
    regular: dict[int, int],
) -> None:
    """Fills `result` from one student's cells: subject id → {(term, kind, index): Cell}."""
    for subject in subjects:
        subject_id = subject.id
        row = Row(result.student, cells=cells.get(subject_id, {}))  # type: ignore[arg-type]
        derive(row, subject, columns_of(regular[subject_id]))
        result.subjects[subject_id] = row
    conclude_secondary(result, subjects)


def conclude_secondary(result: StudentResult, subjects: list[Subject]) -> None:
    """The learning result, year conduct, promotion, re-tests and award from the subjects' averages and
    results already in `result.subjects` (from the marks by `derive`, or from the SQL aggregation)."""
    for term in (1, 2, YEAR):
        result.learning[term] = _learning(subjects, result.subjects, term)
    one, two = result.conduct.get(1), result.conduct.get(2)
    result.conduct[YEAR] = secondary.conduct_year(one, two) if one is not None and two is not None else None
    conduct, learning = result.conduct[YEAR], result.learning[YEAR]
    if conduct is None or learning is None:
        return
    result.outcome = secondary.promotion(conduct=conduct, learning=learning, sessions_absent=result.absences)
    if result.outcome == secondary.Outcome.RETESTS:
        result.retests = secondary.retest_subjects(
            {s.name: result.subjects[s.pk].year_average for s in subjects if s.kind == SubjectKind.SCORED},  # type: ignore[misc]
            {
                s.name: bool(result.subjects[s.pk].term_passed.get(2))
                for s in subjects
                if s.kind == SubjectKind.COMMENT
            },
        )
    averages = [r.year_average for r in result.subjects.values() if r.year_average is not None]
    award = secondary.year_award(conduct=conduct, learning=learning, scored=averages)
    result.award = award.name if award else ""


def summarise_primary(
    result: StudentResult, subjects: list[Subject], cells: dict[int, dict[Any, Cell]], qualities: list[int]
) -> None:
    """The year's overall result from the end-of-year levels, tests and qualities — only once every subject
    of the grade has its end-of-year level: a half-filled year has no result yet."""
    result.primary_cells = cells
    end = (2, MarkKind.FINAL, 1)
    ends = [cells.get(subject.pk, {}).get(end) for subject in subjects]
    levels = [cell.level for cell in ends if cell is not None]
    if not subjects or len(levels) < len(subjects) or any(level is None for level in levels) or not qualities:
        return
    tests = [int(c[end].value) for c in cells.values() if end in c and c[end].value is not None]
    result.primary_result = primary.year_result(
        subjects=[primary.SubjectLevel(level) for level in levels if level is not None],
        qualities=[primary.QualityLevel(q) for q in qualities],
        end_of_year_tests=tests,
    )
    award = primary.year_award(result=result.primary_result, recognised_by_class=False)
    result.award = award.name if award else ""


def class_summary(*, user: Any, school_class: SchoolClass) -> ClassSummary:
    """The class's results for those who see the whole class (homeroom teacher, school leaders,
    department); a family sees their child's row only."""
    access = class_access_or_404(user, school_class)
    grade = school_class.grade
    grade_subjects = list(GradeSubject.objects.filter(grade=grade).select_related("subject"))
    subjects = [gs.subject for gs in grade_subjects]
    regular = {gs.subject_id: regular_for(gs.subject.kind, gs.periods_per_year) for gs in grade_subjects}
    if not access.whole_class and access.students is None:
        raise Http404  # a subject teacher reads their subject's grade book, not the class's results
    students = list(_students(school_class, access))
    results = {s.pk: StudentResult(s) for s in students}
    cells: dict[int, dict[int, dict[Any, Cell]]] = defaultdict(lambda: defaultdict(dict))
    rows: Iterable[tuple[int, int, int, str, int, Decimal | None, int | None]] = Mark.objects.filter(
        school_class=school_class, student_id__in=list(results)
    ).values_list("student_id", "subject_id", "term", "kind", "index", "value", "level")
    for student_id, subject_id, term, kind, index, value, level in rows:
        cells[student_id][subject_id][(term, kind, index)] = Cell(value, level)
    for student_id, term, level in Conduct.objects.filter(
        school_class=school_class, student_id__in=list(results)
    ).values_list("student_id", "term", "level"):
        results[student_id].conduct[term] = secondary.Level(level)
    year = school_class.year
    for row in (
        Absence.objects.filter(student_id__in=list(results), date__range=(year.start_date, year.end_date))
        .values("student_id")
        .annotate(n=Count("id"))
    ):
        results[row["student_id"]].absences = row["n"]
    is_primary = any(s.kind == SubjectKind.LEVEL for s in subjects)
    qualities: dict[int, list[int]] = defaultdict(list)
    if is_primary:
        for student_id, level in QualityMark.objects.filter(
            school_class=school_class, term=2, kind=MarkKind.FINAL
        ).values_list("student_id", "level"):
            qualities[student_id].append(level)
    for student_id, result in results.items():
        if is_primary:
            summarise_primary(result, subjects, cells[student_id], qualities[student_id])
        else:
            summarise_secondary(result, subjects, grade, cells[student_id], regular)
    return ClassSummary(school_class, subjects, list(results.values()))

"""Writing a grade book's cells: one path for the screen (a cell saved on its own), the API, a pasted column
and an import; each cell checked by the circular's rules, refused in a locked term, audited.

A cell is addressed by (class, subject, student, term, kind, index). Clearing a cell deletes its row, so an
empty grade book is an empty table. Averages are never stored: they follow from the marks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction
from giaoducso.directory.models import SchoolClass, Student, StudentStatus
from rules import assessment_primary, assessment_secondary
from rules.curriculum import PRIMARY_TESTED

from ..models import GradeSubject, Mark, MarkKind, Subject, SubjectKind, Term
from ..selectors.access import class_access
from .locks import ensure_open

IN_CLASS_STATUSES = frozenset({StudentStatus.STUDYING, StudentStatus.TRANSFERRED_IN, StudentStatus.RETURNED})
_CHECKPOINTS = {
    (1, MarkKind.MIDTERM): assessment_primary.Checkpoint.MID_TERM_1,
    (1, MarkKind.FINAL): assessment_primary.Checkpoint.END_TERM_1,
    (2, MarkKind.MIDTERM): assessment_primary.Checkpoint.MID_TERM_2,
    (2, MarkKind.FINAL): assessment_primary.Checkpoint.END_OF_YEAR,
}


@dataclass(frozen=True)
class Cell:
    """One cell to write: its address in a class and subject's grade book, and what it holds. `value` is
    the text typed ("8,5" is 8.5) or a Decimal; `level` an int; "" / None clears that part. A comment of
    None keeps the stored one (a grid that edits scores never wipes the teacher's comments)."""

    student_id: int
    term: int
    kind: str
    index: int = 1
    value: str | Decimal | None = None
    level: int | None = None
    comment: str | None = None


def regular_for(kind: str, periods_per_year: int) -> int:
    """How many regular assessments a term takes: by the periods for a scored subject, 2 for a
    comment-only one (Art. 6.2), none at primary (levels at the four assessment points)."""
    if kind == SubjectKind.COMMENT:
        return 2
    if kind == SubjectKind.LEVEL:
        return 0
    return assessment_secondary.regular_score_count(periods_per_year)


def regular_count(subject: Subject, grade: int) -> int:
    """How many regular assessments a term of `subject` takes in `grade`."""
    periods = GradeSubject.objects.filter(subject=subject, grade=grade).values_list(
        "periods_per_year", flat=True
    )
    return regular_for(subject.kind, periods.first() or 0)


def is_system(actor: Actor) -> bool:
    """The system itself (None) or a named system job ("seed_demo"): no person, so no teaching
    assignment to check; every other check (the class, the lock, the rules) still applies."""
    return actor is None or isinstance(actor, str)


def tested_at(subject: Subject, grade: int, term: int, kind: str) -> bool:
    """Whether a primary subject takes a periodic test (a score beside its level) at this checkpoint."""
    checkpoint = _CHECKPOINTS.get((term, kind))
    if subject.kind != SubjectKind.LEVEL or checkpoint is None:
        return False
    tested = {str(s) for s in assessment_primary.tested_subjects(grade, checkpoint)}
    return PRIMARY_TESTED.get(subject.code) in tested


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


class _Checker:
    """The checks shared by every cell of one class and subject, looked up once."""

    def __init__(
        self,
        *,
        actor: Actor,
        school_class: SchoolClass,
        subject: Subject,
        via_correction: bool,
        system: bool = False,
    ) -> None:
        self.school_class = school_class
        self.subject = subject
        periods = (
            GradeSubject.objects.filter(subject=subject, grade=school_class.grade)
            .values_list("periods_per_year", flat=True)
            .first()
        )
        if periods is None:
            raise _error(
                "subject",
                _("Khối %(grade)s không học môn %(subject)s.")
                % {"grade": school_class.grade, "subject": subject.name},
                "subject_not_taught",
            )
        if not via_correction and not (system and is_system(actor)):
            access = class_access(actor, school_class)
            if access is None or not access.enters_subject(subject.pk):
                raise PermissionDenied(
                    _("Bạn không được phân công dạy môn %(subject)s ở lớp %(cls)s.")
                    % {"subject": subject.name, "cls": school_class.name}
                )
        self.via_correction = via_correction
        self.regular = regular_for(subject.kind, periods)
        # The pupils by id: whether a cell's pupil is in the class, and the name its audit line shows.
        self.in_class = {
            s.pk: s
            for s in Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES).only(
                "pk", "full_name"
            )
        }
        self.open_terms: set[int] = set()

    def check(self, cell: Cell) -> tuple[Decimal | None, int | None, str | None]:
        if cell.student_id not in self.in_class:
            raise _error(
                "student",
                _("Học sinh không (còn) học ở lớp %(cls)s.") % {"cls": self.school_class.name},
                "not_in_class",
            )
        if cell.term not in Term.values:
            raise _error("term", _("Học kì phải là I hoặc II."), "invalid_term")
        if cell.term not in self.open_terms and not self.via_correction:
            ensure_open(self.school_class, cell.term)
            self.open_terms.add(cell.term)
        self._check_address(cell)
        value = self._value(cell)
        level = self._level(cell)
        comment = None if cell.comment is None else cell.comment.strip()
        if comment is not None and len(comment) > 500:
            raise _error("comment", _("Nhận xét dài tối đa 500 kí tự."), "too_long")
        return value, level, comment

    def _check_address(self, cell: Cell) -> None:
        kind = self.subject.kind
        if cell.kind not in MarkKind.values or (kind == SubjectKind.LEVEL and cell.kind == MarkKind.REGULAR):
            raise _error("kind", _("Loại đánh giá không có ở môn này."), "invalid_kind")
        limit = self.regular if cell.kind == MarkKind.REGULAR else 1
        if not 1 <= cell.index <= limit:
            raise _error(
                "index",
                _("Môn này có %(n)s lần đánh giá loại này mỗi học kì.") % {"n": limit},
                "invalid_index",
            )

    def _value(self, cell: Cell) -> Decimal | None:
        raw = cell.value
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = self.subject.kind
        if kind == SubjectKind.COMMENT:
            raise _error(
                "value",
                _("Môn đánh giá bằng nhận xét không cho điểm số: chọn Đạt hoặc Chưa đạt."),
                "no_score",
            )
        if kind == SubjectKind.LEVEL:
            if not tested_at(self.subject, self.school_class.grade, cell.term, cell.kind):
                raise _error(
                    "value", _("Môn này không có bài kiểm tra định kì ở thời điểm này."), "not_tested"
                )
            if isinstance(raw, Decimal) and raw == raw.to_integral_value():
                raw = str(int(raw))  # a stored score kept beside a new level: 8.0 is the 8 typed
            try:
                return Decimal(assessment_primary.parse_test_score(str(raw)))
            except assessment_primary.TestScoreError as error:
                raise _error("value", str(error), error.code) from None
        try:
            return assessment_secondary.parse_score(str(raw))
        except assessment_secondary.ScoreError as error:
            raise _error("value", str(error), error.code) from None

    def _level(self, cell: Cell) -> int | None:
        if cell.level is None:
            return None
        allowed = {SubjectKind.COMMENT: (0, 1), SubjectKind.LEVEL: (0, 1, 2)}.get(
            SubjectKind(self.subject.kind), ()
        )
        if cell.level not in allowed:
            raise _error("level", _("Mức đánh giá không hợp lệ cho môn này."), "invalid_level")
        return cell.level


def _snapshot(mark: Mark | None) -> dict[str, Any]:
    if mark is None:
        return {}
    return {"value": mark.value, "level": mark.level, "comment": mark.comment}


@transaction.atomic
def marks_write(
    *,
    actor: Actor,
    school_class: SchoolClass,
    subject: Subject,
    cells: Iterable[Cell],
    via_correction: bool = False,
    note: str = "",
    system: bool = False,
) -> list[Mark | None]:
    """Writes cells of one class and subject, all or nothing: the first refused cell refuses the lot.
    Returns each cell's row after the write (None where the cell is now empty). `system` lets the
    system itself (see `is_system`) write without a teaching assignment (the demo, a migration)."""
    checker = _Checker(
        actor=actor, school_class=school_class, subject=subject, via_correction=via_correction, system=system
    )
    cells = list(cells)
    checked = [(cell, *checker.check(cell)) for cell in cells]
    existing = {
        (m.student_id, m.term, m.kind, m.index): m
        for m in Mark.objects.select_for_update().filter(
            school_class=school_class,
            subject=subject,
            student_id__in={c.student_id for c in cells},
        )
    }
    user = actor if getattr(actor, "is_authenticated", False) else None
    school = school_class.school  # the audit line's unit: read once, not once a cell
    results: list[Mark | None] = []
    for cell, value, level, comment in checked:
        key = (cell.student_id, cell.term, cell.kind, cell.index)
        mark = existing.get(key)
        if mark is not None:
            # What the audit line names (pupil, subject, school), without a query per cell.
            mark.school, mark.school_class, mark.subject = school, school_class, subject
            mark.student = checker.in_class[cell.student_id]
        before = _snapshot(mark)
        if comment is None:
            comment = mark.comment if mark is not None else ""
        if value is None and level is None and not comment:
            if mark is not None:
                audit.record_delete(actor=actor, obj=mark, note=note)
                mark.delete()
                existing.pop(key)
            results.append(None)
            continue
        if mark is None:
            mark = Mark(
                school=school,
                school_class=school_class,
                subject=subject,
                student=checker.in_class[cell.student_id],
                term=cell.term,
                kind=cell.kind,
                index=cell.index,
            )
        mark.value, mark.level, mark.comment, mark.updated_by = value, level, comment, user
        if before and before == _snapshot(mark):
            results.append(mark)
            continue
        mark.save()
        existing[key] = mark
        if before:
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=mark,
                changes=audit.diff(before, _snapshot(mark)),
                note=note,
            )
        else:
            audit.record_create(actor=actor, obj=mark, note=note)
        results.append(mark)
    return results


def mark_set(
    *, actor: Actor, school_class: SchoolClass, subject: Subject, cell: Cell, note: str = ""
) -> Mark | None:
    """One cell, as the grade book saves it when the teacher leaves it."""
    return marks_write(actor=actor, school_class=school_class, subject=subject, cells=[cell], note=note)[0]


def marks_check(
    *, actor: Actor, school_class: SchoolClass, subject: Subject, cells: Iterable[Cell]
) -> list[tuple[int, str, str]]:
    """Checks cells exactly as `marks_write` would, writing nothing: (position, field, message) of every
    refused cell, so that an import reports all of them at once. What refuses the whole lot (a subject the
    grade does not learn, a user who does not teach it here) raises, as in `marks_write`."""
    checker = _Checker(actor=actor, school_class=school_class, subject=subject, via_correction=False)
    problems: list[tuple[int, str, str]] = []
    for position, cell in enumerate(cells):
        try:
            checker.check(cell)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                field, errors = next(iter(error.error_dict.items()))
                problems.append((position, field, str(errors[0].messages[0])))
            else:
                problems.append((position, "", str(error.messages[0])))
    return problems

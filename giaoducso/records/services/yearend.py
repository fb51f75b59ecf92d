"""The end of the school year: each student's decision (promoted, re-tests, repeating, graduating) from the
year's results by the circulars' rules (`rules.assessment_secondary.summer_outcome`,
`rules.assessment_primary.year_end_completes`), the summer's re-test results and re-assessed conduct, then
the rollover to the next school year in one audited transaction:

- the next year of the school's calendar and its terms (created, shifted one year, when the Sở has not yet);
- for every class below the school's last grade a class one grade up (name "6/1" → "7/1" and the same
  homeroom teacher proposed; both editable), and for repeaters a class of their own grade;
- every student moved with their decision; promoted students of the last grade leave as graduated
  (the certificate-of-completion list).

`year_end_preview` computes the plan without writing; `year_end_apply` recomputes it, refuses while a
decision is still open (a re-test or a re-assessment not entered), and applies it once: a second apply for
the same school and year finds its `YearEndRun` and changes nothing.

Students are moved here rather than through `directory.services.student_set_class`, which only places
students in the current year's classes: the new year is not current until the Sở switches the calendar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import AuditAction, Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory import services as directory_services
from giaoducso.directory.models import (
    Enrolment,
    School,
    SchoolClass,
    SchoolYear,
    Staff,
    Student,
    StudentStatus,
)
from giaoducso.directory.models import Term as YearTerm
from giaoducso.directory.selectors import current_year_for
from rules import assessment_primary as primary
from rules import assessment_secondary as secondary
from rules.students import LEVEL_GRADES, parse_class_name

from ..models import Conduct, Retest, SubjectKind, YearEndRun
from ..selectors.summary import YEAR
from ..selectors.term_close import results_for_classes
from .marks import IN_CLASS_STATUSES

PROMOTED, REPEAT, GRADUATED, PENDING = "promoted", "repeat", "graduated", "pending"
DECISION_LABELS = {
    PROMOTED: "Lên lớp",
    REPEAT: "Ở lại lớp",
    GRADUATED: "Hoàn thành chương trình cấp học",
    PENDING: "Chưa quyết định",
}


@dataclass
class ClassPlan:
    key: str  # the class it comes from ("12"), or "r:6/1" for a class opened for repeaters only
    name: str
    grade: int
    teacher_id: int | None
    teacher_name: str = ""
    from_name: str = ""


@dataclass
class StudentPlan:
    student_id: int
    name: str
    from_class: str
    decision: str
    reason: str
    to_class: str = ""
    # A primary pupil who does not complete the grade: the principal decides (Circular 27, Art. 11).
    may_override: bool = False
    overridden: bool = False
    rule_decision: str = ""


@dataclass
class YearEndPlan:
    school_id: int
    from_year_id: int
    from_year: str
    to_year_id: int | None
    to_year: str
    to_start: dt.date
    to_end: dt.date
    classes: list[ClassPlan] = field(default_factory=list)
    students: list[StudentPlan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    override_errors: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return self.errors + self.override_errors

    @property
    def pending(self) -> list[StudentPlan]:
        return [s for s in self.students if s.decision == PENDING]

    def count(self, decision: str) -> int:
        return sum(1 for s in self.students if s.decision == decision)

    @property
    def graduates(self) -> list[StudentPlan]:
        return [s for s in self.students if s.decision == GRADUATED]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["to_start"], data["to_end"] = self.to_start.isoformat(), self.to_end.isoformat()
        return data


def _may_close(actor: Actor, school: Unit) -> None:
    if not has_perm(actor, Perm.CLOSE_YEAR, school):
        raise PermissionDenied(_("Chỉ Hiệu trưởng được xét lên lớp và chuyển năm học."))


def _shift(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _next_year(year: SchoolYear) -> SchoolYear | None:
    return (
        SchoolYear.objects.filter(unit_id=year.unit_id, start_date__gt=year.start_date)
        .order_by("start_date")
        .first()
    )


def _next_name(name: str) -> str:
    first = int(name[:4]) + 1
    return f"{first}-{first + 1}"


def _last_grade(school: Unit) -> int:
    record = School.objects.filter(unit=school).only("level").first()
    grades = LEVEL_GRADES.get(record.level if record else "", frozenset())
    return max(grades) if grades else 9


def _moved_name(name: str, grade: int) -> str:
    suffix = name.split("/", 1)[1] if "/" in name else name
    return f"{grade}/{suffix}"


def _year_results(result: Any, subjects: list[Any]) -> tuple[dict[str, Decimal], dict[str, bool]]:
    scored = {
        s.name: result.subjects[s.pk].year_average
        for s in subjects
        if s.kind == SubjectKind.SCORED and result.subjects[s.pk].year_average is not None
    }
    passed = {
        s.name: bool(result.subjects[s.pk].term_passed.get(2))
        for s in subjects
        if s.kind == SubjectKind.COMMENT
    }
    return scored, passed


def retest_names(result: Any, subjects: list[Any]) -> list[str]:
    """The subjects a student re-sits when their year's learning is Chưa đạt (also after conduct
    training, which comes first)."""
    if result.learning.get(YEAR) != secondary.Level.CHUA_DAT:
        return []
    return secondary.retest_subjects(*_year_results(result, subjects))


def _decide_secondary(
    result: Any, subjects: list[Any], retests: dict[str, Any], reassessed: Any
) -> tuple[str, str]:
    conduct, learning = result.conduct.get(YEAR), result.learning.get(YEAR)
    if conduct is None or learning is None:
        return PENDING, "Chưa đủ điểm hoặc kết quả rèn luyện cả năm"
    scored = {
        s.name: result.subjects[s.pk].year_average
        for s in subjects
        if s.kind == SubjectKind.SCORED and result.subjects[s.pk].year_average is not None
    }
    passed = {
        s.name: bool(result.subjects[s.pk].term_passed.get(2))
        for s in subjects
        if s.kind == SubjectKind.COMMENT
    }
    outcome = secondary.summer_outcome(
        conduct=conduct,
        learning=learning,
        sessions_absent=result.absences,
        scored=scored,
        comment_passed=passed,
        reassessed_conduct=reassessed,
        retest_results=retests,
    )
    first = result.outcome
    if outcome is None:
        if first == secondary.Outcome.CONDUCT_TRAINING and reassessed is None:
            return PENDING, "Rèn luyện trong hè: chưa có kết quả đánh giá lại"
        return PENDING, "Kiểm tra lại: chưa đủ kết quả (" + ", ".join(retest_names(result, subjects)) + ")"
    if first in (secondary.Outcome.RETESTS, secondary.Outcome.CONDUCT_TRAINING):
        reason = f"Sau {first.label.lower()}"
    else:
        reason = first.label if first else ""
    if outcome == secondary.Outcome.REPEAT and result.absences > secondary.MAX_ABSENT_SESSIONS:
        reason = f"Nghỉ {result.absences} buổi (quá {secondary.MAX_ABSENT_SESSIONS} buổi)"
    return (PROMOTED if outcome == secondary.Outcome.PROMOTED else REPEAT), reason


def _decide_primary(result: Any) -> tuple[str, str]:
    if result.primary_result is None:
        return PENDING, "Chưa đủ đánh giá cuối năm"
    if primary.year_end_completes(result=result.primary_result):
        return PROMOTED, result.primary_result.label
    return REPEAT, result.primary_result.label


OVERRIDE_REASON_MAX = 255
Overrides = dict[int, tuple[str, str]]


def _override(row: StudentPlan, wanted: tuple[str, str] | None, errors: list[str]) -> None:
    """The principal's decision for a primary pupil who does not complete the grade: promoted (for the
    last grade: completes the programme) or repeats, always with the reason written down."""
    if wanted is None:
        return
    decision, reason = wanted
    reason = " ".join(str(reason).split())
    if not row.may_override:
        errors.append(
            _(
                "%(name)s: Hiệu trưởng chỉ quyết định thay cho học sinh tiểu học chưa hoàn thành chương trình "
                "lớp học; các trường hợp khác theo kết quả đánh giá."
            )
            % {"name": row.name}
        )
    elif decision not in (PROMOTED, REPEAT):
        errors.append(_("%(name)s: quyết định là Lên lớp hoặc Ở lại lớp.") % {"name": row.name})
    elif not reason:
        errors.append(_("%(name)s: hãy ghi lí do của quyết định.") % {"name": row.name})
    elif len(reason) > OVERRIDE_REASON_MAX or "<" in reason:
        errors.append(
            _("%(name)s: lí do dài tối đa %(n)s kí tự, không chứa mã HTML.")
            % {"name": row.name, "n": OVERRIDE_REASON_MAX}
        )
    else:
        row.decision, row.overridden = decision, True
        row.reason = _("Hiệu trưởng quyết định: %(reason)s") % {"reason": reason}


def year_end_preview(
    *,
    school: Unit,
    names: dict[str, str] | None = None,
    teachers: dict[str, int | None] | None = None,
    overrides: Overrides | None = None,
) -> YearEndPlan:
    """The plan of the school's end of year, written nowhere. `names` / `teachers` edit the proposed new
    classes by their key (a name; a staff id or None); `overrides` (student id → decision, reason) are the
    principal's decisions for primary pupils who do not complete the grade."""
    names, teachers, overrides = names or {}, teachers or {}, dict(overrides or {})
    year = current_year_for(school)
    if year is None:
        raise ValidationError(_("Trường chưa có năm học hiện tại."), code="no_year")
    following = _next_year(year)
    plan = YearEndPlan(
        school_id=school.pk,
        from_year_id=year.pk,
        from_year=year.name,
        to_year_id=following.pk if following else None,
        to_year=following.name if following else _next_name(year.name),
        to_start=following.start_date if following else _shift(year.start_date),
        to_end=following.end_date if following else _shift(year.end_date),
    )
    last = _last_grade(school)
    classes = list(
        SchoolClass.objects.filter(school=school, year=year, grade__gte=1)
        .select_related("year", "homeroom_teacher")
        .order_by("grade", "name")
    )
    staff = {s.pk: s for s in Staff.objects.filter(school=school)}
    by_key: dict[str, ClassPlan] = {}
    for old in classes:
        if old.grade >= last:
            continue
        key = str(old.pk)
        teacher_id = (
            teachers.get(key, old.homeroom_teacher_id) if key in teachers else old.homeroom_teacher_id
        )
        by_key[key] = ClassPlan(
            key=key,
            name=(names.get(key) or _moved_name(old.name, old.grade + 1)).strip(),
            grade=old.grade + 1,
            teacher_id=teacher_id,
            from_name=old.name,
        )
    retests: dict[int, dict[str, Any]] = {}
    for student_id, subject_name, kind, value, level in Retest.objects.filter(
        school_class__in=classes
    ).values_list("student_id", "subject__name", "subject__kind", "value", "level"):
        result: Decimal | bool | None = (
            Decimal(value)
            if kind == SubjectKind.SCORED and value is not None
            else (level == 1 if level is not None else None)
        )
        if result is not None:
            retests.setdefault(student_id, {})[subject_name] = result
    reassessed = {
        student_id: secondary.Level(level)
        for student_id, level in Conduct.objects.filter(school_class__in=classes, term=0).values_list(
            "student_id", "level"
        )
    }
    repeat_classes: dict[str, ClassPlan] = {}
    for summary in results_for_classes(classes):
        old = summary.school_class
        is_primary = any(s.kind == SubjectKind.LEVEL for s in summary.subjects)
        for result in summary.results:
            student = result.student
            if is_primary:
                decision, reason = _decide_primary(result)
            else:
                decision, reason = _decide_secondary(
                    result, summary.subjects, retests.get(student.pk, {}), reassessed.get(student.pk)
                )
            row = StudentPlan(
                student.pk, student.full_name, old.name, decision, reason, rule_decision=decision
            )
            row.may_override = is_primary and decision == REPEAT
            _override(row, overrides.pop(student.pk, None), plan.override_errors)
            decision = row.decision
            if decision == PROMOTED and old.grade >= last:
                row.decision = GRADUATED
            elif decision == PROMOTED:
                row.to_class = by_key[str(old.pk)].name
            elif decision == REPEAT:
                repeat_classes.setdefault(old.name, ClassPlan(f"r:{old.name}", old.name, old.grade, None))
            plan.students.append(row)
    # A repeater joins the new class that carries their class's name, or one opened for them.
    new_names = {c.name for c in by_key.values()}
    for name, extra in repeat_classes.items():
        if name not in new_names:
            extra.name = (names.get(extra.key) or name).strip()
            extra.teacher_id = teachers.get(extra.key)
            by_key[extra.key] = extra
    for row in plan.students:
        if row.decision == REPEAT:
            key = f"r:{row.from_class}"
            row.to_class = by_key[key].name if key in by_key else row.from_class
    if overrides:  # students not in the plan (another school's, or no longer in a class)
        plan.override_errors.append(
            _("Không có học sinh mã %(ids)s trong danh sách xét cuối năm của trường.")
            % {"ids": ", ".join(str(pk) for pk in sorted(overrides)[:10])}
        )
    plan.classes = sorted(by_key.values(), key=lambda c: (c.grade, c.name))
    for item in plan.classes:
        teacher = staff.get(item.teacher_id) if item.teacher_id else None
        item.teacher_name = teacher.full_name if teacher else ""
        if item.teacher_id and teacher is None:
            plan.errors.append(
                _("Giáo viên chủ nhiệm của lớp %(cls)s không thuộc trường.") % {"cls": item.name}
            )
        parsed = parse_class_name(item.name)
        if parsed is None or parsed[0] != item.grade:
            plan.errors.append(
                _("Tên lớp «%(name)s» phải có dạng %(grade)s/…, ví dụ %(grade)s/1.")
                % {"name": item.name[:40], "grade": item.grade}
            )
        else:
            item.name = parsed[1]
    seen: set[str] = set()
    for item in plan.classes:
        if item.name in seen:
            plan.errors.append(_("Hai lớp mới cùng tên %(name)s.") % {"name": item.name})
        seen.add(item.name)
    return plan


def _move(actor: Actor, student: Student, school_class: SchoolClass, day: dt.date) -> None:
    """Ends the open enrolment and opens the new year's (history kept), as student_set_class does."""
    for open_enrolment in Enrolment.objects.filter(student=student, end_date__isnull=True):
        open_enrolment.end_date = max(day - dt.timedelta(days=1), open_enrolment.start_date or day)
        open_enrolment.save(update_fields=["end_date"])
        audit.record(
            actor=actor,
            action="update",
            obj=open_enrolment,
            changes={"end_date": [None, open_enrolment.end_date]},
        )
    enrolment = Enrolment.objects.create(
        school=student.school,
        student=student,
        year=school_class.year,
        school_class=school_class,
        start_date=day,
    )
    audit.record_create(actor=actor, obj=enrolment, note="chuyển năm học")
    before = audit.snapshot(student, ("current_class",))
    student.current_class = school_class
    student.save(update_fields=["current_class", "updated_at"])
    audit.record_update(actor=actor, obj=student, before=before, note="chuyển năm học")


@transaction.atomic
def year_end_apply(
    *,
    actor: Actor,
    school: Unit,
    names: dict[str, str] | None = None,
    teachers: dict[str, int | None] | None = None,
    overrides: Overrides | None = None,
) -> YearEndRun:
    """Applies the plan `year_end_preview` shows, all or nothing; once per school and year. The principal's
    own decisions (`overrides`) are audited on each student with their reason."""
    _may_close(actor, school)
    Unit.objects.select_for_update().filter(pk=school.pk).first()  # one rollover of a school at a time
    year = current_year_for(school)
    done = YearEndRun.objects.filter(school=school, from_year=year).first() if year else None
    if done is not None:
        return done
    plan = year_end_preview(school=school, names=names, teachers=teachers, overrides=overrides)
    if plan.problems:
        raise ValidationError(plan.problems[0], code="invalid_plan")
    if plan.pending:
        raise ValidationError(
            _(
                "Còn %(n)s học sinh chưa có quyết định cuối năm (ví dụ %(name)s: %(reason)s). Hãy nhập kết quả "
                "kiểm tra lại, đánh giá lại rèn luyện trước khi chuyển năm học."
            )
            % {"n": len(plan.pending), "name": plan.pending[0].name, "reason": plan.pending[0].reason},
            code="pending_decisions",
        )
    from_year = SchoolYear.objects.get(pk=plan.from_year_id)
    if plan.to_year_id is not None:
        to_year = SchoolYear.objects.get(pk=plan.to_year_id)
    else:
        to_year = directory_services.school_year_create(
            actor=actor,
            unit=from_year.unit,
            name=plan.to_year,
            start_date=plan.to_start,
            end_date=plan.to_end,
        )
    if not YearTerm.objects.filter(year=to_year).exists():
        for term in YearTerm.objects.filter(year=from_year):
            new_term = YearTerm.objects.create(
                year=to_year,
                number=term.number,
                start_date=_shift(term.start_date),
                end_date=_shift(term.end_date),
            )
            audit.record_create(actor=actor, obj=new_term, note="chuyển năm học")
    new_classes: dict[str, SchoolClass] = {}
    staff = {s.pk: s for s in Staff.objects.filter(school=school)}
    for item in plan.classes:
        existing = SchoolClass.objects.filter(school=school, year=to_year, name=item.name).first()
        new_classes[item.name] = existing or directory_services.class_create(
            actor=actor,
            school=school,
            year=to_year,
            name=item.name,
            homeroom_teacher=staff.get(item.teacher_id) if item.teacher_id else None,
        )
    students = {
        s.pk: s
        for s in Student.objects.filter(pk__in=[r.student_id for r in plan.students]).select_related("school")
    }
    today = timezone.localdate()
    for row in plan.students:
        student = students[row.student_id]
        if student.status not in IN_CLASS_STATUSES:
            continue
        if row.overridden:
            audit.record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=student,
                changes={"year_end_decision": [row.rule_decision, row.decision]},
                note=row.reason[:255],
            )
        if row.decision == GRADUATED:
            directory_services.student_set_status(
                actor=actor,
                student=student,
                status=StudentStatus.GRADUATED,
                date=from_year.end_date,
                note=_("Hoàn thành chương trình, năm học %(year)s") % {"year": from_year.name},
                today=max(today, from_year.end_date),
            )
        else:
            _move(actor, student, new_classes[row.to_class], to_year.start_date)
    run = YearEndRun.objects.create(
        school=school, from_year=from_year, to_year=to_year, plan=plan.as_json(), applied_by=actor
    )
    audit.record_create(actor=actor, obj=run, note="chuyển năm học")
    return run


# --- the summer: re-tests and re-assessed conduct ------------------------------------------------------


def _may_enter_summer(actor: Actor, school_class: SchoolClass) -> None:
    from ..selectors.access import class_access

    access = class_access(actor, school_class)
    if not (
        (access is not None and access.homeroom) or has_perm(actor, Perm.CLOSE_YEAR, school_class.school)
    ):
        raise PermissionDenied(_("Chỉ giáo viên chủ nhiệm lớp hoặc Hiệu trưởng được nhập kết quả trong hè."))


@transaction.atomic
def retest_set(
    *,
    actor: Actor,
    school_class: SchoolClass,
    student: Student,
    subject: Any,
    value: str | None = None,
    level: int | None = None,
) -> Retest | None:
    """A summer re-test result: a score (0–10, one decimal) for a scored subject, Đạt (1) / Chưa đạt (0)
    for a comment-only one; empty clears it. Audited."""
    _may_enter_summer(actor, school_class)
    if student.current_class_id != school_class.pk:
        raise ValidationError(
            {"student": [_("Học sinh không học ở lớp %(cls)s.") % {"cls": school_class.name}]}
        )
    score: Decimal | None = None
    if subject.kind == SubjectKind.SCORED:
        text = (value or "").strip()
        if text:
            try:
                score = secondary.parse_score(text)
            except secondary.ScoreError as error:
                raise ValidationError({"value": [str(error)]}, code="invalid_score") from None
        level = None
    elif subject.kind == SubjectKind.COMMENT:
        if level is not None and level not in (0, 1):
            raise ValidationError(
                {"level": [_("Kết quả kiểm tra lại là Đạt hoặc Chưa đạt.")]}, code="invalid_level"
            )
    else:
        raise ValidationError({"subject": [_("Môn này không kiểm tra lại.")]}, code="invalid_subject")
    current = Retest.objects.filter(school_class=school_class, student=student, subject=subject).first()
    if score is None and level is None:
        if current is not None:
            audit.record_delete(actor=actor, obj=current)
            current.delete()
        return None
    if current is None:
        current = Retest.objects.create(
            school_id=school_class.school_id,
            school_class=school_class,
            student=student,
            subject=subject,
            value=score,
            level=level,
        )
        audit.record_create(actor=actor, obj=current)
        return current
    before = audit.snapshot(current, ["value", "level"])
    current.value, current.level = score, level
    current.save(update_fields=["value", "level", "updated_at"])
    audit.record_update(actor=actor, obj=current, before=before)
    return current


@transaction.atomic
def summer_conduct_set(
    *, actor: Actor, school_class: SchoolClass, student: Student, level: int | None
) -> None:
    """The conduct re-assessed after summer training (stored as term 0), replacing the year's."""
    _may_enter_summer(actor, school_class)
    if level is not None and level not in {lv.value for lv in secondary.Level}:
        raise ValidationError(
            {"level": [_("Mức rèn luyện là Tốt, Khá, Đạt hoặc Chưa đạt.")]}, code="invalid_level"
        )
    current = Conduct.objects.filter(school_class=school_class, student=student, term=0).first()
    if level is None:
        if current is not None:
            audit.record_delete(actor=actor, obj=current)
            current.delete()
        return
    if current is None:
        row = Conduct.objects.create(
            school_id=school_class.school_id, school_class=school_class, student=student, term=0, level=level
        )
        audit.record_create(actor=actor, obj=row, note="đánh giá lại sau rèn luyện hè")
        return
    before = audit.snapshot(current, ["level"])
    current.level = level
    current.save(update_fields=["level", "updated_at"])
    audit.record_update(actor=actor, obj=current, before=before)

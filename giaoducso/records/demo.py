"""The records' part of the demo district (core.demo registry) in its two demo schools — the first
lower-secondary school (where the demo accounts sit: the demo teacher teaches Toán there, the demo
homeroom teacher keeps 6/1) and the first primary school: who teaches what in every current class, and a
realistic term I in the first class of a few grades (TERM_ONE_GRADES).

Secondary: every score, conduct and a few absences, the students spread over the four learning bands
(Tốt / Khá / Đạt / Chưa đạt) and one student whom the adjustment rule (Art. 9.3) lifts from Chưa đạt to
Đạt. Primary: mid-term and end-of-term I levels, the tests where the circular has them, and the qualities
and competences. Everything goes through the records' bulk services as the system ("seed_demo"), so the
rows and their audit lines are the ones a person's entries would leave.

Seeded by the demo's seed and the records' ids in order, so the same options give the same grade books.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.directory.models import School, SchoolClass, SchoolLevel, Staff, Student
from giaoducso.directory.models import Term as YearTerm
from rules import qualities as rules_qualities

from . import curriculum
from .models import GradeSubject, MarkKind, Session, Subject, SubjectKind
from .services import Cell, tested_at
from .services.bulk import (
    AbsenceRow,
    absences_bulk_add,
    conduct_bulk_set,
    marks_bulk_write,
    teaching_bulk_assign,
)
from .services.marks import IN_CLASS_STATUSES, regular_for
from .services.qualities import QualityEntry, qualities_write

ACTOR = "seed_demo"
# The directory's staff subjects (what a teacher was hired for) → the programme's subject codes.
SECONDARY_SUBJECTS = {
    "Toán": "toan_thcs",
    "Ngữ văn": "ngu_van",
    "Tiếng Anh": "ngoai_ngu_1_thcs",
    "Khoa học tự nhiên": "khtn",
    "Lịch sử và Địa lí": "lich_su_dia_li",
    "Tin học": "tin_hoc",
    "Giáo dục thể chất": "gdtc",
    "Công nghệ": "cong_nghe",
    "Giáo dục công dân": "gdcd",
    "Âm nhạc": "am_nhac",
    "Mĩ thuật": "mi_thuat",
}
PRIMARY_SPECIALISTS = {
    "Tiếng Anh": "ngoai_ngu_1",
    "Giáo dục thể chất": "gdtc_th",
    "Âm nhạc": "am_nhac_th",
    "Mĩ thuật": "mi_thuat_th",
    "Tin học": "tin_hoc_cong_nghe",
}
DEMO_TEACHER = "giaovien"
# The grades whose first class gets a term of marks: the demo homeroom teacher's 6/1 and a final year of
# each level (grade 5: tests at every checkpoint and the end-of-primary line; grade 9). A few classes keep
# the seed quick; every other class has its teachers and an empty grade book.
TERM_ONE_GRADES = (6, 9)
PRIMARY_TERM_ONE_GRADES = (1, 5)
DEMO_TEACHER_SUBJECT = "toan_thcs"

TOT, KHA, DAT, CHUA_DAT, ADJUSTED = "tot", "kha", "dat", "chua_dat", "adjusted"
# A class's learning bands, cycled over its students (shuffled): mostly Khá and Tốt, a few of the others.
BANDS = [KHA, TOT, DAT, KHA, TOT, KHA, DAT, CHUA_DAT, KHA, TOT, DAT, KHA]
# The range of a scored subject's term average for each band, a little inside the circular's thresholds
# (Art. 9.2) so the regular scores' spread never moves a student across one. Tốt: six subjects high.
BAND_RANGES = {
    TOT: ((8.6, 9.6), (7.2, 8.4)),
    KHA: ((7.0, 7.4), (7.0, 7.4)),
    DAT: ((5.6, 5.9), (5.6, 5.9)),
    CHUA_DAT: ((3.0, 4.3), (3.0, 4.3)),
}
CONDUCT_LEVELS = [3, 3, 2, 3, 3, 2, 3, 1, 3, 2, 3, 3, 2, 3, 0, 3, 2, 3, 3, 2]  # Tốt 3 … Chưa đạt 0
PRIMARY_LEVELS = [2, 1, 2, 1, 1, 2, 1, 0, 2, 1, 1, 2]  # T 2, H 1, C 0
QUALITY_LEVELS = [2, 1, 2, 2, 1, 2, 1, 0, 2, 1, 2, 2]  # Tốt 2, Đạt 1, Cần cố gắng 0


@dataclass
class RecordsPlan:
    seed: int
    # Filled while writing: the command's summary line, and the classes given a term of marks.
    counts: dict[str, int] = field(default_factory=dict)
    secondary_class_ids: list[int] = field(default_factory=list)


def _half(value: float) -> Decimal:
    """A score as teachers give them: whole or half points, 0–10."""
    return Decimal(str(max(0.0, min(10.0, round(value * 2) / 2))))


class RecordsDemo:
    name = "records"

    def plan(self, options: DemoOptions) -> RecordsPlan:
        return RecordsPlan(seed=options.seed)

    def units(self, plan: RecordsPlan) -> list[UnitPlan]:
        return []

    def accounts(self, plan: RecordsPlan) -> list[AccountPlan]:
        return []  # the directory's demo teachers are linked to their staff records already

    def write(self, plan: RecordsPlan, written: Written) -> None:
        # The programme's subjects come with the data migration; a database flushed since (a test server,
        # a restored dump) gets them back here, so the demo never finds a grade without subjects.
        curriculum.sync(Subject, GradeSubject)
        writer = _Writer(plan, written)
        writer.assignments()
        writer.term_one()

    def link_accounts(self, plan: RecordsPlan, written: Written) -> None:
        """The demo teacher teaches Toán in the classes with a filled term, so signing in shows them."""
        user = written.users.get(DEMO_TEACHER)
        teacher = Staff.objects.filter(user=user).first() if user is not None else None
        if teacher is None:
            return
        subject = Subject.objects.get(code=DEMO_TEACHER_SUBJECT)
        classes = SchoolClass.objects.filter(pk__in=plan.secondary_class_ids, school=teacher.school)
        teaching_bulk_assign(actor=ACTOR, assignments=[(c, subject, teacher) for c in classes], system=True)
        # The demo parent's contact book (issue 10): comments, absences, leave, an announcement, messages.
        from .demo_family import write_contact_book

        write_contact_book(written.users)

    def summary(self, plan: RecordsPlan) -> str:
        c = plan.counts
        return (
            f"{c.get('assignments', 0)} phân công giảng dạy, {c.get('marks', 0)} điểm và mức đánh giá "
            f"học kì I ở {c.get('classes', 0)} lớp"
        )


class _Writer:
    def __init__(self, plan: RecordsPlan, written: Written) -> None:
        self.plan = plan
        self.rng = random.Random(f"records:{plan.seed}")  # noqa: S311  (reproducible demo data)
        units = list(written.units.values())
        order = {u.pk: i for i, u in enumerate(units)}
        records = sorted(
            School.objects.filter(unit__in=units).select_related("unit"), key=lambda s: order[s.unit_id]
        )
        # The demo schools: the first lower-secondary (the demo accounts' school) and the first primary.
        # The other schools stay without assignments or marks, which keeps `make run`'s seed quick.
        self.schools = [
            next(s for s in records if s.level == level)
            for level in (SchoolLevel.LOWER_SECONDARY, SchoolLevel.PRIMARY)
            if any(s.level == level for s in records)
        ]
        self.classes = list(
            SchoolClass.objects.filter(
                school__in=[s.unit for s in self.schools], year__is_current=True, grade__gte=1
            )
            .select_related("school", "year", "homeroom_teacher")
            .order_by("school_id", "grade", "name")
        )
        self.subjects = {s.code: s for s in Subject.objects.all()}
        self.grade_subjects: dict[int, list[GradeSubject]] = {}
        for gs in GradeSubject.objects.select_related("subject").order_by("grade", "subject__order"):
            self.grade_subjects.setdefault(gs.grade, []).append(gs)
        plan.counts.update(assignments=0, marks=0, classes=0)

    # --- who teaches what ---------------------------------------------------------------------------

    def assignments(self) -> None:
        teachers: dict[tuple[int, str], list[Staff]] = {}
        for staff in Staff.objects.filter(
            school__in=[s.unit for s in self.schools], position="Giáo viên"
        ).order_by("pk"):
            teachers.setdefault((staff.school_id, staff.subjects), []).append(staff)
        turn: dict[tuple[int, str], int] = {}
        rows: list[tuple[SchoolClass, Subject, Staff]] = []
        for school_class in self.classes:
            homeroom = school_class.homeroom_teacher
            secondary = school_class.grade >= 6
            specialists = SECONDARY_SUBJECTS if secondary else PRIMARY_SPECIALISTS
            by_code = {code: name for name, code in specialists.items()}
            for gs in self.grade_subjects.get(school_class.grade, []):
                name = by_code.get(gs.subject.code)
                pool = teachers.get((school_class.school_id, name), []) if name else []
                if pool:
                    key = (school_class.school_id, name or "")
                    teacher = pool[turn.get(key, 0) % len(pool)]
                    turn[key] = turn.get(key, 0) + 1
                elif homeroom is not None:
                    teacher = homeroom  # the class teacher (primary), or the homeroom's own activities
                else:
                    continue
                rows.append((school_class, gs.subject, teacher))
        self.plan.counts["assignments"] = teaching_bulk_assign(actor=ACTOR, assignments=rows, system=True)

    # --- a term of marks ----------------------------------------------------------------------------

    def _first_class_of_each_grade(self, level: str, grades: tuple[int, ...]) -> list[SchoolClass]:
        school = next((s for s in self.schools if s.level == level), None)
        if school is None:
            return []
        chosen: dict[int, SchoolClass] = {}
        for c in self.classes:
            if c.school_id == school.unit_id and c.grade in grades:
                chosen.setdefault(c.grade, c)
        return list(chosen.values())

    def _students(self, school_class: SchoolClass) -> list[int]:
        return list(
            Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def term_one(self) -> None:
        secondary = self._first_class_of_each_grade(SchoolLevel.LOWER_SECONDARY, TERM_ONE_GRADES)
        primary = self._first_class_of_each_grade(SchoolLevel.PRIMARY, PRIMARY_TERM_ONE_GRADES)
        adjusted = False
        for school_class in secondary:
            students = self._students(school_class)
            adjusted = self._secondary(school_class, students, adjust=not adjusted) or adjusted
        for school_class in primary:
            self._primary(school_class, self._students(school_class))
        self.plan.counts["classes"] = len(secondary) + len(primary)
        self.plan.secondary_class_ids = [c.pk for c in secondary]

    def _secondary(self, school_class: SchoolClass, students: list[int], *, adjust: bool) -> bool:
        rng = self.rng
        order = students[:]
        rng.shuffle(order)
        bands = {sid: BANDS[i % len(BANDS)] for i, sid in enumerate(order)}
        if adjust and order:
            bands[order[0]] = ADJUSTED
        grade_subjects = self.grade_subjects.get(school_class.grade, [])
        scored = [gs for gs in grade_subjects if gs.subject.kind == SubjectKind.SCORED]
        if not scored:
            return False
        # Per student: which scored subjects get the band's high range (Tốt: six of them), and for the
        # adjusted student the one subject that holds them back.
        plans: dict[int, dict[int, tuple[float, float]]] = {}
        for sid in students:
            band = bands[sid]
            high, rest = BAND_RANGES[TOT if band == ADJUSTED else band]
            picks = list(range(len(scored)))
            rng.shuffle(picks)
            ranges = {}
            for rank, i in enumerate(picks):
                ranges[scored[i].subject_id] = high if rank < 6 or band == ADJUSTED else rest
            if band == ADJUSTED:
                ranges[scored[picks[-1]].subject_id] = (2.0, 2.6)  # one subject far below the others
            plans[sid] = ranges
        for gs in grade_subjects:
            subject = gs.subject
            regular = regular_for(subject.kind, gs.periods_per_year)
            cells: list[Cell] = []
            for sid in students:
                if subject.kind == SubjectKind.SCORED:
                    target = rng.uniform(*plans[sid][subject.pk])
                    for index in range(1, regular + 1):
                        cells.append(
                            Cell(
                                sid,
                                1,
                                MarkKind.REGULAR,
                                index,
                                value=_half(target + rng.choice((-0.5, 0, 0.5))),
                            )
                        )
                    cells.append(Cell(sid, 1, MarkKind.MIDTERM, 1, value=_half(target)))
                    cells.append(Cell(sid, 1, MarkKind.FINAL, 1, value=_half(target)))
                else:
                    failed = bands[sid] == CHUA_DAT and subject.code == "gdtc"
                    for kind, index in [(MarkKind.REGULAR, i) for i in range(1, regular + 1)] + [
                        (MarkKind.MIDTERM, 1),
                        (MarkKind.FINAL, 1),
                    ]:
                        level = 0 if failed and kind == MarkKind.FINAL else 1
                        cells.append(Cell(sid, 1, kind, index, level=level))
            self.plan.counts["marks"] += marks_bulk_write(
                actor=ACTOR, school_class=school_class, subject=subject, cells=cells, system=True
            )
        conduct_bulk_set(
            actor=ACTOR,
            school_class=school_class,
            term=1,
            levels={sid: CONDUCT_LEVELS[i % len(CONDUCT_LEVELS)] for i, sid in enumerate(order)},
            system=True,
        )
        self._absences(school_class, order)
        return adjust and bool(order)

    def _absences(self, school_class: SchoolClass, order: list[int]) -> None:
        year = school_class.year
        term = YearTerm.objects.filter(year=year, number=1).first()
        last = min(timezone.localdate(), term.end_date if term else year.end_date)
        days = [
            year.start_date + dt.timedelta(days=n)
            for n in range((last - year.start_date).days + 1)
            if (year.start_date + dt.timedelta(days=n)).weekday() < 5
        ]
        if not days:
            return
        rows = []
        for i, sid in enumerate(order):
            if i % 6:
                continue  # one student in six missed a few sessions
            for _n in range(1 + i % 3):
                rows.append(
                    AbsenceRow(
                        sid,
                        self.rng.choice(days),
                        self.rng.choice(Session.values),
                        excused=self.rng.random() < 0.7,
                        reason="Ốm" if self.rng.random() < 0.5 else "",
                    )
                )
        absences_bulk_add(actor=ACTOR, school_class=school_class, rows=rows, system=True)

    def _primary(self, school_class: SchoolClass, students: list[int]) -> None:
        rng = self.rng
        grade_subjects = self.grade_subjects.get(school_class.grade, [])
        for gs in grade_subjects:
            subject = gs.subject
            cells = []
            for i, sid in enumerate(students):
                base = PRIMARY_LEVELS[(i + subject.order) % len(PRIMARY_LEVELS)]
                for kind in (MarkKind.MIDTERM, MarkKind.FINAL):
                    value: Any = None
                    if tested_at(subject, school_class.grade, 1, kind):
                        value = str(max(0, min(10, {2: 9, 1: 7, 0: 4}[base] + rng.choice((-1, 0, 1)))))
                    cells.append(Cell(sid, 1, kind, 1, value=value, level=base))
            self.plan.counts["marks"] += marks_bulk_write(
                actor=ACTOR, school_class=school_class, subject=subject, cells=cells, system=True
            )
        for kind in (MarkKind.MIDTERM, MarkKind.FINAL):
            entries = [
                QualityEntry(sid, item.code, QUALITY_LEVELS[(i + j) % len(QUALITY_LEVELS)])
                for i, sid in enumerate(students)
                for j, item in enumerate(rules_qualities.ITEMS)
            ]
            qualities_write(
                actor=ACTOR, school_class=school_class, term=1, kind=kind, entries=entries, system=True
            )

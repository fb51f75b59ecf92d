"""A class's attendance as the homeroom screens read it: one session's roll, a month's grid with each
student's totals (excused / unexcused), and the year's totals that the promotion rule counts."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from giaoducso.directory.models import SchoolClass, Student

from ..models import Absence
from .access import ClassAccess
from .gradebook import _students


def roll(
    school_class: SchoolClass, access: ClassAccess, date: dt.date, session: str
) -> list[tuple[Student, Absence | None]]:
    """Every student of the class with their absence of that session, if any. Two queries."""
    students = list(_students(school_class, access))
    absences = {
        a.student_id: a for a in Absence.objects.filter(school_class=school_class, date=date, session=session)
    }
    return [(s, absences.get(s.pk)) for s in students]


@dataclass
class MonthRow:
    student: Student
    days: dict[int, str] = field(default_factory=dict)  # day → "S", "C", "SC" (lowercase: excused)
    excused: int = 0
    unexcused: int = 0
    year_excused: int = 0
    year_unexcused: int = 0
    last_day: int = 31

    @property
    def cells(self) -> list[str]:
        return [self.days.get(d, "") for d in range(1, self.last_day + 1)]


def month(
    school_class: SchoolClass, access: ClassAccess, year: int, month_no: int
) -> tuple[list[int], list[MonthRow]]:
    """The month's grid (days of the month, rows) and each student's month and year totals. Three queries."""
    last = calendar.monthrange(year, month_no)[1]
    days = list(range(1, last + 1))
    rows = {s.pk: MonthRow(s, last_day=last) for s in _students(school_class, access)}
    first, end = dt.date(year, month_no, 1), dt.date(year, month_no, last)
    marks: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for student_id, date, session, excused in Absence.objects.filter(
        school_class=school_class, student_id__in=list(rows), date__range=(first, end)
    ).values_list("student_id", "date", "session", "excused"):
        letter = "S" if session == "am" else "C"
        marks[student_id][date.day].append(letter.lower() if excused else letter)
        row = rows[student_id]
        if excused:
            row.excused += 1
        else:
            row.unexcused += 1
    for student_id, by_day in marks.items():
        rows[student_id].days = {
            d: "".join(sorted(v, key=str.upper, reverse=True)) for d, v in by_day.items()
        }
    school_year = school_class.year
    for total in (
        Absence.objects.filter(
            student_id__in=list(rows), date__range=(school_year.start_date, school_year.end_date)
        )
        .order_by()
        .values("student_id")
        .annotate(
            n_excused=Count("id", filter=Q(excused=True)), n_unexcused=Count("id", filter=Q(excused=False))
        )
    ):
        rows[total["student_id"]].year_excused = total["n_excused"]
        rows[total["student_id"]].year_unexcused = total["n_unexcused"]
    return days, list(rows.values())

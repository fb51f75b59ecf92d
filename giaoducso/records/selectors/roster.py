"""Who belongs to a class's records: the students of the class as its pages show them.

While the class's year runs, they are the students whose current class it is (and who still study). Once
the year is closed — the school's year-end rollover has moved everyone on, or the year ended before the
calendar's current one — `Student.current_class` points at the new year's class (or at the last class of a
graduate, whose status is no longer "studying"), so a closed class is read from the enrolment history
instead: every student whose enrolment in the class lasted to the end of its year (a pupil moved to another
class or school during the year is in the class they finished it in), less those who had left the school by
then (dropped out, transferred out), as the year's records were when it closed. Marks, conduct and
absences keep their class, so the closed year's grade book, attendance and results read as they were.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils import timezone

from giaoducso.directory.models import (
    Enrolment,
    SchoolClass,
    SchoolYear,
    Student,
    StudentStatus,
    StudentStatusEvent,
)
from giaoducso.directory.ordering import in_name_order

from ..models import YearEndRun
from ..services.marks import IN_CLASS_STATUSES

LEFT_STATUSES = frozenset({StudentStatus.TRANSFERRED_OUT, StudentStatus.DROPPED_OUT})


def closed_class_ids(classes: Iterable[SchoolClass]) -> set[int]:
    """The classes whose year is over for their school: rolled over, or a past year. One query (none when
    every class's year is current and no rollover could have happened)."""
    classes = list(classes)
    today = timezone.localdate()
    closed = {c.pk for c in classes if not c.year.is_current and c.year.end_date < today}
    pairs = {(c.school_id, c.year_id) for c in classes if c.pk not in closed}
    if pairs:
        condition = Q(pk__in=[])
        for school_id, year_id in pairs:
            condition |= Q(school_id=school_id, from_year_id=year_id)
        run = set(YearEndRun.objects.filter(condition).values_list("school_id", "from_year_id"))
        closed |= {c.pk for c in classes if (c.school_id, c.year_id) in run}
    return closed


def is_closed(school_class: SchoolClass) -> bool:
    return bool(closed_class_ids([school_class]))


def _left_by(year: SchoolYear, student_ids: set[int]) -> set[int]:
    """Those whose last status, on the last day of `year`, says they had left the school."""
    last: dict[int, str] = {}
    for student_id, status in (
        StudentStatusEvent.objects.filter(
            student_id__in=student_ids, date__lte=year.end_date, corrected_at__isnull=True
        )
        .order_by("student_id", "date", "created_at", "pk")
        .values_list("student_id", "status")
    ):
        last[student_id] = status
    return {pk for pk, status in last.items() if status in LEFT_STATUSES}


def closed_rosters(classes: Iterable[SchoolClass]) -> dict[int, set[int]]:
    """For closed classes: class id → the ids of its students at the end of its year. Two queries a year."""
    by_year: dict[int, list[SchoolClass]] = defaultdict(list)
    for school_class in classes:
        by_year[school_class.year_id].append(school_class)
    rosters: dict[int, set[int]] = {}
    for members in by_year.values():
        year = members[0].year
        ids = [c.pk for c in members]
        pairs = Enrolment.objects.filter(school_class_id__in=ids).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=year.end_date)
        )
        found: dict[int, set[int]] = defaultdict(set)
        for class_id, student_id in pairs.values_list("school_class_id", "student_id"):
            found[class_id].add(student_id)
        # A student placed without an enrolment (old data) still counts where their record points.
        for class_id, student_id in Student.objects.filter(
            current_class_id__in=ids,
            status__in={*IN_CLASS_STATUSES, StudentStatus.GRADUATED},
            enrolments__isnull=True,
        ).values_list("current_class_id", "pk"):
            found[class_id].add(student_id)
        left = _left_by(year, {pk for members_ids in found.values() for pk in members_ids})
        for class_id in ids:
            rosters[class_id] = found.get(class_id, set()) - left
    return rosters


def class_roster(school_class: SchoolClass) -> QuerySet[Student]:
    """The students of the class, in name order (see the module's note on closed years)."""
    if is_closed(school_class):
        ids = closed_rosters([school_class])[school_class.pk]
        return in_name_order(Student.objects.filter(pk__in=ids))
    return in_name_order(Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES))

"""A class's absences as the API and the roll read them: the whole class for those who see it whole (the
homeroom teacher, the school's leaders, the department), a family its own children; anyone else 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from giaoducso.directory.models import SchoolClass

from ..models import Absence
from .access import class_access_or_404


def class_absences(
    *, user: Any, school_class: SchoolClass, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[Absence]:
    """The absences of the class between two dates (by default its school year), by date and session."""
    access = class_access_or_404(user, school_class)
    if not access.whole_class and access.students is None:
        raise Http404  # a subject teacher keeps marks, not the roll
    year = school_class.year
    absences = Absence.objects.filter(
        school_class=school_class,
        date__range=(date_from or year.start_date, date_to or year.end_date),
    )
    if access.students is not None:
        absences = absences.filter(student_id__in=access.students)
    return absences.select_related("student").order_by("date", "session", "student__search_name", "pk")

"""Reads of school records and the calendar."""

from typing import Any

from django.db.models import Q, QuerySet

from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped
from giaoducso.core.text_match import name_matches

from ..models import Equipment, Room, School, SchoolClass, StaffAssignment, Student


def school_list(
    *,
    user: Any,
    q: str = "",
    level: str = "",
    ownership: str = "",
    ward: str = "",
    status: str = "",
    perm: str = Perm.VIEW_SCHOOL,
) -> QuerySet[School]:
    schools = scoped(School.objects.select_related("unit", "ward"), user, perm)
    if level:
        schools = schools.filter(level=level)
    if ownership:
        schools = schools.filter(ownership=ownership)
    if status:
        schools = schools.filter(status=status)
    if ward:
        schools = schools.filter(
            Q(ward__code=ward) | name_matches(ward, "ward__search_name") | Q(ward_name__icontains=ward)
        )
    if q:
        schools = schools.filter(name_matches(q, "unit__search_name") | Q(unit__code__iexact=q))
    return schools.order_by("unit__code")


def school_get(*, user: Any, code: str, perm: str = Perm.VIEW_SCHOOL) -> School:
    return get_scoped_or_404(School.objects.select_related("unit", "ward"), user, perm, unit__code=code)


def school_unit_get(*, user: Any, code: str, perm: str) -> Unit:
    """A school's unit the user holds `perm` on (for creating things in it), or 404."""
    return get_scoped_or_404(Unit.objects.all(), user, perm, code=code, kind="school")


def school_counts(*, school: School) -> dict[str, int]:
    # A class's year is its school's calendar, so "current" needs no lookup of which year that is.
    classes = SchoolClass.objects.filter(school=school.unit, year__is_current=True)
    return {
        "classes": classes.count(),
        "students": Student.objects.filter(
            school=school.unit, status__in=("studying", "transferred_in", "returned")
        ).count(),
        "staff": StaffAssignment.objects.filter(school=school.unit).count(),
        "rooms": Room.objects.filter(school=school.unit).count(),
        "equipment": Equipment.objects.filter(school=school.unit).count(),
    }

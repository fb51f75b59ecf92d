"""Reads of the school-year calendar: each province's years, who reads them, who may change them.

A year belongs to the unit whose calendar it is (the Sở; see `common.calendar_unit`). Changing goes through
scoping with `Perm.MANAGE_CALENDAR` on that unit, as for any tenant row: only a role held on the Sở (or
above it) reaches it, so a Phòng or a school gets 404. Reading is wider than scoping's subtree rule: a
Phòng, a school, a teacher or a parent follows the calendar of the Sở *above* them, so they read the years
of every unit on their path (and, from a unit above several provinces, the provinces below).
"""

from typing import Any

from django.db.models import Q, QuerySet

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm, role_allows
from giaoducso.core.scoping import get_scoped_or_404, memberships_for, scoped

from ..models import SchoolYear


def _readable_q(user: Any) -> Q | None:
    """None: everything (superuser)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    condition = Q(pk__in=[])
    for membership in memberships_for(user):
        if not role_allows(membership.role, Perm.VIEW_SCHOOL):
            continue
        unit = membership.unit
        # The default calendar (no unit) is read by everyone who reads a calendar at all.
        condition |= (
            Q(unit__path__startswith=unit.path)
            | Q(unit__path__in=unit.ancestor_paths())
            | Q(unit__isnull=True)
        )
    return condition


def year_list(*, user: Any) -> QuerySet[SchoolYear]:
    """The years of the calendars the user follows or governs, by calendar, newest first."""
    years = SchoolYear.objects.select_related("unit")
    condition = _readable_q(user)
    if condition is not None:
        years = years.filter(condition)
    return years.order_by("unit__path", "-start_date")


def year_get(*, user: Any, pk: Any, perm: str = Perm.MANAGE_CALENDAR) -> SchoolYear:
    """A year the user may change (its calendar's unit is in their subtree), or 404."""
    return get_scoped_or_404(SchoolYear.objects.select_related("unit"), user, perm, pk=pk)


def calendar_units_for(user: Any) -> QuerySet[Unit]:
    """The units whose calendar the user may change: each Sở in their subtree, and any unit that keeps a
    calendar of its own (set up with no Sở above)."""
    keepers = Unit.objects.filter(
        Q(kind=UnitKind.PROVINCE_DEPARTMENT)
        | Q(pk__in=SchoolYear.objects.filter(unit__isnull=False).values("unit"))
    )
    return scoped(keepers, user, Perm.MANAGE_CALENDAR).order_by("path")


def calendar_years_for(school: Unit) -> QuerySet[SchoolYear]:
    """The years a class of `school` may belong to: those of the calendars on its path."""
    return SchoolYear.objects.filter(
        Q(unit__path__in=school.ancestor_paths()) | Q(unit__isnull=True)
    ).order_by("-start_date")


def may_open_calendar(user: Any) -> bool:
    """The calendar screen is the departments': anyone holding MANAGE_CALENDAR somewhere opens it; only
    where that is on (or above) the calendar's Sở can they change anything there."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return any(role_allows(m.role, Perm.MANAGE_CALENDAR) for m in memberships_for(user))

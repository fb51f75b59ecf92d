"""Reads shared by the directory's areas."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.scoping import memberships_for

from ..models import SchoolYear


def calendar_unit(unit: Unit) -> Unit:
    """The unit whose calendar `unit` follows: the Sở above it (or itself); with no Sở above, the top of
    its branch (a Phòng or ward set up alone keeps its own calendar). One query."""
    ancestors = list(Unit.objects.filter(path__in=unit.ancestor_paths()).order_by("depth"))
    province = next((u for u in ancestors if u.kind == UnitKind.PROVINCE_DEPARTMENT), None)
    return province or (ancestors[0] if ancestors else unit)


def current_years() -> list[SchoolYear]:
    """Every calendar's current year (one per Sở: a handful of rows), for code that resolves many units
    at once with `current_year_among` instead of one query per unit."""
    return list(SchoolYear.objects.filter(is_current=True).select_related("unit").order_by("pk"))


def current_year_among(years: Iterable[SchoolYear], unit: Unit) -> SchoolYear | None:
    """Of `current_years()`, the one `unit` follows; what `current_year_for` answers, without a query."""
    return _pick(years, unit)


def _pick(years: Iterable[SchoolYear], unit: Unit) -> SchoolYear | None:
    """Of the current years on `unit`'s branch: its Sở's, else the highest calendar above it, else the
    default calendar (no unit)."""
    paths = set(unit.ancestor_paths())
    mine = [y for y in years if y.unit is not None and y.unit.path in paths]
    province = [y for y in mine if y.unit is not None and y.unit.kind == UnitKind.PROVINCE_DEPARTMENT]
    if province or mine:
        return min(province or mine, key=lambda y: y.unit.depth if y.unit is not None else 0)
    return next((y for y in years if y.unit is None), None)


def _current_years_above(units: Iterable[Unit]) -> list[SchoolYear]:
    paths = {path for unit in units for path in unit.ancestor_paths()}
    return list(
        SchoolYear.objects.filter(Q(unit__path__in=paths) | Q(unit__isnull=True), is_current=True)
        .select_related("unit")
        .order_by("pk")
    )


def current_year_for(unit: Unit) -> SchoolYear | None:
    """The school year running now at `unit` (a school, a Phòng, a Sở): its province's current year.
    Every screen, import and count asks here or filters on `year__is_current`, which agrees with it
    because a class's year is always its school's calendar (`services.class_create`). One query."""
    return _pick(_current_years_above([unit]), unit)


def current_year_for_user(user: Any) -> SchoolYear | None:
    """The current year of the calendar the user works in, when all their units share one; None for a
    user spanning provinces (there, "current" is each school's own: filter on `year__is_current`).
    Kept on the user object, which lives for one request."""
    if hasattr(user, "_current_year"):
        cached: SchoolYear | None = user._current_year
        return cached
    units = [m.unit for m in memberships_for(user)]
    year = None
    if units:
        years = _current_years_above(units)
        picks = {_pick(years, unit) for unit in units}
        year = picks.pop() if len(picks) == 1 else None
    if getattr(user, "is_authenticated", False):
        user._current_year = year
    return year


def _count_of(model: Any, field: str, **filters: Any) -> Any:
    """A correlated COUNT per row: one query for the whole page instead of one per row."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)

"""Reads shared by the directory's areas."""

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from ..models import SchoolYear


def current_year() -> SchoolYear | None:
    """The school year running now: every screen, import and count asks here, so that when calendars
    differ by province there is one place to teach it."""
    return SchoolYear.objects.filter(is_current=True).first()


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

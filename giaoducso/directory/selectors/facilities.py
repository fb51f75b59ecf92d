"""Reads of rooms and equipment."""

from typing import Any

from django.db.models import QuerySet

from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped

from ..models import Equipment, Room
from .common import _count_of


def room_list(
    *, user: Any, school_code: str = "", kind: str = "", condition: str = "", perm: str = Perm.VIEW_SCHOOL
) -> QuerySet[Room]:
    rooms = scoped(Room.objects.select_related("school"), user, perm).annotate(
        equipment_count=_count_of(Equipment, "room")
    )
    if school_code:
        rooms = rooms.filter(school__code=school_code)
    if kind:
        rooms = rooms.filter(kind=kind)
    if condition:
        rooms = rooms.filter(condition=condition)
    return rooms.order_by("school__code", "kind", "name")


def room_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_SCHOOL) -> Room:
    return get_scoped_or_404(Room.objects.select_related("school"), user, perm, pk=pk)


def equipment_list(
    *, user: Any, school_code: str = "", condition: str = "", q: str = "", perm: str = Perm.VIEW_SCHOOL
) -> QuerySet[Equipment]:
    items = scoped(Equipment.objects.select_related("school", "room"), user, perm)
    if school_code:
        items = items.filter(school__code=school_code)
    if condition:
        items = items.filter(condition=condition)
    if q:
        items = items.filter(name__icontains=q)
    return items.order_by("school__code", "name", "id")


def equipment_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_SCHOOL) -> Equipment:
    return get_scoped_or_404(Equipment.objects.select_related("school", "room"), user, perm, pk=pk)

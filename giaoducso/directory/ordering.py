"""The one place that says in which order people are listed by name (class lists, prints, exports).

Vietnamese order sorts by the given name, then the middle names, then the family name, letter by letter in
the Vietnamese alphabet: the `sort_key` column holds that order (`rules.text.name_sort_key`), byte-comparable
so that the database's collation never matters.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# The fields that order a Student or Staff queryset by name; "id" keeps namesakes in a stable order.
NAME_ORDER: tuple[str, ...] = ("sort_key", "id")


def name_order(prefix: str = "") -> list[str]:
    """NAME_ORDER for a related person: name_order("student__") orders guardians by their pupil's name."""
    return [f"{prefix}{field}" for field in NAME_ORDER]


def in_name_order(queryset: QuerySet[M], *first: str) -> QuerySet[M]:
    """`queryset` ordered by `first` (class, say), then by name."""
    return queryset.order_by(*first, *NAME_ORDER)

"""The one scoping mechanism: which rows a user may see or change.

Every view, API route, export and admin page that reads tenant data goes through `scoped()` (lists) or
`get_scoped_or_404()` (one object). A model opts in by declaring a `Scope`:

    class Student(models.Model):
        scope = Scope(unit_field="school", relations={Role.PARENT: "guardians__user"})

A membership with role R on unit U grants R's permissions on every row whose unit lies in U's subtree.
For relation roles (parent, student) the row must also be linked to the user through the declared
relation. A user with several memberships may pick one as active (the unit switcher); then only that
membership counts, so that what a screen shows matches the unit named in its header.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django.db.models import Q
from django.http import Http404

from .roles import RELATION_ROLES, role_allows

if TYPE_CHECKING:
    from .models import Membership, Unit, User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Scope:
    # Lookup from the model to its owning Unit ("" when the model *is* a Unit).
    unit_field: str
    # role → lookup from the model to the User that the relation role is about.
    relations: dict[str, str] = field(default_factory=dict)
    # True when unit_field crosses a to-many relation, so that a row could match more than once.
    distinct: bool = False
    # Further owners: a row shared by two units (a transfer between two schools) is seen by both.
    also_unit_fields: tuple[str, ...] = ()


def memberships_for(user: User | Any) -> list[Membership]:
    """The memberships that count for this request: the active one if chosen, else all active ones."""
    if not getattr(user, "is_authenticated", False):
        return []
    active = getattr(user, "active_membership", None)
    if active is not None:
        return [active]
    cached = getattr(user, "_scoping_memberships", None)
    if cached is None:
        cached = list(user.memberships.filter(is_active=True).select_related("unit"))
        user._scoping_memberships = cached
    return cached


def has_perm(user: User | Any, perm: str, unit: Unit | None = None) -> bool:
    """Whether any counted membership grants `perm` (on `unit`'s branch when given)."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    for membership in memberships_for(user):
        if not role_allows(membership.role, perm):
            continue
        if unit is None or unit.path.startswith(membership.unit.path):
            return True
    return False


def scope_q(model: type[models.Model], user: User | Any, perm: str) -> Q | None:
    """The filter that limits `model` to what `user` may do with `perm`; None means everything."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    spec: Scope | None = getattr(model, "scope", None)
    if spec is None:
        raise TypeError(f"{model.__name__} declares no Scope; it cannot be read through scoping.")
    path_lookups = [f"{spec.unit_field}__path__startswith" if spec.unit_field else "path__startswith"]
    path_lookups += [f"{extra}__path__startswith" for extra in spec.also_unit_fields]
    condition = Q(pk__in=[])  # matches nothing: no membership, no rows
    for membership in memberships_for(user):
        if not role_allows(membership.role, perm):
            continue
        in_subtree = Q(pk__in=[])
        for lookup in path_lookups:
            in_subtree |= Q(**{lookup: membership.unit.path})
        if membership.role in RELATION_ROLES:
            relation = spec.relations.get(membership.role)
            if relation is None:
                continue
            in_subtree &= Q(**{relation: user})
        condition |= in_subtree
    return condition


def scoped(queryset: models.QuerySet[M], user: User | Any, perm: str) -> models.QuerySet[M]:
    """`queryset` cut down to the rows `user` may access with `perm`."""
    condition = scope_q(queryset.model, user, perm)
    if condition is None:
        return queryset
    # Relation lookups may cross to-many joins; distinct keeps one row per object.
    spec: Scope = queryset.model.scope  # type: ignore[attr-defined]
    needs_distinct = spec.distinct or any(
        "__" in lookup for lookup in _relation_lookups(queryset.model, memberships_for(user))
    )
    queryset = queryset.filter(condition)
    return queryset.distinct() if needs_distinct else queryset


def get_scoped_or_404(queryset: models.QuerySet[M], user: User | Any, perm: str, **lookup: Any) -> M:
    """One object the user may access, or 404 — never 403, which would confirm that it exists."""
    try:
        return scoped(queryset, user, perm).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def units_for(user: User | Any, perm: str) -> models.QuerySet[Unit]:
    """The units (whole subtrees) in which `user` holds `perm`."""
    from .models import Unit

    return scoped(Unit.objects.all(), user, perm)


def _relation_lookups(model: type[models.Model], memberships: Iterable[Membership]) -> list[str]:
    spec: Scope | None = getattr(model, "scope", None)
    if spec is None:
        return []
    return [
        spec.relations[m.role] for m in memberships if m.role in RELATION_ROLES and m.role in spec.relations
    ]

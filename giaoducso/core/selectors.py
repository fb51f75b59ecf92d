"""Reads for units, users and the audit log. Every one goes through scoping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, Unit, User
from .roles import Perm
from .scoping import scoped


def unit_list(*, user: Any, kind: str = "", q: str = "") -> QuerySet[Unit]:
    units = scoped(Unit.objects.select_related("parent"), user, Perm.VIEW_UNIT)
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return units.order_by("path")


def user_list(*, user: Any, q: str = "", role: str = "") -> QuerySet[User]:
    users = scoped(User.objects.all(), user, Perm.VIEW_USER)
    if q:
        users = users.filter(Q(full_name__icontains=q) | Q(username__icontains=q) | Q(email__iexact=q))
    if role:
        users = users.filter(memberships__role=role, memberships__is_active=True)
    return users.prefetch_related("memberships__unit").order_by("full_name", "username")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_list(
    *,
    user: Any,
    action: str = "",
    object_type: str = "",
    actor: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    object_id: str = "",
) -> QuerySet[AuditEntry]:
    entries = scoped(AuditEntry.objects.all(), user, Perm.VIEW_AUDIT)
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    if date_from:
        entries = entries.filter(at__gte=_day_start(date_from))
    if date_to:
        entries = entries.filter(at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return entries.order_by("-at", "-id")


def audit_object_types(*, user: Any) -> list[str]:
    return list(
        scoped(AuditEntry.objects.all(), user, Perm.VIEW_AUDIT)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )

"""Reads for units, users and the audit log. Every one goes through scoping."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import AuditEntry, Job, Unit
from .roles import Perm
from .scoping import scoped


def unit_list(*, user: Any, kind: str = "", q: str = "") -> QuerySet[Unit]:
    units = scoped(Unit.objects.select_related("parent"), user, Perm.VIEW_UNIT)
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(Q(name__icontains=q) | Q(code__iexact=q))
    return units.order_by("path")


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


def job_list(*, user: Any, kinds: Iterable[str] | None = None) -> QuerySet[Job]:
    """The background jobs `user` may see, newest first: their own, or every job for a superuser.

    Jobs carry their owner's work (exports and import previews of personal data), so a role on a unit is
    not enough: a department officer does not see a teacher's job. The one rule for the job pages, the
    import pages and the API; `kinds` narrows the list to the jobs a page is about.
    """
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    jobs = Job.objects.select_related("unit").order_by("-created_at")
    if not (user.is_superuser and user.is_active):
        jobs = jobs.filter(created_by=user)
    if kinds is not None:
        jobs = jobs.filter(kind__in=list(kinds))
    return jobs


def job_get(*, user: Any, pk: Any, kinds: Iterable[str] | None = None) -> Job:
    """One job `user` may see, or Http404 — the same answer as for a job that never existed."""
    try:
        return job_list(user=user, kinds=kinds).get(pk=pk)
    except (Job.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404 from exc

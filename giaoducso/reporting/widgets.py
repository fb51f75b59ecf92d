"""Reporting's cards on the home page: the department's open campaigns with how many schools submitted;
a school's reports still to send. One query each, whatever the number of schools."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from giaoducso.core.models import Membership
from giaoducso.core.roles import Role
from giaoducso.core.widgets import register_widget

from .models import DONE_STATUSES, Campaign, Submission

DEPARTMENT_ROLES = (Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT)
SCHOOL_ROLES = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_IT, Role.SCHOOL_OFFICE)
RECENT = dt.timedelta(days=30)
SHOWN = 6


def open_campaigns(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    today = timezone.localdate()
    units = [m.unit_id for m in memberships]
    campaigns = list(
        Campaign.objects.filter(owner_id__in=units, deadline__gte=today - RECENT)
        .annotate(
            total=Count("submissions"),
            done=Count("submissions", filter=Q(submissions__status__in=DONE_STATUSES)),
        )
        .order_by("deadline")[:SHOWN]
    )
    return {"campaigns": campaigns, "today": today} if campaigns else None


def reports_due(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    today = timezone.localdate()
    due = list(
        Submission.objects.filter(
            school_id__in=[m.unit_id for m in memberships], campaign__deadline__gte=today - RECENT
        )
        .exclude(status__in=DONE_STATUSES)
        .select_related("campaign")
        .order_by("campaign__deadline")[:SHOWN]
    )
    return {"due": due, "today": today} if due else None


def register() -> None:
    register_widget(
        "reporting.open_campaigns",
        roles=DEPARTMENT_ROLES,
        template="reporting/widgets/open_campaigns.html",
        context_fn=open_campaigns,
        order=35,
    )
    register_widget(
        "reporting.reports_due",
        roles=SCHOOL_ROLES,
        template="reporting/widgets/reports_due.html",
        context_fn=reports_due,
        order=35,
    )

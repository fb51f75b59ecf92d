"""The admissions' cards on the home page (core.widgets): what a school still has to verify, and the
department's campaigns in progress. One query each, whatever the number of applications."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from giaoducso.core.models import Membership
from giaoducso.core.roles import Perm, Role
from giaoducso.core.scoping import scoped
from giaoducso.core.widgets import register_widget

from .models import Application, ApplicationStatus, Campaign, CampaignState

SCHOOL_ROLES = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_OFFICE)
DEPARTMENT_ROLES = (Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER)


def school_queue(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    """Applications waiting for the user's schools, per open campaign; hidden when none waits."""
    rows = list(
        scoped(Application.objects.all(), user, Perm.VERIFY_ADMISSIONS)
        .filter(campaign__state=CampaignState.OPEN, status=ApplicationStatus.SUBMITTED)
        .values("campaign_id", "campaign__name")
        .annotate(n=Count("pk"))
        .order_by("campaign__name")[:10]
    )
    return {"rows": rows} if rows else None


def department_campaigns(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    campaigns = list(
        scoped(Campaign.objects.exclude(state=CampaignState.CLOSED), user, Perm.VIEW_ADMISSIONS)
        .annotate(
            n_applications=Count("applications"),
            n_waiting=Count("applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)),
        )
        .order_by("-apply_start")[:6]
    )
    return {"campaigns": campaigns} if campaigns else None


def register() -> None:
    register_widget(
        "admissions.school_queue",
        roles=SCHOOL_ROLES,
        template="admissions/widgets/school_queue.html",
        context_fn=school_queue,
        order=60,
    )
    register_widget(
        "admissions.department_campaigns",
        roles=DEPARTMENT_ROLES,
        template="admissions/widgets/department_campaigns.html",
        context_fn=department_campaigns,
        order=60,
    )

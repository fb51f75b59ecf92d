"""Scoped reads of the admissions app."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db.models import Count, Q, QuerySet

from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import get_scoped_or_404, scoped

from .models import Application, ApplicationStatus, Campaign, CampaignState, Correction, CorrectionStatus


def campaign_list(*, user: Any, perm: str = Perm.VIEW_ADMISSIONS) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("unit"), user, perm)


def campaign_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_ADMISSIONS) -> Campaign:
    return get_scoped_or_404(Campaign.objects.select_related("unit", "general_campaign"), user, perm, pk=pk)


def campaigns_for_school_staff(*, user: Any) -> QuerySet[Campaign]:
    """Campaigns where the user's schools verify or receive applications."""
    apps = scoped(Application.objects.all(), user, Perm.VERIFY_ADMISSIONS)
    return Campaign.objects.filter(pk__in=apps.values("campaign_id")).select_related("unit")


def application_list(
    *, user: Any, campaign: Campaign, perm: str = Perm.VIEW_ADMISSIONS
) -> QuerySet[Application]:
    return scoped(
        Application.objects.filter(campaign=campaign).select_related("school", "assigned_school", "ward"),
        user,
        perm,
    )


def application_get(*, user: Any, pk: Any, perm: str = Perm.VIEW_ADMISSIONS) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related(
            "campaign__unit", "school", "assigned_school", "ward", "previous_school"
        ),
        user,
        perm,
        pk=pk,
    )


def correction_get(*, user: Any, pk: Any, perm: str = Perm.VERIFY_ADMISSIONS) -> Correction:
    return get_scoped_or_404(Correction.objects.select_related("application__campaign"), user, perm, pk=pk)


def verification_queue(*, user: Any, campaign: Campaign) -> QuerySet[Application]:
    """What the user's schools still have to verify: submitted files, or files with a correction pending."""
    pending = Q(status=ApplicationStatus.SUBMITTED) | Q(corrections__status=CorrectionStatus.PENDING)
    return (
        scoped(Application.objects.filter(campaign=campaign), user, Perm.VERIFY_ADMISSIONS)
        .filter(pending)
        .select_related("school", "ward")
        .prefetch_related("corrections__proofs", "choices__school")
        .distinct()
        .order_by("created_at", "pk")
    )


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.exclude(state=CampaignState.DRAFT).order_by("-apply_start", "name")


def statistics(campaign: Campaign) -> dict[str, Any]:
    """Applicants, seats, assigned by choice rank and unassigned: the department's figures and chart."""
    rows = campaign.schools.select_related("school")
    seats = {row.school_id: row.seats for row in rows}
    names = {row.school_id: row.school.name for row in rows}
    applications = Application.objects.filter(campaign=campaign)
    by_status = dict(applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    placed = applications.filter(assigned_school__isnull=False).exclude(status=ApplicationStatus.RELEASED)
    by_rank: dict[str, int] = {}
    for rank, n in (
        placed.values_list("assigned_rank").annotate(n=Count("pk")).values_list("assigned_rank", "n")
    ):
        key = f"NV{rank}" if rank else "Gần nhất"
        by_rank[key] = by_rank.get(key, 0) + n
    first = dict(applications.values_list("school_id").annotate(n=Count("pk")).values_list("school_id", "n"))
    held = dict(
        placed.values_list("assigned_school_id")
        .annotate(n=Count("pk"))
        .values_list("assigned_school_id", "n")
    )
    schools = [
        {"name": names[pk], "seats": seats[pk], "first_choice": first.get(pk, 0), "assigned": held.get(pk, 0)}
        for pk in sorted(seats, key=lambda k: names[k])
    ]
    total = sum(by_status.values())
    return {
        "applicants": total,
        "seats": sum(seats.values()),
        "by_status": {ApplicationStatus(k).label: v for k, v in sorted(by_status.items())},
        "by_rank": dict(sorted(by_rank.items())),
        "assigned": sum(by_rank.values()),
        "unassigned": by_status.get(ApplicationStatus.UNASSIGNED, 0),
        "schools": schools,
    }


def online_admission_runs(*, school: Unit, school_years: Collection[str]) -> list[tuple[str, str, int]]:
    """The campaigns of those years that the school took part in past their draft, as (name, school year,
    applications that chose the school): counts only, for the digital-transformation index's proposals.
    One query."""
    campaigns = (
        Campaign.objects.filter(schools__school=school, school_year__in=list(school_years))
        .exclude(state=CampaignState.DRAFT)
        .annotate(
            chose_school=Count("applications", filter=Q(applications__choices__school=school), distinct=True)
        )
        .order_by("school_year", "name")
    )
    return [(c.name, c.school_year, c.chose_school) for c in campaigns]

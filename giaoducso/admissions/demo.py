"""The admissions' part of the demo district: a grade-6 campaign open for applications in the demo
department, with its lower-secondary schools and seats, and a grade-1 campaign whose results are published
(applications of the district's own children), so that the result lookup and the confirmation can be tried
at once. Written through the services as the system ("seed_demo")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.core.models import Unit, UnitKind
from giaoducso.directory.models import School, SchoolLevel

ACTOR = "seed_demo"


@dataclass
class AdmissionsPlan:
    seed: int
    school_year: int
    counts: dict[str, int] = field(default_factory=dict)


class AdmissionsDemo:
    name = "admissions"

    def plan(self, options: DemoOptions) -> AdmissionsPlan:
        return AdmissionsPlan(seed=options.seed, school_year=options.school_year)

    def units(self, plan: AdmissionsPlan) -> list[UnitPlan]:
        return []

    def accounts(self, plan: AdmissionsPlan) -> list[AccountPlan]:
        return []

    def write(self, plan: AdmissionsPlan, written: Written) -> None:
        write_demo(plan, today=timezone.localdate())

    def link_accounts(self, plan: AdmissionsPlan, written: Written) -> None:
        return None

    def summary(self, plan: AdmissionsPlan) -> str:
        c = plan.counts
        return f"{c.get('campaigns', 0)} kì tuyển sinh, {c.get('applications', 0)} hồ sơ tuyển sinh"


def _department_with(level: str) -> tuple[Unit | None, list[Unit]]:
    schools = [
        s.unit
        for s in School.objects.filter(level=level).select_related("unit__parent").order_by("unit__code")[:6]
    ]
    if not schools:
        return None, []
    department = schools[0].parent
    while department is not None and department.kind == UnitKind.SCHOOL_GROUP:
        department = department.parent
    return department, [s for s in schools if department and s.path.startswith(department.path)]


def write_demo(plan: AdmissionsPlan, *, today: dt.date) -> dict[str, Any]:
    from . import services

    next_year = f"{plan.school_year + 1}-{plan.school_year + 2}"
    department, schools = _department_with(SchoolLevel.LOWER_SECONDARY)
    if department is None or not schools:
        return {}
    campaign = services.campaign_create(
        actor=ACTOR,
        unit=department,
        name=f"Tuyển sinh lớp 6 năm học {next_year}",
        school_year=next_year,
        entry_grade=6,
        area_rule="ward",
        choices_allowed=3,
        groups=services.GROUPS_2026,
        review_end=today - dt.timedelta(days=5),
        apply_start=today - dt.timedelta(days=2),
        apply_end=today + dt.timedelta(days=20),
        verify_end=today + dt.timedelta(days=25),
        publish_date=today + dt.timedelta(days=30),
        confirm_deadline=today + dt.timedelta(days=40),
        unconfirmed_policy="release",
    )
    wards = list(Unit.objects.filter(kind=UnitKind.WARD).values_list("code", flat=True)[:20])
    for index, school in enumerate(schools):
        services.campaign_school_set(
            actor=ACTOR,
            campaign=campaign,
            school=school,
            seats=120,
            wards=wards[index :: max(1, len(schools))][:3],
            latitude=10.75 + index * 0.01,
            longitude=106.63 + index * 0.01,
        )
    services.campaign_open(actor=ACTOR, campaign=campaign)
    plan.counts["campaigns"] = 1
    return {"campaign": campaign}

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
    lookup: tuple[str, str] | None = None


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
        text = f"{c.get('campaigns', 0)} kì tuyển sinh, {c.get('applications', 0)} hồ sơ tuyển sinh"
        if plan.lookup:
            text += f" (tra cứu thử: mã {plan.lookup[0]}, ngày sinh {plan.lookup[1]})"
        return text


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


def _wards() -> list[str]:
    return list(Unit.objects.filter(kind=UnitKind.WARD).order_by("code").values_list("code", flat=True)[:20])


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
        area_rule="ward" if _wards() else "distance",
        radius_km=None if _wards() else 2,
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
    wards = _wards()
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
    published = _published_grade_one(plan, today=today, wards=wards)
    return {"campaign": campaign, "published": published}


GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Khôi",
    "Linh",
    "Minh",
    "Ngọc",
    "Phúc",
    "Quân",
    "Thảo",
    "Vy",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Gia", "Bảo"]


def _published_grade_one(plan: AdmissionsPlan, *, today: dt.date, wards: list[str]) -> Any:
    """Grade 1 of this school year's intake, already assigned and published: its window is over, the
    families can look their results up and confirm until the deadline."""
    import random

    from rules.identifiers import make_personal_id

    from . import services
    from .services.applications import ApplicantFacts

    department, schools = _department_with(SchoolLevel.PRIMARY)
    if department is None or not schools:
        return None
    year = f"{plan.school_year + 1}-{plan.school_year + 2}"
    start = today - dt.timedelta(days=20)
    campaign = services.campaign_create(
        actor=ACTOR,
        unit=department,
        name=f"Tuyển sinh lớp 1 năm học {year}",
        school_year=year,
        entry_grade=1,
        area_rule="ward" if wards else "distance",
        radius_km=None if wards else 2,
        choices_allowed=2,
        groups=services.GROUPS_2025,
        review_end=start - dt.timedelta(days=5),
        apply_start=start,
        apply_end=start + dt.timedelta(days=7),
        verify_end=start + dt.timedelta(days=10),
        publish_date=today - dt.timedelta(days=1),
        confirm_deadline=today + dt.timedelta(days=14),
    )
    for index, school in enumerate(schools):
        services.campaign_school_set(
            actor=ACTOR,
            campaign=campaign,
            school=school,
            seats=8,
            wards=wards[index :: max(1, len(schools))][:3],
            latitude=10.76 + index * 0.01,
            longitude=106.66 + index * 0.01,
        )
    services.campaign_open(actor=ACTOR, campaign=campaign)
    rng = random.Random(plan.seed * 7919 + 1)  # noqa: S311  (demo data, seeded on purpose)
    ward_units = list(Unit.objects.filter(kind=UnitKind.WARD, code__in=wards))
    birth_year = plan.school_year + 1 - 6
    for n in range(len(schools) * 10):
        sex = "F" if n % 2 else "M"
        born = dt.date(birth_year, 1 + n % 12, 1 + n % 28)
        facts = ApplicantFacts(
            personal_id=make_personal_id("079", sex, birth_year, 700_000 + n), date_of_birth=born, sex=sex
        )
        middle = "Thị" if sex == "F" else rng.choice(["Văn", "Minh", "Gia", "Bảo"])
        choices = rng.sample(schools, k=min(2, len(schools)))
        services.application_submit(
            actor=ACTOR,
            campaign=campaign,
            facts=facts,
            full_name=f"{rng.choice(FAMILY)} {middle} {rng.choice(GIVEN)}",
            choices=[str(s.pk) for s in choices],
            address=f"{rng.randrange(1, 300)} Đường số {rng.randrange(1, 40)}",
            ward=rng.choice(ward_units) if ward_units else None,
            latitude=10.76 + rng.random() * 0.05,
            longitude=106.66 + rng.random() * 0.05,
            guardian_name=f"{rng.choice(FAMILY)} Văn {rng.choice(GIVEN)}",
            guardian_phone=f"09{rng.randrange(10**7, 10**8)}",
            data_confirmed=True,
            today=start + dt.timedelta(days=1),
        )
    plan.counts["applications"] = plan.counts.get("applications", 0) + len(schools) * 10
    services.assignment_run(actor=ACTOR, campaign=campaign, seed=f"demo-{plan.seed}", today=today)
    services.campaign_publish(actor=ACTOR, campaign=campaign)
    plan.counts["campaigns"] = plan.counts.get("campaigns", 0) + 1
    from .models import Application, ApplicationStatus

    placed = (
        Application.objects.filter(campaign=campaign, status=ApplicationStatus.ASSIGNED)
        .order_by("pk")
        .first()
    )
    if placed is not None:
        plan.lookup = (placed.code, f"{placed.date_of_birth:%d/%m/%Y}")
    return campaign

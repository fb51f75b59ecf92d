"""Reporting's part of the demo district: the current year's IT plan cycle sent to every school, the first
school's IT asset inventory and its IT plan submitted, the digital-transformation index started with the
first school's draft self-assessment. Written through the services as the system ("seed_demo")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.core.models import Unit, UnitKind

from .models import ChecklistKind
from .services import (
    asset_profile_save,
    camera_add,
    computer_add,
    mail_domain_add,
    submission_save,
    website_add,
)
from .services.checklists import assessment_save, checklist_start, proposals
from .services.cycles import plan_cycle_create

ACTOR = "seed_demo"


@dataclass
class ReportingPlan:
    school_year: int
    counts: dict[str, int] = field(default_factory=dict)


class ReportingDemo:
    name = "reporting"

    def plan(self, options: DemoOptions) -> ReportingPlan:
        return ReportingPlan(school_year=options.school_year)

    def units(self, plan: ReportingPlan) -> list[UnitPlan]:
        return []

    def accounts(self, plan: ReportingPlan) -> list[AccountPlan]:
        return []

    def write(self, plan: ReportingPlan, written: Written) -> None:
        owner = (
            Unit.objects.filter(kind=UnitKind.DISTRICT_DEPARTMENT).order_by("path").first()
            or Unit.objects.filter(kind=UnitKind.PROVINCE_DEPARTMENT).order_by("path").first()
        )
        schools = (
            list(Unit.objects.filter(kind=UnitKind.SCHOOL, path__startswith=owner.path).order_by("code"))
            if owner
            else []
        )
        if owner is None or not schools:
            return
        year = f"{plan.school_year}-{plan.school_year + 1}"
        first = schools[0]
        asset_profile_save(
            actor=ACTOR,
            school=first,
            values={
                "network_provider": "VNPT",
                "has_fibre": True,
                "bandwidth_mbps": 300,
                "it_leader_name": "Phó hiệu trưởng phụ trách CNTT",
                "it_staff_name": "Nhân viên CNTT",
            },
        )
        computer_add(
            actor=ACTOR,
            school=first,
            kind="desktop",
            condition="good",
            specification="Core i5, 8 GB",
            year=plan.school_year - 2,
            room="Phòng Tin học 1",
            quantity=35,
        )
        computer_add(
            actor=ACTOR,
            school=first,
            kind="laptop",
            condition="fair",
            specification="Core i3, 4 GB",
            year=plan.school_year - 6,
            room="Văn phòng",
            quantity=6,
        )
        computer_add(
            actor=ACTOR,
            school=first,
            kind="desktop",
            condition="broken",
            year=plan.school_year - 9,
            room="Kho",
            quantity=4,
        )
        camera_add(
            actor=ACTOR,
            school=first,
            location="Cổng trường, sân",
            count=8,
            resolution_mp="4",
            storage_days=30,
        )
        camera_add(
            actor=ACTOR, school=first, location="Hành lang", count=6, resolution_mp="2", storage_days=15
        )
        website_add(actor=ACTOR, school=first, url=f"https://{first.code.lower()}.demo.edu.vn/")
        mail_domain_add(actor=ACTOR, school=first, domain=f"{first.code.lower()}.demo.edu.vn")
        cycle = plan_cycle_create(
            actor=ACTOR,
            owner=owner,
            year_name=year,
            schools=schools,
            opens_on=dt.date(plan.school_year, 9, 5),
        )
        it_plan = cycle.plan.submissions.get(school=first)
        answers: dict[str, Any] = {
            "lanh_dao_cntt": "Phó hiệu trưởng phụ trách CNTT",
            "so_may_tinh": 45,
            "bang_thong": 300,
            "cap_quang": True,
        }
        answers.update(
            {
                "kh_csdl": "Cập nhật CSDL ngành trước 30/9; đồng bộ hằng tháng.",
                "kh_hs_dt": "Sổ điểm, học bạ điện tử cả năm học.",
            }
        )
        submission_save(
            actor=ACTOR, submission=it_plan, answers=answers, submit=True, today=cycle.plan.opens_on
        )
        checklist = checklist_start(actor=ACTOR, owner=owner, kind=ChecklistKind.DT_INDEX)
        assessment_save(
            actor=ACTOR,
            checklist=checklist,
            school=first,
            year_name=year,
            answers=proposals(first, year),
            submit=False,
        )
        plan.counts = {"campaigns": 3, "schools": len(schools)}

    def link_accounts(self, plan: ReportingPlan, written: Written) -> None:
        return None

    def summary(self, plan: ReportingPlan) -> str:
        c = plan.counts
        return f"kế hoạch CNTT năm học: {c.get('campaigns', 0)} đợt báo cáo gửi {c.get('schools', 0)} trường"

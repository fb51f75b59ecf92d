"""The office's part of the demo district (core.demo registry): the department's documents of this school
year, each through the services as the demo accounts would (draft, approval, issue with the system's
number), their copies in the schools' queues, and at the demo school a registered one assigned with a
deadline already passed, one answered by a report, an urgent one waiting, and a paper letter typed in.

Written in link_accounts, since every step has a person behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.core.models import Membership, Unit, UnitKind
from giaoducso.core.roles import Role

from . import services
from .models import Document, Incoming, OfficeSettings

IT_PLAN_SUMMARY = "Kế hoạch thực hiện nhiệm vụ công nghệ thông tin năm học {year}"


@dataclass
class OfficePlan:
    school_year: int
    counts: dict[str, int] = field(default_factory=dict)


def _abbreviation(unit: Unit) -> str:
    if unit.kind == UnitKind.DISTRICT_DEPARTMENT:
        return "PGDĐT"
    if unit.kind == UnitKind.PROVINCE_DEPARTMENT:
        return "SGDĐT"
    return "".join(w[0] for w in unit.name.split() if w[:1].isalpha()).upper()[:12] or unit.code


def _member(role: str) -> Membership | None:
    return (
        Membership.objects.filter(role=role, is_active=True)
        .select_related("user", "unit")
        .order_by("pk")
        .first()
    )


class OfficeDemo:
    name = "office"

    def plan(self, options: DemoOptions) -> OfficePlan:
        return OfficePlan(school_year=options.school_year)

    def units(self, plan: OfficePlan) -> list[UnitPlan]:
        return []

    def accounts(self, plan: OfficePlan) -> list[AccountPlan]:
        return []

    def write(self, plan: OfficePlan, written: Written) -> None:
        return None

    def link_accounts(self, plan: OfficePlan, written: Written) -> None:
        leader, officer = _member(Role.DEPARTMENT_LEADER), _member(Role.DEPARTMENT_OFFICER)
        principal, clerk = _member(Role.PRINCIPAL), _member(Role.SCHOOL_OFFICE)
        vice = _member(Role.VICE_PRINCIPAL)
        if not (leader and officer and principal and clerk and vice):
            return
        department, school = leader.unit, principal.unit
        superior = department.parent.name.upper() if department.parent_id else ""  # type: ignore[union-attr]
        OfficeSettings.objects.get_or_create(
            unit=department,
            defaults={
                "abbreviation": _abbreviation(department),
                "superior_name": superior,
                "place": "Quận 6",
            },
        )
        OfficeSettings.objects.get_or_create(
            unit=school,
            defaults={
                "abbreviation": _abbreviation(school),
                "superior_name": department.name.upper(),
                "place": "Quận 6",
            },
        )
        schools = list(
            Unit.objects.filter(kind=UnitKind.SCHOOL, path__startswith=department.path).values_list(
                "code", flat=True
            )
        )
        year = f"{plan.school_year}-{plan.school_year + 1}"
        now = timezone.now()

        def issue(doc_type: str, summary: str, body: str, to: list[str], **extra: Any) -> Document:
            document = services.document_create(
                actor=officer.user,
                issuer=department,
                recipients=to,
                doc_type=doc_type,
                summary=summary,
                body=body,
                **extra,
            )
            services.document_approve(actor=leader.user, document=document, signer_title="Trưởng phòng")
            return services.document_issue(actor=officer.user, document=document)

        it_plan = issue(
            "KH",
            IT_PLAN_SUMMARY.format(year=year),
            "Căn cứ Kế hoạch số 4352/KH-SGDĐT của Sở Giáo dục và Đào tạo về thực hiện nhiệm vụ công nghệ thông "
            f"tin năm học {year};\n\nPhòng Giáo dục và Đào tạo xây dựng kế hoạch thực hiện như sau:\n\n"
            "1. Mục đích, yêu cầu: đẩy mạnh chuyển đổi số trong quản lí và dạy học; 100% đơn vị sử dụng "
            "hồ sơ điện tử và văn bản điện tử.\n\n2. Nhiệm vụ trọng tâm: cập nhật cơ sở dữ liệu ngành đúng "
            "hạn; triển khai sổ điểm điện tử; bảo đảm an toàn thông tin.",
            schools,
        )
        report = issue(
            "CV",
            "Báo cáo số liệu thiết bị công nghệ thông tin",
            "Đề nghị các trường báo cáo số liệu thiết bị công nghệ thông tin trước ngày 15 hằng tháng.",
            schools,
            drafting_abbr="CNTT",
            due_date=timezone.localdate() + dt.timedelta(days=10),
        )
        issue(
            "GM",
            "Mời dự họp giao ban hiệu trưởng tháng 12",
            "Kính mời Hiệu trưởng các trường dự họp giao ban vào 8 giờ 00.",
            schools,
            urgency="hoa_toc",
        )
        services.document_create(
            actor=officer.user,
            issuer=department,
            recipients=schools,
            doc_type="TB",
            summary="Thông báo lịch kiểm tra nội bộ học kì I",
            body="Dự thảo đang soạn.",
        )

        copy = Incoming.objects.get(document=it_plan, unit=school)
        services.incoming_register(actor=clerk.user, incoming=copy)
        services.incoming_assign(
            actor=principal.user,
            incoming=copy,
            lead_user=vice.user,
            deadline=timezone.localdate() - dt.timedelta(days=2),
            today=timezone.localdate() - dt.timedelta(days=7),
        )
        services.note_add(actor=vice.user, incoming=copy, text="Đang xây dựng kế hoạch của trường.")
        letter = Incoming.objects.get(document=report, unit=school)
        services.incoming_register(actor=clerk.user, incoming=letter)
        services.incoming_assign(actor=principal.user, incoming=letter, lead_user=vice.user)
        answer = services.document_create(
            actor=vice.user,
            issuer=school,
            recipients=[department.code],
            doc_type="BC",
            summary="Báo cáo số liệu thiết bị công nghệ thông tin tháng 11",
            body="Nhà trường báo cáo số liệu thiết bị như bảng đính kèm.",
            answers=letter,
        )
        services.document_approve(actor=principal.user, document=answer, signer_title="Hiệu trưởng")
        services.document_issue(actor=clerk.user, document=answer)
        services.incoming_register_external(
            actor=clerk.user,
            unit=school,
            sender_name="Ủy ban nhân dân Phường 7",
            notation="215/UBND-VX",
            doc_date=timezone.localdate() - dt.timedelta(days=3),
            doc_type="CV",
            summary="Về việc phối hợp tuyên truyền an toàn giao thông cho học sinh",
            now=now,
        )
        plan.counts = {
            "documents": Document.objects.count(),
            "incoming": Incoming.objects.count(),
        }

    def summary(self, plan: OfficePlan) -> str:
        c = plan.counts
        return f"{c.get('documents', 0)} văn bản đi, {c.get('incoming', 0)} văn bản đến"

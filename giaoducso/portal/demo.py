"""The portal's part of the demo district (core.demo registry): a site for the department and for every
school, a few published pages, news and events, the first school's legal disclosure published from its
live data, and two citizens' requests. Written through the portal's services as "seed_demo"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from giaoducso.core.demo import AccountPlan, DemoOptions, UnitPlan, Written
from giaoducso.core.models import Unit, UnitKind
from giaoducso.directory.models import School

from . import catalogue
from .models import Article, Event, Page, Procedure, Requirement, Site
from .services import content_publish, content_save
from .services.disclosure import disclosure_publish, disclosure_save, requirements_for
from .services.procedures import request_submit

ACTOR = "seed_demo"

NEWS = [
    ("Khai giảng năm học mới", "Lễ khai giảng diễn ra trang trọng với sự tham dự của cha mẹ học sinh."),
    (
        "Hội thi giáo viên dạy giỏi cấp trường",
        "Hai mươi giáo viên tham gia hội thi, nhiều tiết dạy sáng tạo.",
    ),
    (
        "Thông báo lịch họp cha mẹ học sinh",
        "Nhà trường tổ chức họp cha mẹ học sinh đầu năm vào sáng Chủ nhật.",
    ),
]
TEXTS = {
    "text": "<p>Nội dung công khai của nhà trường theo quy định, cập nhật cho năm học hiện tại.</p>",
}


@dataclass
class PortalPlan:
    seed: int
    school_year: int
    counts: dict[str, int] = field(default_factory=dict)


class PortalDemo:
    name = "portal"

    def plan(self, options: DemoOptions) -> PortalPlan:
        return PortalPlan(seed=options.seed, school_year=options.school_year)

    def units(self, plan: PortalPlan) -> list[UnitPlan]:
        return []

    def accounts(self, plan: PortalPlan) -> list[AccountPlan]:
        return []  # the demo principal writes and publishes; the editor role is granted in the app

    def write(self, plan: PortalPlan, written: Written) -> None:
        # The catalogues come with the data migration; a database flushed since gets them back here.
        catalogue.sync(Requirement, Procedure)
        units = [
            u for u in written.units.values() if u.kind in (UnitKind.DISTRICT_DEPARTMENT, UnitKind.SCHOOL)
        ]
        start = timezone.make_aware(dt.datetime(plan.school_year, 9, 5, 8, 0))
        for n, unit in enumerate(sorted(units, key=lambda u: u.path)):
            self._site(unit, start, n, plan)
        first = next(
            (u for u in sorted(units, key=lambda u: u.path) if u.kind == UnitKind.SCHOOL and _has_school(u)),
            None,
        )
        if first is not None:
            self._disclosure(first, plan)
            self._requests(first, plan)

    def _site(self, unit: Unit, start: dt.datetime, n: int, plan: PortalPlan) -> None:
        school = School.objects.filter(unit=unit).first()
        site, _created = Site.objects.get_or_create(unit=unit)
        site.tagline = "Dạy tốt – Học tốt" if unit.kind == UnitKind.SCHOOL else "Cổng thông tin điện tử"
        site.address = school.address if school else ""
        site.phone = school.phone if school else ""
        site.intro = f"Chào mừng quý phụ huynh và học sinh đến với trang thông tin của {unit.name}."
        site.save()
        about = content_save(
            actor=ACTOR,
            obj=Page(site=site),
            can_publish=True,
            title="Giới thiệu",
            slug="gioi-thieu",
            body=f"<h2>{unit.name}</h2><p>Lịch sử, sứ mạng và tầm nhìn của đơn vị.</p>",
            menu_order=1,
        )
        content_publish(actor=ACTOR, obj=about, system=True)
        for k, (title, summary) in enumerate(NEWS):
            article = content_save(
                actor=ACTOR,
                obj=Article(site=site),
                can_publish=True,
                title=f"{title} — {unit.short_name or unit.name}",
                summary=summary,
                body=f"<p>{summary}</p>",
            )
            content_publish(
                actor=ACTOR, obj=article, publish_at=start + dt.timedelta(days=7 * k + n), system=True
            )
        event = content_save(
            actor=ACTOR,
            obj=Event(site=site),
            can_publish=True,
            title="Họp cha mẹ học sinh",
            starts_at=start + dt.timedelta(days=30),
            place="Hội trường",
        )
        content_publish(actor=ACTOR, obj=event, system=True)
        plan.counts["sites"] = plan.counts.get("sites", 0) + 1
        plan.counts["articles"] = plan.counts.get("articles", 0) + len(NEWS)

    def _disclosure(self, school: Unit, plan: PortalPlan) -> None:
        for requirement in requirements_for(school):
            if requirement.kind == "text":
                disclosure_save(actor=ACTOR, school=school, requirement=requirement, text=TEXTS["text"])
        versions = disclosure_publish(actor=ACTOR, school=school)
        plan.counts["disclosed"] = len(versions)

    def _requests(self, school: Unit, plan: PortalPlan) -> None:
        for code, name, details in (
            ("xin-nghi-hoc", "Nguyễn Văn Bình", "Con bị sốt, xin nghỉ 2 ngày."),
            ("cap-ban-sao-hoc-ba", "Trần Thị Hoa", "Xin bản sao học bạ lớp 6 để nộp hồ sơ."),
        ):
            request_submit(
                actor=None,
                unit=school,
                procedure=Procedure.objects.get(code=code),
                applicant_name=name,
                applicant_phone="0901234567",
                student_name="Nguyễn Minh An",
                details=details,
            )
        plan.counts["requests"] = 2

    def link_accounts(self, plan: PortalPlan, written: Written) -> None:
        return None

    def summary(self, plan: PortalPlan) -> str:
        c = plan.counts
        return (
            f"{c.get('sites', 0)} trang thông tin, {c.get('articles', 0)} tin, {c.get('disclosed', 0)} mục công khai, "
            f"{c.get('requests', 0)} hồ sơ thủ tục"
        )


def _has_school(unit: Unit) -> bool:
    return School.objects.filter(unit=unit).exists()

"""The yearly IT plan cycle: one action makes its three campaigns; the summary for the city."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit, UnitKind

from ..models import CampaignKind, PlanCycle, Submission
from ..plan_forms import plan_schema, progress_schema
from .campaigns import campaign_create
from .forms import form_create

_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def default_dates(year_name: str) -> tuple[dt.date, dt.date, dt.date]:
    """30/10 of the first year, 13/01 and 03/06 of the second (the 2020–2021 plan's dates)."""
    match = _YEAR.match(year_name or "")
    if match is None or int(match[2]) != int(match[1]) + 1:
        raise ValidationError({"year_name": _("Năm học phải có dạng 2026-2027.")})
    first, second = int(match[1]), int(match[2])
    return dt.date(first, 10, 30), dt.date(second, 1, 13), dt.date(second, 6, 3)


@transaction.atomic
def plan_cycle_create(
    *,
    actor: Actor,
    owner: Unit,
    year_name: str,
    schools: Iterable[Unit] | None = None,
    opens_on: dt.date | None = None,
    deadlines: tuple[dt.date, dt.date, dt.date] | None = None,
) -> PlanCycle:
    plan_day, mid_day, end_day = deadlines or default_dates(year_name)
    default_dates(year_name)  # the name is checked even when the dates are given
    if not plan_day < mid_day < end_day:
        raise ValidationError({"deadlines": _("Các hạn nộp phải theo thứ tự: kế hoạch, sơ kết, tổng kết.")})
    start = opens_on or dt.date(plan_day.year, 9, 5)
    targets = (
        list(schools)
        if schools is not None
        else list(Unit.objects.filter(kind=UnitKind.SCHOOL, path__startswith=owner.path))
    )
    made = []
    for kind, title, schema, deadline, opens in (
        (CampaignKind.IT_PLAN, _("Kế hoạch ứng dụng CNTT năm học %(y)s"), plan_schema(), plan_day, start),
        (
            CampaignKind.MID_YEAR,
            _("Báo cáo sơ kết học kì I năm học %(y)s (CNTT)"),
            progress_schema(_("Sơ kết học kì I")),
            mid_day,
            plan_day,
        ),
        (
            CampaignKind.YEAR_END,
            _("Báo cáo tổng kết năm học %(y)s (CNTT)"),
            progress_schema(_("Tổng kết năm học")),
            end_day,
            mid_day,
        ),
    ):
        name = title % {"y": year_name}
        form = form_create(actor=actor, owner=owner, title=name, schema=schema)
        made.append(
            campaign_create(
                actor=actor,
                owner=owner,
                form=form,
                title=name,
                opens_on=min(opens, deadline),
                deadline=deadline,
                schools=targets,
                kind=kind,
            )
        )
    try:
        with transaction.atomic():
            cycle = PlanCycle.objects.create(
                owner=owner, year_name=year_name, plan=made[0], mid_year=made[1], year_end=made[2]
            )
    except IntegrityError:
        raise ValidationError(
            {"year_name": _("Năm học %(y)s đã có kế hoạch CNTT.") % {"y": year_name}}
        ) from None
    audit.record_create(actor=actor, obj=cycle)
    return cycle


@dataclass
class SchoolLine:
    school: Unit
    statuses: list[str] = field(default_factory=list)
    scores: list[Decimal | None] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def mean(self) -> Decimal | None:
        given = [s for s in self.scores if s is not None]
        return (sum(given, Decimal(0)) / len(given)).quantize(Decimal("0.01")) if given else None


def cycle_summary(cycle: PlanCycle) -> dict[str, Any]:
    """Per school the three reports' status, score and comment; per campaign how many submitted."""
    campaigns = cycle.campaigns()
    lines: dict[int, SchoolLine] = {}
    rows = Submission.objects.filter(campaign__in=campaigns).select_related("school")
    by_campaign: dict[tuple[int, int], Submission] = {(s.campaign_id, s.school_id): s for s in rows}
    for s in rows:
        lines.setdefault(s.school_id, SchoolLine(school=s.school))
    for line in lines.values():
        for campaign in campaigns:
            s = by_campaign.get((campaign.pk, line.school.pk))
            line.statuses.append(s.get_status_display() if s else "")
            line.scores.append(s.score if s else None)
            line.comments.append(s.review_comment if s else "")
    counts = [
        {
            "campaign": c,
            "submitted": sum(
                1
                for (cid, _sid), s in by_campaign.items()
                if cid == c.pk and s.status in ("submitted", "accepted")
            ),
            "total": sum(1 for (cid, _sid) in by_campaign if cid == c.pk),
        }
        for c in campaigns
    ]
    ordered = sorted(lines.values(), key=lambda line: line.school.name)
    return {"cycle": cycle, "lines": ordered, "counts": counts, "campaigns": campaigns}


def cycle_docx(summary: dict[str, Any]) -> bytes:
    """The summary as a Word document (python-docx), for the department to edit before signing."""
    from io import BytesIO

    from docx import Document

    cycle = summary["cycle"]
    document = Document()
    document.add_heading(f"Báo cáo tổng hợp ứng dụng CNTT năm học {cycle.year_name}", level=1)
    document.add_paragraph(cycle.owner.name)
    for item in summary["counts"]:
        document.add_paragraph(
            f"{item['campaign'].title}: {item['submitted']}/{item['total']} trường đã nộp."
        )
    table = document.add_table(rows=1, cols=6)
    for cell, text in zip(
        table.rows[0].cells, ["Trường", "Kế hoạch", "Sơ kết", "Tổng kết", "Điểm TB", "Nhận xét"], strict=True
    ):
        cell.text = text
    for line in summary["lines"]:
        cells = table.add_row().cells
        values = [
            line.school.name,
            *line.statuses,
            "" if line.mean is None else str(line.mean),
            " / ".join(c for c in line.comments if c),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()

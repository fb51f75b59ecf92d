"""Public test helpers for admissions: a campaign of a department's schools, and applications, built
through the admissions services (the same path as the screens)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from giaoducso.admissions import services
from giaoducso.admissions.models import Application, Campaign
from giaoducso.core.models import Unit

from .factories import personal_id

TODAY = dt.date(2026, 6, 10)


def campaign_of(
    unit: Unit,
    schools: list[Unit],
    *,
    seats: int = 2,
    entry_grade: int = 1,
    today: dt.date = TODAY,
    open_: bool = True,
    **fields: Any,
) -> Campaign:
    values: dict[str, Any] = {
        "name": f"Tuyển sinh lớp {entry_grade} 2026-2027 ({unit.code})",
        "school_year": "2026-2027",
        "entry_grade": entry_grade,
        "area_rule": "ward",
        "choices_allowed": 3,
        "groups": services.GROUPS_2025,
        "review_end": today - dt.timedelta(days=5),
        "apply_start": today - dt.timedelta(days=1),
        "apply_end": today + dt.timedelta(days=5),
        "verify_end": today + dt.timedelta(days=7),
        "publish_date": today + dt.timedelta(days=10),
        "confirm_deadline": today + dt.timedelta(days=15),
    }
    values.update(fields)
    campaign = services.campaign_create(actor=None, unit=unit, **values)
    for school in schools:
        services.campaign_school_set(actor=None, campaign=campaign, school=school, seats=seats)
    if open_:
        services.campaign_open(actor=None, campaign=campaign)
    return campaign


def child_id(year: int = 2020, sex: str = "F") -> str:
    return personal_id(sex, year)


def apply(
    campaign: Campaign,
    choices: list[Unit],
    *,
    year: int = 2020,
    name: str = "Nguyễn Thị Bé",
    ward: Unit | None = None,
    today: dt.date = TODAY,
    personal_id: str = "",
    **fields: Any,
) -> Application:
    pid = personal_id or child_id(year)
    facts = services.applicant_identify(
        campaign=campaign, personal_id=pid, date_of_birth=dt.date(year, 3, 4), today=today
    )
    values: dict[str, Any] = {
        "address": "12 Đường Số 3",
        "ward": ward,
        "guardian_name": "Nguyễn Văn Cha",
        "guardian_phone": "0901234567",
        "data_confirmed": True,
        "full_name": name,
    }
    values.update(fields)
    return services.application_submit(
        actor="test",
        campaign=campaign,
        facts=facts,
        choices=[str(s.pk) for s in choices],
        today=today,
        **values,
    )

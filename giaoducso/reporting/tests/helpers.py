"""Small builders for the reporting tests, through the real services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from giaoducso.core.models import Unit

from ..models import Campaign, ReportForm
from ..services import campaign_create, form_create

EVERY_TYPE: dict[str, Any] = {
    "sections": [
        {
            "title": "Thông tin chung",
            "fields": [
                {"key": "ghi_chu", "label": "Ghi chú", "type": "text"},
                {
                    "key": "so_may",
                    "label": "Số máy tính",
                    "type": "number",
                    "unit": "máy",
                    "min": 0,
                    "max": 500,
                    "integer": True,
                    "required": True,
                },
                {"key": "may_hong", "label": "Số máy hỏng", "type": "number", "min": 0, "max": 500},
                {"key": "ngay_kiem_ke", "label": "Ngày kiểm kê", "type": "date"},
                {
                    "key": "mang",
                    "label": "Loại mạng",
                    "type": "choice",
                    "choices": ["Cáp quang", "ADSL", "4G"],
                },
                {
                    "key": "phan_mem",
                    "label": "Phần mềm dùng",
                    "type": "multi",
                    "choices": ["Sổ điểm", "Văn phòng", "Thư viện"],
                },
                {"key": "co_website", "label": "Có website", "type": "yesno"},
                {"key": "minh_chung", "label": "Minh chứng", "type": "file", "kinds": ["pdf"]},
                {
                    "key": "phong_may",
                    "label": "Phòng máy",
                    "type": "table",
                    "columns": [
                        {"key": "ten", "label": "Tên phòng", "type": "text"},
                        {"key": "so", "label": "Số máy", "type": "number"},
                    ],
                },
                {"key": "may_tot", "label": "Số máy tốt", "type": "computed", "formula": "so_may - may_hong"},
            ],
        }
    ]
}

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_form(owner: Unit, schema: dict[str, Any] | None = None, title: str = "Biểu mẫu thử") -> ReportForm:
    return form_create(actor=None, owner=owner, title=title, schema=schema or EVERY_TYPE)


def make_campaign(
    owner: Unit,
    schools: list[Unit],
    *,
    schema: dict[str, Any] | None = None,
    opens_on: dt.date = dt.date(2026, 10, 1),
    deadline: dt.date = dt.date(2026, 10, 30),
) -> Campaign:
    return campaign_create(
        actor=None,
        owner=owner,
        form=make_form(owner, schema),
        title="Báo cáo thử",
        opens_on=opens_on,
        deadline=deadline,
        schools=schools,
    )

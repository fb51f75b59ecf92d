"""Building blocks of the office tests: the world's department with its office settings, and a document
taken from draft to issue through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from giaoducso.core.roles import Role
from giaoducso.testing.world import World

from .. import services
from ..models import Document, OfficeSettings


def setup_office(world: World) -> None:
    OfficeSettings.objects.create(
        unit=world.department, abbreviation="PGDĐT", superior_name="UBND QUẬN 6", place="Quận 6"
    )
    OfficeSettings.objects.create(
        unit=world.school_a, abbreviation="THCSVT", superior_name="PHÒNG GD&ĐT QUẬN 6"
    )


def draft(world: World, *, recipients: list[str] | None = None, **fields: Any) -> Document:
    values = {
        "doc_type": "KH",
        "summary": "Kế hoạch thực hiện nhiệm vụ công nghệ thông tin năm học 2026-2027",
        "body": "Căn cứ Kế hoạch của Sở.\n\nPhòng Giáo dục và Đào tạo xây dựng kế hoạch như sau.",
        **fields,
    }
    return services.document_create(
        actor=world.user(Role.DEPARTMENT_OFFICER),
        issuer=world.department,
        recipients=recipients if recipients is not None else [world.school_a.code],
        **values,
    )


def issued(world: World, *, now: dt.datetime | None = None, **fields: Any) -> Document:
    document = draft(world, **fields)
    services.document_approve(
        actor=world.user(Role.DEPARTMENT_LEADER), document=document, signer_title="Trưởng phòng"
    )
    return services.document_issue(actor=world.user(Role.DEPARTMENT_OFFICER), document=document, now=now)

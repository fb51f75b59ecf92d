"""The portal's upload routes as tests/test_upload_budget.py checks them (FILE_CASES there): a file one byte
past its limit and a disguised program are refused with a message and store nothing; a good one is kept."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.testing.factories import SchoolFactory
from giaoducso.testing.world import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png() -> bytes:
    from .conftest import png_bytes

    return png_bytes()


def _prepare(world: World) -> dict[str, Any]:
    from giaoducso.directory.models import School
    from giaoducso.portal.models import Article, Procedure, Site
    from giaoducso.portal.services.procedures import request_submit

    if not School.objects.filter(unit=world.school_a).exists():
        SchoolFactory(unit=world.school_a, level="lower_secondary")
    site, _ = Site.objects.get_or_create(unit=world.school_a)
    article = Article.objects.get_or_create(site=site, slug="tin-thu", defaults={"title": "Tin thử"})[0]
    request = request_submit(
        actor=None,
        unit=world.school_a,
        procedure=Procedure.objects.get(code="cap-ban-sao-hoc-ba"),
        applicant_name="Lê Văn Cha",
        applicant_phone="0901234567",
        student_name="Lê Minh Con",
        details="Xin bản sao học bạ",
    )
    return {"article": article, "request": request}


def _count(model_name: str) -> Any:
    def count(world: World) -> int:
        from giaoducso.portal import models

        return getattr(models, model_name).objects.count()

    return count


def _requirement_pk() -> int:
    from giaoducso.portal.models import Requirement

    return Requirement.objects.get(code="d5-tai-chinh").pk


APPLICANT = {
    "applicant_name": "Lê Văn Cha",
    "applicant_phone": "0901234567",
    "student_name": "Lê Minh Con",
    "details": "Con bị sốt, xin nghỉ 2 ngày",
}

CASES: dict[str, dict[str, Any]] = {
    "portal:images": {
        "role": Role.PRINCIPAL,
        "url": lambda world, prepared: reverse("portal:images", args=[world.school_a.code]),
        "field": "file",
        "data": {"alt_text": "Sân trường"},
        "limit": "PORTAL_MAX_IMAGE_BYTES",
        "written": _count("Image"),
        "good": ("san-truong.png", _png),
    },
    "portal:attachment_add": {
        "role": Role.PRINCIPAL,
        "url": lambda world, prepared: reverse(
            "portal:attachment_add", args=[world.school_a.code, "tin", prepared["article"].pk]
        ),
        "field": "file",
        "data": {"title": "Kế hoạch"},
        "limit": "PORTAL_MAX_ATTACHMENT_BYTES",
        "written": _count("Attachment"),
        "good": ("ke-hoach.pdf", lambda: PDF),
    },
    "portal:disclosure_item": {
        "role": Role.PRINCIPAL,
        "url": lambda world, prepared: reverse(
            "portal:disclosure_item", args=[world.school_a.code, _requirement_pk()]
        ),
        "field": "file",
        "data": {},
        "limit": "PORTAL_MAX_ATTACHMENT_BYTES",
        "written": _count("DisclosureDocument"),
        "good": ("tai-chinh.pdf", lambda: PDF),
    },
    "portal:request": {
        "role": Role.SCHOOL_OFFICE,
        "url": lambda world, prepared: reverse(
            "portal:request", args=[world.school_a.code, prepared["request"].pk]
        ),
        "field": "document",
        "data": {"status": "processing", "answer": "Đang xử lí"},
        "limit": "PORTAL_MAX_ATTACHMENT_BYTES",
        "written": _count("RequestFile"),
        "good": ("tra-loi.pdf", lambda: PDF),
    },
    "site:procedure": {
        "role": None,  # a citizen, no account
        "url": lambda world, prepared: reverse("site:procedure", args=[world.school_a.code, "xin-nghi-hoc"]),
        "field": "files",
        "data": APPLICANT,
        "limit": "PORTAL_MAX_ATTACHMENT_BYTES",
        "written": _count("RequestFile"),
        "good": ("don.pdf", lambda: PDF),
    },
}


def prepare(world: World) -> dict[str, Any]:
    return _prepare(world)

"""Data quality in the JSON API: the board of schools the caller may see, with scores and problem counts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import scoped

from .. import quality

router = Router(tags=["quality"])


class SchoolQualityOut(Schema):
    code: str
    name: str
    score: float = Field(description="Tỉ lệ (%) trường thông tin bắt buộc đã có.")
    filled: int
    required: int
    students: int
    staff: int
    problems: dict[str, int] = Field(description="Số vấn đề theo loại: " + ", ".join(quality.KINDS))


@router.get(
    "/quality/schools",
    response={200: list[SchoolQualityOut], **ERRORS},
    auth=auth_for("students:read"),
    summary="Bảng xếp hạng chất lượng dữ liệu các trường",
)
def quality_schools(request: HttpRequest) -> list[dict[str, Any]]:
    schools = quality.school_units(scoped(Unit.objects.all(), request.user, Perm.VIEW_STUDENT))
    rows = sorted(quality.school_quality(schools), key=lambda q: (-q.score, q.unit.name))
    return [
        {
            "code": q.unit.code,
            "name": q.unit.name,
            "score": q.score,
            "filled": q.filled,
            "required": q.required,
            "students": q.students,
            "staff": q.staff,
            "problems": {kind: q.problems.get(kind, 0) for kind in quality.KINDS},
        }
        for q in rows
    ]

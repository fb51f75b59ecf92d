"""The versioned JSON API (/api/v1/): assembled here, the one module allowed to import every app.

Routes are thin: parse → one selector → schema. Auth: `Authorization: Bearer gds_…` for systems (the
route's scope must be on the token), the browser session for people (CSRF on unsafe methods).
Errors have one shape everywhere: {"error": {"code", "message", "fields"}}.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.pagination import paginate

from giaoducso.core.api import errors
from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.docs import LocalSwagger
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.routes import router as core_router
from giaoducso.core.api.schemas import Code, SearchText, UnitRef
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from giaoducso.directory import selectors as directory_selectors
from giaoducso.directory.models import Student


class Api(NinjaAPI):
    def _get_urls(self) -> list[Any]:
        patterns = super()._get_urls()
        for pattern in patterns:
            if not isinstance(pattern, URLPattern):
                continue
            if pattern.name in ("openapi-json", "openapi-view"):
                pattern.callback = errors.read_only(pattern.callback)
            else:
                pattern.callback = errors.shape_method_not_allowed(pattern.callback)
        return patterns


api = Api(
    title="Giáo Dục Số API",
    version="1",
    description=(
        "API JSON của Giáo Dục Số. Hệ thống khác dùng khóa API (`Authorization: Bearer gds_…`) với phạm vi "
        "phù hợp; trình duyệt dùng phiên đăng nhập. Lỗi luôn có dạng "
        '`{"error": {"code", "message", "fields"}}`. Dữ liệu ngoài phạm vi của bạn trả về 404.'
    ),
    urls_namespace="api",
    docs=LocalSwagger(),
)
errors.install(api)
api.add_router("", core_router)


# --- students (directory) ------------------------------------------------------------------------
# Here rather than in the directory app while the API has one router per app to spare; it moves to
# giaoducso/directory/api.py when that app grows its own.

students = Router(tags=["students"])


class StudentOut(Schema):
    """What anyone who may see the student sees."""

    id: int
    full_name: str
    school: UnitRef
    sex: str
    date_of_birth: dt.date
    ministry_code: str


class GuardianOut(Schema):
    full_name: str
    relation: str
    phone: str


class StudentDetailOut(StudentOut):
    """Identifiers, address and guardians only for who keeps the record, and for the family."""

    personal_id: str | None
    ethnicity: str | None
    address: str | None
    guardians: list[GuardianOut] | None


class StudentFilters(Schema):
    school: Code | None = Field(None, description="Mã trường.")
    q: SearchText | None = Field(None, description="Tìm theo họ tên.")


@students.get("/students", response={200: list[StudentOut], **ERRORS}, auth=auth_for("students:read"))
@paginate(PageNumberPagination)
def student_list(request: HttpRequest, filters: Query[StudentFilters]) -> Any:
    return directory_selectors.student_list(
        user=request.user, q=filters.q or "", school_code=filters.school or ""
    )


def _sees_private_fields(user: Any, student: Student) -> bool:
    if has_perm(user, Perm.CHANGE_STUDENT, student.school):
        return True
    return student.user_id == user.pk or any(g.user_id == user.pk for g in student.guardians.all())


@students.get(
    "/students/{student_id}", response={200: StudentDetailOut, **ERRORS}, auth=auth_for("students:read")
)
def student_detail(request: HttpRequest, student_id: int = Path(..., ge=1, le=2**63 - 1)) -> dict[str, Any]:
    student = directory_selectors.student_get(user=request.user, pk=student_id)
    data: dict[str, Any] = {
        "id": student.pk,
        "full_name": student.full_name,
        "school": student.school,
        "sex": student.sex,
        "date_of_birth": student.date_of_birth,
        "ministry_code": student.ministry_code,
        "personal_id": None,
        "ethnicity": None,
        "address": None,
        "guardians": None,
    }
    if _sees_private_fields(request.user, student):
        data.update(
            personal_id=student.personal_id,
            ethnicity=student.ethnicity,
            address=student.address,
            guardians=list(student.guardians.all()),
        )
    return data


api.add_router("", students)

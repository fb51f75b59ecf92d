"""The API of classes."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import ClassName, Code, Id, ObjectId, SchoolYearName, SearchText
from giaoducso.core.roles import Perm

from .. import selectors, services
from ..models import (
    SchoolClass,
    Student,
)
from .common import (
    READ,
    WRITE,
    WRITE_ERRORS,
    Ref,
    StaffRef,
    Strict,
    patch_fields,
    room_of,
    school_unit,
    teacher_of,
)

router = Router()


class ClassOut(Schema):
    id: int
    school: UnitRef
    year: str
    grade: int
    name: str
    homeroom_teacher: StaffRef | None
    room: Ref | None
    student_count: int

    @staticmethod
    def resolve_year(obj: SchoolClass) -> str:
        return obj.year.name

    @staticmethod
    def resolve_student_count(obj: SchoolClass) -> int:
        count = getattr(obj, "student_count", None)
        return count if count is not None else Student.objects.filter(current_class=obj).count()


# --- classes ---------------------------------------------------------------------------------------


class ClassFilters(Schema):
    school: Code | None = Field(None, description="Mã trường.")
    year: SchoolYearName | None = Field(
        None, description="Năm học, ví dụ 2026-2027 (mặc định: năm học hiện tại)."
    )
    grade: int | None = Field(None, ge=0, le=12)
    q: SearchText | None = Field(None, description="Tên lớp.")


@router.get("/classes", response={200: list[ClassOut], **ERRORS}, auth=auth_for(READ), tags=["classes"])
@paginate(PageNumberPagination)
def class_list(request: HttpRequest, filters: Query[ClassFilters]) -> Any:
    classes = selectors.class_list(
        user=request.user, school_code=filters.school or "", grade=filters.grade, q=filters.q or ""
    )
    # A year by name in every province's calendar; by default each school's own current year.
    return classes.filter(year__name=filters.year) if filters.year else classes.filter(year__is_current=True)


@router.get("/classes/{class_id}", response={200: ClassOut, **ERRORS}, auth=auth_for(READ), tags=["classes"])
def class_detail(request: HttpRequest, class_id: Id) -> SchoolClass:
    return selectors.class_get(user=request.user, pk=class_id)


class ClassIn(Strict):
    school: Code
    year: SchoolYearName | None = Field(None, description="Năm học; mặc định năm học hiện tại.")
    name: ClassName
    homeroom_teacher_id: ObjectId | None = None
    room_id: ObjectId | None = None


@router.post("/classes", response={201: ClassOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["classes"])
def class_create(request: HttpRequest, body: ClassIn) -> Status[SchoolClass]:
    school = school_unit(request, body.school, Perm.CHANGE_SCHOOL)
    calendar = selectors.calendar_years_for(school)
    year = calendar.filter(name=body.year).first() if body.year else selectors.current_year_for(school)
    if year is None:
        raise ValidationError({"year": [_("Không có năm học này.")]})
    school_class = services.class_create(
        actor=request.user,
        school=school,
        year=year,
        name=body.name,
        homeroom_teacher=teacher_of(school, body.homeroom_teacher_id),
        room=room_of(school, body.room_id),
    )
    return Status(201, school_class)


class ClassPatch(Strict):
    name: ClassName = None
    homeroom_teacher_id: ObjectId | None = None
    room_id: ObjectId | None = None


@router.patch(
    "/classes/{class_id}", response={200: ClassOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["classes"]
)
def class_patch(request: HttpRequest, class_id: Id, body: ClassPatch) -> SchoolClass:
    school_class = selectors.class_get(user=request.user, pk=class_id, perm=Perm.CHANGE_SCHOOL)
    fields = patch_fields(body)
    if "homeroom_teacher_id" in fields:
        fields["homeroom_teacher"] = teacher_of(school_class.school, fields.pop("homeroom_teacher_id"))
    if "room_id" in fields:
        fields["room"] = room_of(school_class.school, fields.pop("room_id"))
    return services.class_update(actor=request.user, school_class=school_class, **fields)

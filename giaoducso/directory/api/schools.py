"""The API of school records and the calendar."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.types import Code, Email, Name255, Phone, SearchText, Text128, Text255, Website
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Perm

from .. import selectors, services
from ..models import (
    Ownership,
    School,
    SchoolLevel,
    SchoolStatus,
    SchoolYear,
)
from .common import READ, WRITE, WRITE_ERRORS, Strict, patch_fields

router = Router()


class SchoolOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    ownership: str
    ward_code: str | None
    ward_name: str
    address: str
    phone: str
    email: str
    website: str
    principal_name: str
    it_leader_name: str
    has_it_staff_position: bool
    status: str

    @staticmethod
    def resolve_code(obj: School) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_name(obj: School) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_level_label(obj: School) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_ward_code(obj: School) -> str | None:
        return obj.ward.code if obj.ward_id and obj.ward else None

    @staticmethod
    def resolve_ward_name(obj: School) -> str:
        return obj.ward.name if obj.ward_id and obj.ward else obj.ward_name


class TermOut(Schema):
    number: int
    start_date: dt.date
    end_date: dt.date


class SchoolYearOut(Schema):
    id: int
    unit_code: str | None = Field(
        description="Mã đơn vị quản lý lịch năm học (Sở của tỉnh, thành phố); null: lịch mặc định."
    )
    name: str
    start_date: dt.date
    end_date: dt.date
    is_current: bool
    terms: list[TermOut]

    @staticmethod
    def resolve_unit_code(obj: SchoolYear) -> str | None:
        return obj.unit.code if obj.unit is not None else None

    @staticmethod
    def resolve_terms(obj: SchoolYear) -> list[Any]:
        return list(obj.terms.all())


# --- schools ---------------------------------------------------------------------------------------


class SchoolFilters(Schema):
    level: SchoolLevel | None = None
    ownership: Ownership | None = None
    status: SchoolStatus | None = None
    ward: SearchText | None = Field(None, description="Mã hoặc tên phường/xã.")
    q: SearchText | None = Field(None, description="Tên hoặc đúng mã trường.")


@router.get("/schools", response={200: list[SchoolOut], **ERRORS}, auth=auth_for(READ), tags=["schools"])
@paginate(PageNumberPagination)
def school_list(request: HttpRequest, filters: Query[SchoolFilters]) -> Any:
    return selectors.school_list(
        user=request.user,
        q=filters.q or "",
        level=filters.level or "",
        ownership=filters.ownership or "",
        ward=filters.ward or "",
        status=filters.status or "",
    )


@router.get("/schools/{code}", response={200: SchoolOut, **ERRORS}, auth=auth_for(READ), tags=["schools"])
def school_detail(request: HttpRequest, code: Code) -> School:
    return selectors.school_get(user=request.user, code=code)


class SchoolPatch(Strict):
    name: Name255 = None
    level: SchoolLevel = None
    ownership: Ownership = None
    ward_code: Code | None = Field(None, description="Mã phường/xã trong cây đơn vị; rỗng hoặc null để bỏ.")
    ward_name: Text128 = None
    address: Text255 = None
    phone: Phone = None
    email: Email = None
    website: Website = None
    principal_name: Text255 = None
    it_leader_name: Text255 = None
    has_it_staff_position: bool = None
    status: SchoolStatus = None


@router.patch(
    "/schools/{code}", response={200: SchoolOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["schools"]
)
def school_patch(request: HttpRequest, code: Code, body: SchoolPatch) -> School:
    school = selectors.school_get(user=request.user, code=code, perm=Perm.CHANGE_SCHOOL)
    fields = patch_fields(body)
    if "ward_code" in fields:
        ward_code = fields.pop("ward_code")
        ward = Unit.objects.filter(code=ward_code, kind=UnitKind.WARD).first() if ward_code else None
        if ward_code and ward is None:
            raise ValidationError({"ward_code": [_("Không có phường/xã mã này trong cây đơn vị.")]})
        fields["ward"] = ward
    name = fields.pop("name", None)
    return services.school_update(actor=request.user, school=school, name=name, **fields)


# --- school years ----------------------------------------------------------------------------------


@router.get(
    "/school-years", response={200: list[SchoolYearOut], **ERRORS}, auth=auth_for(READ), tags=["school-years"]
)
@paginate(PageNumberPagination)
def school_year_list(request: HttpRequest) -> Any:
    # The calendars of the caller's province(s): the Sở above their units, or those below a unit above.
    return selectors.year_list(user=request.user).prefetch_related("terms")

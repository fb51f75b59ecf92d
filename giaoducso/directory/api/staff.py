"""The API of staff records."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import (
    Code,
    Day,
    Email,
    Id,
    Name255,
    PersonalId,
    Phone,
    SearchText,
    Text255,
    coded,
)
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm
from rules import codelists

from .. import selectors, services
from ..models import (
    Sex,
    Staff,
    StaffStatus,
)
from .common import (
    READ,
    WRITE,
    WRITE_ERRORS,
    Strict,
    patch_fields,
    school_unit,
)

router = Router()

_CODED = " A code or a name of the list, any case, with or without diacritics; stored as the code."
Position = coded(codelists.staff_positions, 128)
EmploymentType = coded(codelists.employment_kinds)
Qualification = coded(codelists.qualifications, 128)


class AssignmentOut(Schema):
    school: UnitRef
    position: str
    is_main: bool


class StaffOut(Schema):
    id: int
    school: UnitRef
    full_name: str
    sex: str
    position: str
    subjects: str
    status: str
    position_name: str = Field(description="Tên vị trí việc làm (`position` là mã danh mục).")


class StaffDetailOut(StaffOut):
    """Identifier, birth date and contacts only for who keeps the record, and for the person."""

    personal_id: str | None
    date_of_birth: dt.date | None
    employment_type: str = Field(description="Mã loại hợp đồng/biên chế (danh mục LOAI_HOP_DONG).")
    employment_type_name: str
    qualification: str = Field(description="Mã trình độ chuyên môn (danh mục TRINH_DO).")
    qualification_name: str
    phone: str | None
    email: str | None
    schools: list[AssignmentOut]


# --- staff -----------------------------------------------------------------------------------------


class StaffFilters(Schema):
    school: Code | None = Field(None, description="Mã trường (kể cả người dạy thêm ở trường đó).")
    position: SearchText | None = None
    status: StaffStatus | None = None
    q: SearchText | None = Field(None, description="Tên (không dấu cũng được) hoặc số định danh.")


@router.get("/staff", response={200: list[StaffOut], **ERRORS}, auth=auth_for(READ), tags=["staff"])
@paginate(PageNumberPagination)
def staff_list(request: HttpRequest, filters: Query[StaffFilters]) -> Any:
    return selectors.staff_list(
        user=request.user,
        school_code=filters.school or "",
        q=filters.q or "",
        position=filters.position or "",
        status=filters.status or "",
    )


def _staff_detail(user: Any, person: Staff) -> dict[str, Any]:
    private = has_perm(user, Perm.CHANGE_STAFF, person.school) or person.user_id == user.pk
    return {
        "id": person.pk,
        "school": person.school,
        "full_name": person.full_name,
        "sex": person.sex,
        "position": person.position,
        "position_name": person.position_name,
        "subjects": person.subjects,
        "status": person.status,
        "employment_type": person.employment_type,
        "employment_type_name": person.employment_type_name,
        "qualification": person.qualification,
        "qualification_name": person.qualification_name,
        "personal_id": person.personal_id if private else None,
        "date_of_birth": person.date_of_birth if private else None,
        "phone": person.phone if private else None,
        "email": person.email if private else None,
        "schools": list(person.assignments.select_related("school").order_by("-is_main", "school__code")),
    }


@router.get(
    "/staff/{staff_id}", response={200: StaffDetailOut, **ERRORS}, auth=auth_for(READ), tags=["staff"]
)
def staff_detail(request: HttpRequest, staff_id: Id) -> dict[str, Any]:
    return _staff_detail(request.user, selectors.staff_get(user=request.user, pk=staff_id))


class StaffIn(Strict):
    school: Code
    personal_id: PersonalId
    full_name: Name255
    sex: Sex
    date_of_birth: Day
    position: Position = Field("", description="Vị trí việc làm (VI_TRI_VIEC_LAM)." + _CODED)
    employment_type: EmploymentType = Field(
        "", description="Loại hợp đồng/biên chế (LOAI_HOP_DONG)." + _CODED
    )
    qualification: Qualification = Field("", description="Trình độ chuyên môn (TRINH_DO)." + _CODED)
    subjects: Text255 = ""
    phone: Phone = ""
    email: Email = ""
    status: StaffStatus = StaffStatus.WORKING


@router.post("/staff", response={201: StaffDetailOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["staff"])
def staff_create(request: HttpRequest, body: StaffIn) -> Status[dict[str, Any]]:
    school = school_unit(request, body.school, Perm.CHANGE_STAFF)
    fields = body.model_dump(exclude={"school", "personal_id", "full_name"})
    person = services.staff_create(
        actor=request.user, school=school, personal_id=body.personal_id, full_name=body.full_name, **fields
    )
    return Status(201, _staff_detail(request.user, person))


class StaffPatch(Strict):
    full_name: Name255 = None
    sex: Sex = None
    date_of_birth: Day = None
    position: Position = Field(None, description="Vị trí việc làm (VI_TRI_VIEC_LAM)." + _CODED)
    employment_type: EmploymentType = Field(
        None, description="Loại hợp đồng/biên chế (LOAI_HOP_DONG)." + _CODED
    )
    qualification: Qualification = Field(None, description="Trình độ chuyên môn (TRINH_DO)." + _CODED)
    subjects: Text255 = None
    phone: Phone = None
    email: Email = None
    status: StaffStatus = None


@router.patch(
    "/staff/{staff_id}", response={200: StaffDetailOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["staff"]
)
def staff_patch(request: HttpRequest, staff_id: Id, body: StaffPatch) -> dict[str, Any]:
    person = selectors.staff_get(user=request.user, pk=staff_id, perm=Perm.CHANGE_STAFF)
    return _staff_detail(
        request.user, services.staff_update(actor=request.user, staff=person, **patch_fields(body))
    )

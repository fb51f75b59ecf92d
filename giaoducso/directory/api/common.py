"""What the directory's API routes share: scopes, input types, strict bodies, references."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from pydantic import AfterValidator, ConfigDict, StringConstraints

from giaoducso.core.api.routes import ERRORS
from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.scoping import get_scoped_or_404

from .. import services
from ..models import (
    Room,
    SchoolClass,
    Staff,
)

READ = "directory:read"
WRITE = "directory:write"
STUDENTS_READ = "students:read"
WRITE_ERRORS: dict[int, Any] = {**ERRORS, 400: ERRORS[404], 409: ERRORS[404]}
Id = Annotated[int, Path(..., ge=1, le=2**63 - 1)]


# --- input types -----------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    # PostgreSQL refuses NUL inside text: without this check such a body would be a 500.
    if "\x00" in value:
        raise ValueError(_("Không được chứa ký tự NUL."))
    return value.strip()


# Free text of the model's column length, trimmed, without NUL.
Text12 = Annotated[str, StringConstraints(max_length=12), AfterValidator(clean_text)]
Text20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(clean_text)]
Text32 = Annotated[str, StringConstraints(max_length=32), AfterValidator(clean_text)]
Text64 = Annotated[str, StringConstraints(max_length=64), AfterValidator(clean_text)]
Text128 = Annotated[str, StringConstraints(max_length=128), AfterValidator(clean_text)]
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(clean_text)]
Text254 = Annotated[str, StringConstraints(max_length=254), AfterValidator(clean_text)]
Text255 = Annotated[str, StringConstraints(max_length=255), AfterValidator(clean_text)]


# Dates outside these bounds mean nothing for a school and cannot be stored everywhere.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2999, 12, 31))]
ObjectId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class Strict(Schema):
    """A request body: unknown fields are an error with their name, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


def ward_of(code: str) -> Unit:
    """A ward of the unit tree by its code (the quality board counts only these as known)."""
    ward = Unit.objects.filter(code=code, kind=UnitKind.WARD).first()
    if ward is None:
        raise ValidationError({"ward_code": [_("Không có phường/xã mã này trong cây đơn vị.")]})
    return ward


def patch_fields(body: Strict, *, nullable: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields the caller sent; null only where the field may be empty."""
    fields = body.model_dump(exclude_unset=True)
    nulls = [name for name, value in fields.items() if value is None and name not in nullable]
    if nulls:
        raise ValidationError({name: [_("Không được để trống (null).")] for name in nulls})
    return fields


def school_unit(request: HttpRequest, code: str, perm: str) -> Unit:
    """A school the caller may act on with `perm`; 404 for one outside their reach (as for no school)."""
    return get_scoped_or_404(Unit.objects.all(), request.user, perm, code=code, kind=UnitKind.SCHOOL)


class Ref(Schema):
    id: int
    name: str


class StaffRef(Schema):
    id: int
    full_name: str


class ClassRef(Schema):
    id: int
    name: str


def teacher_of(school: Unit, staff_id: int | None) -> Staff | None:
    if staff_id is None:
        return None
    # Someone not working at this school is refused the same way whether or not they exist elsewhere.
    teacher = Staff.objects.filter(pk=staff_id).first()
    if teacher is None or not services.works_at(teacher, school):
        raise ValidationError(
            {"homeroom_teacher_id": [_("Giáo viên chủ nhiệm phải là cán bộ, giáo viên của trường.")]}
        )
    return teacher


def room_of(school: Unit, room_id: int | None, field: str = "room_id") -> Room | None:
    if room_id is None:
        return None
    room = Room.objects.filter(pk=room_id, school=school).first()
    if room is None:
        raise ValidationError({field: [_("Phòng phải thuộc trường.")]})
    return room


def class_of(school: Unit, class_id: int | None) -> SchoolClass | None:
    if class_id is None:
        return None
    school_class = SchoolClass.objects.select_related("year").filter(pk=class_id, school=school).first()
    if school_class is None:
        raise ValidationError({"class_id": [_("Lớp phải thuộc trường của học sinh.")]})
    return school_class

"""What the directory's API routes share: scopes, input types, strict bodies, references."""

from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

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


def _no_null_defaults(schema: dict[str, Any]) -> None:
    # A PATCH field that may be left out but never sent as null is declared `name: Text = None`: the
    # document must not offer that null as the field's default.
    for prop in schema.get("properties", {}).values():
        if "default" in prop and prop["default"] is None and not _nullable(prop):
            del prop["default"]


def _nullable(prop: dict[str, Any]) -> bool:
    return prop.get("type") == "null" or any(part.get("type") == "null" for part in prop.get("anyOf", []))


def _allows_null(annotation: Any) -> bool:
    return annotation is NoneType or (
        get_origin(annotation) in (Union, UnionType) and NoneType in get_args(annotation)
    )


class Strict(Schema):
    """A request body: unknown fields are an error with their name, never silently dropped. A field is
    nullable in the document exactly when null means something (clearing a room, say)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_no_null_defaults)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        # Said before the type's own error ("should be 'good', 'fair' or 'poor'"), which would hide why.
        if (
            value is None
            and info.field_name
            and not _allows_null(cls.model_fields[info.field_name].annotation)
        ):
            raise PydanticCustomError("null_forbidden", "Must not be null.")
        return value


def ward_of(code: str) -> Unit:
    """A ward of the unit tree by its code (the quality board counts only these as known)."""
    ward = Unit.objects.filter(code=code, kind=UnitKind.WARD).first()
    if ward is None:
        raise ValidationError({"ward_code": [_("Không có phường/xã mã này trong cây đơn vị.")]})
    return ward


def patch_fields(body: Strict) -> dict[str, Any]:
    """The fields the caller sent (null only reaches here where the field's type allows it: Strict refuses
    it, by name, for every other field)."""
    return body.model_dump(exclude_unset=True)


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

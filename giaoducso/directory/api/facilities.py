"""The API of rooms and equipment."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from giaoducso.core.api.auth import auth_for
from giaoducso.core.api.pagination import PageNumberPagination
from giaoducso.core.api.routes import ERRORS
from giaoducso.core.api.schemas import UnitRef
from giaoducso.core.api.types import Area, Code, Id, Name64, Name255, ObjectId, Quantity, SearchText
from giaoducso.core.roles import Perm

from .. import selectors, services
from ..models import (
    Condition,
    Equipment,
    Room,
    RoomKind,
)
from .common import (
    READ,
    WRITE,
    WRITE_ERRORS,
    Ref,
    Strict,
    patch_fields,
    room_of,
    school_unit,
)

router = Router()


class RoomOut(Schema):
    id: int
    school: UnitRef
    kind: str
    name: str
    area_m2: float | None
    condition: str

    @staticmethod
    def resolve_area_m2(obj: Room) -> float | None:
        return float(obj.area_m2) if obj.area_m2 is not None else None


class EquipmentOut(Schema):
    id: int
    school: UnitRef
    name: str
    quantity: int
    condition: str
    room: Ref | None


# --- facilities ------------------------------------------------------------------------------------


class RoomFilters(Schema):
    school: Code | None = None
    kind: RoomKind | None = None
    condition: Condition | None = None


@router.get("/rooms", response={200: list[RoomOut], **ERRORS}, auth=auth_for(READ), tags=["facilities"])
@paginate(PageNumberPagination)
def room_list(request: HttpRequest, filters: Query[RoomFilters]) -> Any:
    return selectors.room_list(
        user=request.user,
        school_code=filters.school or "",
        kind=filters.kind or "",
        condition=filters.condition or "",
    )


class RoomIn(Strict):
    school: Code
    kind: RoomKind
    name: Name64
    area_m2: Area | None = None
    condition: Condition = Condition.GOOD


@router.post("/rooms", response={201: RoomOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["facilities"])
def room_create(request: HttpRequest, body: RoomIn) -> Status[Room]:
    school = school_unit(request, body.school, Perm.CHANGE_SCHOOL)
    return Status(
        201, services.room_create(actor=request.user, school=school, **body.model_dump(exclude={"school"}))
    )


class RoomPatch(Strict):
    kind: RoomKind = None
    name: Name64 = None
    area_m2: Area | None = Field(None, description="null để bỏ diện tích.")
    condition: Condition = None


@router.patch(
    "/rooms/{room_id}", response={200: RoomOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["facilities"]
)
def room_patch(request: HttpRequest, room_id: Id, body: RoomPatch) -> Room:
    room = selectors.room_get(user=request.user, pk=room_id, perm=Perm.CHANGE_SCHOOL)
    return services.room_update(actor=request.user, room=room, **patch_fields(body))


class EquipmentFilters(Schema):
    school: Code | None = None
    condition: Condition | None = None
    q: SearchText | None = None


@router.get(
    "/equipment", response={200: list[EquipmentOut], **ERRORS}, auth=auth_for(READ), tags=["facilities"]
)
@paginate(PageNumberPagination)
def equipment_list(request: HttpRequest, filters: Query[EquipmentFilters]) -> Any:
    return selectors.equipment_list(
        user=request.user,
        school_code=filters.school or "",
        condition=filters.condition or "",
        q=filters.q or "",
    )


class EquipmentIn(Strict):
    school: Code
    name: Name255
    quantity: Quantity = 1
    condition: Condition = Condition.GOOD
    room_id: ObjectId | None = None


@router.post(
    "/equipment", response={201: EquipmentOut, **WRITE_ERRORS}, auth=auth_for(WRITE), tags=["facilities"]
)
def equipment_create(request: HttpRequest, body: EquipmentIn) -> Status[Equipment]:
    school = school_unit(request, body.school, Perm.CHANGE_SCHOOL)
    item = services.equipment_create(
        actor=request.user,
        school=school,
        name=body.name,
        quantity=body.quantity,
        condition=body.condition,
        room=room_of(school, body.room_id),
    )
    return Status(201, item)


class EquipmentPatch(Strict):
    name: Name255 = None
    quantity: Quantity = None
    condition: Condition = None
    room_id: ObjectId | None = Field(None, description="null để bỏ phòng.")


@router.patch(
    "/equipment/{equipment_id}",
    response={200: EquipmentOut, **WRITE_ERRORS},
    auth=auth_for(WRITE),
    tags=["facilities"],
)
def equipment_patch(request: HttpRequest, equipment_id: Id, body: EquipmentPatch) -> Equipment:
    item = selectors.equipment_get(user=request.user, pk=equipment_id, perm=Perm.CHANGE_SCHOOL)
    fields = patch_fields(body)
    if "room_id" in fields:
        fields["room"] = room_of(item.school, fields.pop("room_id"))
    return services.equipment_update(actor=request.user, equipment=item, **fields)

"""Writes to rooms and equipment."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from giaoducso.core.services import reject_unknown_fields

from ..models import Equipment, Room

ROOM_EDITABLE = ("kind", "name", "area_m2", "condition")
EQUIPMENT_EDITABLE = ("name", "quantity", "condition", "room")


def _check_room_name(room: Room) -> None:
    room.name = (room.name or "").strip()
    if Room.objects.filter(school_id=room.school_id, name__iexact=room.name).exclude(pk=room.pk).exists():
        raise ValidationError({"name": [_("Trường đã có phòng tên này.")]})


@transaction.atomic
def room_create(*, actor: Actor, school: Unit, kind: str, name: str, **fields: Any) -> Room:
    reject_unknown_fields("room_create", fields, ROOM_EDITABLE)
    room = Room(school=school, kind=kind, name=name, **fields)
    _check_room_name(room)
    room.full_clean()
    room.save()
    audit.record_create(actor=actor, obj=room)
    return room


@transaction.atomic
def room_update(*, actor: Actor, room: Room, **fields: Any) -> Room:
    reject_unknown_fields("room_update", fields, ROOM_EDITABLE)
    before = audit.snapshot(room, ROOM_EDITABLE)
    for key, value in fields.items():
        setattr(room, key, value)
    _check_room_name(room)
    room.full_clean()
    room.save()
    audit.record_update(actor=actor, obj=room, before=before)
    return room


def _check_equipment_room(equipment: Equipment) -> None:
    if equipment.room is not None and equipment.room.school_id != equipment.school_id:
        raise ValidationError({"room": [_("Phòng phải thuộc trường của thiết bị.")]})


@transaction.atomic
def equipment_create(*, actor: Actor, school: Unit, name: str, **fields: Any) -> Equipment:
    reject_unknown_fields("equipment_create", fields, EQUIPMENT_EDITABLE)
    equipment = Equipment(school=school, name=(name or "").strip(), **fields)
    _check_equipment_room(equipment)
    equipment.full_clean()
    equipment.save()
    audit.record_create(actor=actor, obj=equipment)
    return equipment


@transaction.atomic
def equipment_update(*, actor: Actor, equipment: Equipment, **fields: Any) -> Equipment:
    reject_unknown_fields("equipment_update", fields, EQUIPMENT_EDITABLE)
    before = audit.snapshot(equipment, EQUIPMENT_EDITABLE)
    for key, value in fields.items():
        setattr(equipment, key, value.strip() if isinstance(value, str) else value)
    _check_equipment_room(equipment)
    equipment.full_clean()
    equipment.save()
    audit.record_update(actor=actor, obj=equipment, before=before)
    return equipment

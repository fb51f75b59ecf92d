"""Writes to staff records and their assignments to schools."""

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from giaoducso.core.services import reject_unknown_fields
from rules.text import fold, name_sort_key, normalise_name

from ..models import Staff, StaffAssignment
from .codes import STAFF_CODE_FIELDS, clean_codes
from .common import _check_person_id, _check_phone, _raise

STAFF_EDITABLE = (
    "full_name",
    "sex",
    "date_of_birth",
    "position",
    "employment_type",
    "qualification",
    "subjects",
    "phone",
    "email",
    "status",
)


@transaction.atomic
def staff_create(*, actor: Actor, school: Any, personal_id: str, full_name: str, **fields: Any) -> Staff:
    """A staff record; its search key is folded here, since the column has no default to fall back on."""
    reject_unknown_fields("staff_create", fields, STAFF_EDITABLE)
    staff = Staff(
        school=school, personal_id=personal_id.strip(), full_name=normalise_name(full_name), **fields
    )
    staff.search_name = fold(staff.full_name)
    staff.sort_key = name_sort_key(staff.full_name)
    _validate_staff(staff)
    staff.full_clean()
    staff.save()
    audit.record_create(actor=actor, obj=staff)
    # The school that keeps the record is where they work, until staff_assign adds another.
    assignment = StaffAssignment.objects.create(
        school=school, staff=staff, position=staff.position, is_main=True
    )
    audit.record_create(actor=actor, obj=assignment)
    return staff


@transaction.atomic
def staff_update(*, actor: Actor, staff: Staff, **fields: Any) -> Staff:
    reject_unknown_fields("staff_update", fields, STAFF_EDITABLE)
    before = audit.snapshot(staff, STAFF_EDITABLE)
    for key, value in fields.items():
        setattr(staff, key, value)
    staff.full_name = normalise_name(staff.full_name)
    staff.search_name = fold(staff.full_name)
    staff.sort_key = name_sort_key(staff.full_name)
    _validate_staff(staff, only=fields.keys())
    staff.full_clean()
    staff.save()
    audit.record_update(actor=actor, obj=staff, before=before)
    return staff


def _validate_staff(staff: Staff, only: Collection[str] | None = None) -> None:
    """The identifier must agree with sex and birth year, the phone must be one, position, qualification
    and employment kind must be in their lists (stored as codes); field errors otherwise."""
    errors: dict[str, list[str]] = {}
    clean_codes(errors, staff, STAFF_CODE_FIELDS, only)
    staff.phone = _check_phone(errors, "phone", staff.phone)
    _check_person_id(errors, staff.personal_id, staff.sex, staff.date_of_birth)
    _raise(errors)


@transaction.atomic
def staff_assign(
    *, actor: Actor, staff: Staff, school: Unit, position: str = "", is_main: bool = False
) -> StaffAssignment:
    """A staff member also working at another school (dạy liên trường); idempotent per school."""
    if school.kind != "school":
        raise ValidationError({"school": [_("Chỉ phân công về một trường.")]})
    assignment, created = StaffAssignment.objects.get_or_create(
        school=school, staff=staff, defaults={"position": position, "is_main": is_main}
    )
    if created:
        audit.record_create(actor=actor, obj=assignment)
    else:
        before = audit.snapshot(assignment, ("position", "is_main"))
        assignment.position, assignment.is_main = position, is_main
        assignment.save()
        audit.record_update(actor=actor, obj=assignment, before=before)
    return assignment

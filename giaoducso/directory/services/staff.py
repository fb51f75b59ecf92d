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

from .. import checks
from ..models import Staff, StaffAssignment
from .codes import STAFF_CODE_FIELDS, clean_codes
from .names import set_name_columns
from .staff_bulk import main_assignment

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
    staff = Staff(school=school, personal_id=personal_id.strip(), **fields)
    set_name_columns(staff, full_name)
    _validate_staff(staff)
    staff.full_clean()
    staff.save()
    audit.record_create(actor=actor, obj=staff)
    assignment = main_assignment(staff)
    assignment.save()
    audit.record_create(actor=actor, obj=assignment)
    return staff


@transaction.atomic
def staff_update(*, actor: Actor, staff: Staff, **fields: Any) -> Staff:
    reject_unknown_fields("staff_update", fields, STAFF_EDITABLE)
    before = audit.snapshot(staff, STAFF_EDITABLE)
    for key, value in fields.items():
        setattr(staff, key, value)
    set_name_columns(staff, staff.full_name)
    _validate_staff(staff, only=fields.keys())
    staff.full_clean()
    staff.save()
    audit.record_update(actor=actor, obj=staff, before=before)
    return staff


def _validate_staff(staff: Staff, only: Collection[str] | None = None) -> None:
    """The identifier must agree with sex and birth year, the phone and e-mail must be ones, position,
    qualification and employment kind must be in their lists (stored as codes), the date of birth a
    working age (checked when it is set, so an old record can still be edited); field errors otherwise.
    On an update (`only`: the fields changed) the code lists and the age are checked for those fields."""
    errors: checks.Errors = {}
    clean_codes(errors, staff, STAFF_CODE_FIELDS, only)
    staff.phone = checks.phone(errors, "phone", staff.phone)
    checks.email_field(errors, "email", staff.email)
    checks.personal_id(errors, staff.personal_id, staff.sex, staff.date_of_birth)
    if only is None or "date_of_birth" in only:
        checks.staff_birth(errors, staff.date_of_birth)
    checks.raise_if_any(errors)


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

"""Staff in bulk, beside `staff_create`/`staff_update`: the staff import and the demo district write through
here. The same rows as the single-row services (the record with its name columns, the main assignment at the
school that keeps it) and the same audit lines, one per row. The caller has checked the rows."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from django.utils import timezone

from giaoducso.core import audit
from giaoducso.core.audit import Actor
from giaoducso.core.bulk import bulk_insert
from giaoducso.core.models import AuditAction, Unit
from rules.text import name_columns

from ..models import Staff, StaffAssignment

# The staff columns a row sets, besides the school and the name columns.
FIELDS = (
    "date_of_birth",
    "sex",
    "position",
    "employment_type",
    "qualification",
    "subjects",
    "phone",
    "email",
)


class NewStaff(NamedTuple):
    school_id: int
    personal_id: str
    full_name: str  # as typed: name_columns derives what is stored
    date_of_birth: _dt.date | None
    sex: str
    position: str = ""
    employment_type: str = ""
    qualification: str = ""
    subjects: str = ""
    phone: str = ""
    email: str = ""


def main_assignment(staff: Staff) -> StaffAssignment:
    """Where a new staff member works: the school that keeps the record, until staff_assign adds another."""
    return StaffAssignment(school_id=staff.school_id, staff=staff, position=staff.position, is_main=True)


def staff_bulk_create(
    *, actor: Actor, rows: Iterable[NewStaff], units: Mapping[int, Unit], note: str = ""
) -> list[Staff]:
    """New staff records with their main assignment; `units`: the schools' units by id."""
    staff = [
        Staff(
            school_id=r.school_id,
            personal_id=r.personal_id,
            **{name: getattr(r, name) for name in FIELDS},
            **name_columns(r.full_name),
        )
        for r in rows
    ]
    bulk_insert(Staff, staff)
    for person in staff:
        person.school = units[person.school_id]
    assignments = [main_assignment(person) for person in staff]
    for assignment in assignments:
        # str(assignment), in its audit line, names the school: the unit held here, not a query a row
        # (20,000 of them were 70 % of a 20,000-row staff import).
        assignment._state.fields_cache["school"] = units[assignment.school_id]
    bulk_insert(StaffAssignment, assignments)
    unit_of = lambda obj: units[obj.school_id]  # noqa: E731
    audit.record_create_many(actor=actor, objs=staff, unit_of=unit_of, note=note)
    audit.record_create_many(actor=actor, objs=assignments, unit_of=unit_of, note=note)
    return staff


def staff_bulk_update(
    *,
    actor: Actor,
    changes: Sequence[tuple[int, NewStaff, dict[str, Any]]],
    units: Mapping[int, Unit],
    note: str = "",
) -> None:
    """Existing records (pk, row, audited old values of what changes) set to their rows; the main
    assignment's position follows the record's."""
    now = timezone.now()
    staff = [
        Staff(
            pk=pk,
            school=units[row.school_id],
            updated_at=now,
            **{name: getattr(row, name) for name in FIELDS},
            **name_columns(row.full_name),
        )
        for pk, row, _before in changes
    ]
    if not staff:
        return
    Staff.objects.bulk_update(staff, [*FIELDS, *name_columns(""), "updated_at"])
    for person, (_pk, _row, before) in zip(staff, changes, strict=True):
        if "position" in before:
            StaffAssignment.objects.filter(staff_id=person.pk, school_id=person.school_id).update(
                position=person.position
            )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            changes=audit.diff(before, {key: getattr(person, key) for key in before}),
            note=note,
        )

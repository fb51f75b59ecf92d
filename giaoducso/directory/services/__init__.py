"""Writes to the shared education database, one module per area. Every change to personal data is audited.

One write path per operation, shared by the screens, the API, the commands and the importers. Other apps
call `giaoducso.directory.services.<name>`; this package re-exports each area's public services so that
name stays the contract while the modules behind it move.
"""

from .changes import scheduled_change_apply, scheduled_change_cancel, scheduled_changes_apply_due
from .classes import CLASS_EDITABLE, class_create, class_update, works_at
from .corrections import student_personal_id_correct, student_status_correct
from .facilities import (
    EQUIPMENT_EDITABLE,
    ROOM_EDITABLE,
    equipment_create,
    equipment_update,
    room_create,
    room_update,
)
from .homeroom import homeroom_guardian_set_phone, may_set_guardian_phone
from .schools import (
    SCHOOL_EDITABLE,
    school_bulk_create,
    school_create,
    school_update,
    school_year_create,
    school_year_set_current,
    school_year_update,
    term_set,
)
from .staff import STAFF_EDITABLE, staff_assign, staff_create, staff_update
from .students import (
    GUARDIAN_EDITABLE,
    STUDENT_CREATE_OPTIONAL,
    STUDENT_EDITABLE,
    guardian_add,
    guardian_remove,
    guardian_update,
    student_create,
    student_record_viewed,
    student_set_class,
    student_set_status,
    student_update,
)

__all__ = [
    "CLASS_EDITABLE",
    "EQUIPMENT_EDITABLE",
    "GUARDIAN_EDITABLE",
    "ROOM_EDITABLE",
    "SCHOOL_EDITABLE",
    "STAFF_EDITABLE",
    "STUDENT_CREATE_OPTIONAL",
    "STUDENT_EDITABLE",
    "class_create",
    "class_update",
    "equipment_create",
    "equipment_update",
    "guardian_add",
    "guardian_remove",
    "guardian_update",
    "homeroom_guardian_set_phone",
    "may_set_guardian_phone",
    "room_create",
    "room_update",
    "scheduled_change_apply",
    "scheduled_change_cancel",
    "scheduled_changes_apply_due",
    "school_bulk_create",
    "school_create",
    "school_update",
    "school_year_create",
    "school_year_set_current",
    "school_year_update",
    "staff_assign",
    "staff_create",
    "staff_update",
    "student_create",
    "student_personal_id_correct",
    "student_record_viewed",
    "student_set_class",
    "student_set_status",
    "student_status_correct",
    "student_update",
    "term_set",
    "works_at",
]

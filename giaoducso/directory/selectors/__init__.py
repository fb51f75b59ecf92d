"""Reads of the shared education database, one module per area, always through scoping.

Other apps call `giaoducso.directory.selectors.<name>`; this package re-exports each area's selectors so
that name stays the contract while the modules behind it move.
"""

from .classes import class_get, class_list
from .common import (
    calendar_unit,
    current_year_among,
    current_year_for,
    current_year_for_user,
    current_years,
)
from .exchange import MinistryExchange, ministry_exchange
from .facilities import equipment_get, equipment_list, room_get, room_list
from .homeroom import class_students, homeroom_classes, homeroom_guardian_get, homeroom_students
from .privacy import (
    Visibility,
    full_record_unit_paths,
    guarded,
    student_visibility,
    visibility_of,
    with_visibility,
)
from .schools import school_counts, school_get, school_list, school_unit_get
from .staff import staff_get, staff_list
from .students import children_of, own_record, student_get, student_list
from .years import (
    calendar_units_for,
    calendar_years_for,
    may_open_calendar,
    year_get,
    year_list,
)

__all__ = [
    "MinistryExchange",
    "Visibility",
    "calendar_unit",
    "calendar_units_for",
    "calendar_years_for",
    "children_of",
    "class_get",
    "class_list",
    "class_students",
    "current_year_among",
    "current_year_for",
    "current_year_for_user",
    "current_years",
    "equipment_get",
    "equipment_list",
    "full_record_unit_paths",
    "guarded",
    "homeroom_classes",
    "homeroom_guardian_get",
    "homeroom_students",
    "may_open_calendar",
    "ministry_exchange",
    "own_record",
    "room_get",
    "room_list",
    "school_counts",
    "school_get",
    "school_list",
    "school_unit_get",
    "staff_get",
    "staff_list",
    "student_get",
    "student_list",
    "student_visibility",
    "visibility_of",
    "with_visibility",
    "year_get",
    "year_list",
]

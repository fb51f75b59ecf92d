"""The directory's exportable lists, registered with core's exports so that a large one can be rebuilt
by a worker: each builder takes the exporting user and the list's filters and returns a `Table`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from giaoducso.core import exports
from giaoducso.core.models import Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import memberships_for, scoped

from . import selectors
from .forms import StudentFilterForm

STUDENTS = "directory.students"


def audit_unit(user: Any, school_code: str = "") -> Unit | None:
    """The unit an export is logged under: the school filtered on, else the user's own unit."""
    if school_code:
        unit = Unit.objects.filter(code=school_code).first()
        if unit is not None:
            return unit
    memberships = memberships_for(user)
    return memberships[0].unit if memberships else None


def student_table(user: Any, params: dict[str, str]) -> exports.Table:
    form = StudentFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    students = selectors.student_list(
        user=user, q=filters.get("q", ""), school_code=filters.get("school", "")
    )
    # Only what the user may export, not merely see: a teacher sees pupils but exports none.
    students = scoped(students, user, Perm.EXPORT_DATA).select_related("current_class")
    # Each row carries what this user may read of it (selectors.privacy); withheld cells stay empty.
    students = selectors.with_visibility(students, user)
    guarded = selectors.guarded
    columns: list[exports.Column] = [
        (_("Mã trường"), lambda s: s.school.code),
        (_("Họ và tên"), lambda s: s.full_name),
        (_("Số định danh cá nhân"), guarded("personal_id", lambda s: s.personal_id)),
        (_("Mã học sinh (Bộ)"), lambda s: s.ministry_code),
        (_("Ngày sinh"), lambda s: s.date_of_birth),
        (_("Giới tính"), lambda s: s.get_sex_display()),
        (_("Dân tộc"), guarded("ethnicity", lambda s: s.ethnicity_name)),
        (_("Quốc tịch"), guarded("nationality", lambda s: s.nationality_name)),
        (_("Lớp"), lambda s: s.current_class.name if s.current_class else ""),
        (_("Trạng thái"), lambda s: s.get_status_display()),
        (_("Địa chỉ"), guarded("address", lambda s: s.address)),
    ]
    return exports.Table(
        what="directory.student",
        title=_("Danh sách học sinh"),
        filename="hoc-sinh",
        columns=columns,
        rows=students,
        unit=audit_unit(user, filters.get("school", "")),
    )


def register() -> None:
    from .views.classes import class_table
    from .views.facilities import equipment_table, room_table
    from .views.homeroom import HOMEROOM_TABLE, homeroom_table
    from .views.schools import school_table
    from .views.search import SEARCH_TABLE, search_table
    from .views.staff import staff_table
    from .views.transfers import TRANSFER_TABLE, transfer_table

    exports.register_table(STUDENTS, student_table)
    exports.register_table("directory.schools", school_table)
    exports.register_table("directory.classes", class_table)
    exports.register_table("directory.staff", staff_table)
    exports.register_table("directory.rooms", room_table)
    exports.register_table("directory.equipment", equipment_table)
    exports.register_table(SEARCH_TABLE, search_table)
    exports.register_table(TRANSFER_TABLE, transfer_table)
    exports.register_table(HOMEROOM_TABLE, homeroom_table)

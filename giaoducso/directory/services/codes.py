"""Values that come from a code list (rules/codelists): read as a code or a name, stored as the code.

Shared by the write paths of students and staff; the importers use `read_code` for their cells. On an
update only the fields being changed are checked, so a value older than the lists (kept by migration 0008
and listed on the quality board) does not block an unrelated edit.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rules import codelists
from rules.identity import check_identity, check_parent_birth_year
from rules.text import normalise_name

# field → (the list, what it is called in a message)
STUDENT_CODE_FIELDS: dict[str, tuple[Callable[[], codelists.CodeList], Any]] = {
    "ethnicity": (codelists.ethnic_groups, gettext_lazy("dân tộc")),
    "nationality": (codelists.nationalities, gettext_lazy("quốc tịch")),
    "birth_province": (codelists.provinces, gettext_lazy("tỉnh/thành phố")),
}
STAFF_CODE_FIELDS: dict[str, tuple[Callable[[], codelists.CodeList], Any]] = {
    "position": (codelists.staff_positions, gettext_lazy("vị trí việc làm")),
    "qualification": (codelists.qualifications, gettext_lazy("trình độ chuyên môn")),
    "employment_type": (codelists.employment_kinds, gettext_lazy("loại hợp đồng/biên chế")),
}
IDENTITY_FIELDS = frozenset({"personal_id", "nationality", "other_document_kind", "other_document_number"})


def unknown_message(value: str, what: Any) -> str:
    return _("«%(value)s» không có trong danh mục %(what)s; hãy chọn một giá trị trong danh mục.") % {
        "value": value,
        "what": what,
    }


def read_code(codes: codelists.CodeList, value: str) -> str | None:
    """The code of a cell or form value (a code or a name); "" for an empty value, None if unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    return codes.lookup(value)


def clean_codes(
    errors: dict[str, list[Any]],
    obj: Any,
    spec: dict[str, tuple[Callable[[], codelists.CodeList], Any]],
    only: Collection[str] | None = None,
) -> None:
    """Every code field of `obj` in `spec` (or those in `only`) set to its code, or an error on the field."""
    for name, (codes, what) in spec.items():
        if only is not None and name not in only:
            continue
        value = getattr(obj, name) or ""
        code = read_code(codes(), value)
        if code is None:
            errors.setdefault(name, []).append(unknown_message(value, what))
        else:
            setattr(obj, name, code)


def clean_student_fields(
    errors: dict[str, list[Any]], student: Any, only: Collection[str] | None = None
) -> None:
    """The Ministry's fields of a student: codes, the identifier or another document, parents' years."""
    clean_codes(errors, student, STUDENT_CODE_FIELDS, only)
    for name in ("father_name", "mother_name", "birth_commune", "other_document_number"):
        setattr(student, name, normalise_name(getattr(student, name) or ""))
    if only is None or IDENTITY_FIELDS & set(only):
        for problem in check_identity(
            student.personal_id or "",
            student.nationality or "",
            student.other_document_kind or "",
            student.other_document_number or "",
        ):
            errors.setdefault(problem.field, []).append(problem.message)
    if student.birth_commune and not student.birth_province:
        errors.setdefault("birth_province", []).append(_("Hãy chọn tỉnh/thành phố của xã/phường nơi sinh."))
    child_year = getattr(student.date_of_birth, "year", None)
    for field, parent in (("father_birth_year", _("cha")), ("mother_birth_year", _("mẹ"))):
        if only is not None and field not in only and "date_of_birth" not in only:
            continue
        message = check_parent_birth_year(getattr(student, field), child_year, parent=str(parent))
        if message:
            errors.setdefault(field, []).append(message)

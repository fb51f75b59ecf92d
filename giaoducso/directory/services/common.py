"""Checks shared by the directory's write paths: each adds its message to the field it names."""

import datetime as _dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from rules.identifiers import check_personal_id, errors_only
from rules.students import normalise_phone


def _check_phone(errors: dict[str, list[str]], field: str, value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    phone = normalise_phone(value)
    if phone is None:
        errors.setdefault(field, []).append(
            _("Số điện thoại không hợp lệ (ví dụ 0901234567 hoặc 02838123456).")
        )
        return value
    return phone


def _check_person_id(errors: dict[str, list[str]], personal_id: str, sex: str, dob: Any) -> None:
    birth_year = dob.year if isinstance(dob, _dt.date) else None
    # Warnings (an unknown province or country code in digits 1–3) never refuse a record: the quality
    # board lists them to check.
    for problem in errors_only(check_personal_id(personal_id or "", sex=sex or None, birth_year=birth_year)):
        errors.setdefault(problem.field, []).append(problem.message)


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)

"""The field checks of every write path in the directory (screens, API, services, imports), worded for people.

The rules are `rules.fields` (pure, tested exhaustively); this module gives each problem its Vietnamese message
and collects them per field as `ValidationError`s that keep the machine-readable code, so that a form shows the
message under its field, the API returns the code, and an import names the row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from rules import fields
from rules.fields import FieldProblem
from rules.identifiers import check_personal_id, errors_only

# Field → errors, as services collect them before raising one ValidationError.
Errors = dict[str, list[Any]]


def _day(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, dt.date) else str(value)


def _grade(value: object) -> str:
    return str(value) if value else _("mầm non")


_MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    fields.TOO_LONG: lambda p: _("Dài quá %(limit)d ký tự (đang có %(count)d).") % p,
    fields.PHONE: lambda p: (
        _("Số điện thoại «%(value)s» không hợp lệ (ví dụ 0901234567 hoặc 02838123456).") % p
    ),
    fields.EMAIL: lambda p: _("Địa chỉ thư điện tử không hợp lệ."),
    fields.SCHOOL_CODE: lambda p: _("Mã trường chỉ gồm chữ và số, tối đa 12 ký tự."),
    fields.DATE_FUTURE: lambda p: _("Ngày %(value)s ở tương lai.") % {"value": _day(p["date"])},
    fields.DATE_TOO_OLD: lambda p: _("Năm %(year)d quá xa, hãy kiểm tra lại.") % p,
    fields.AGE_FOR_GRADE: lambda p: (
        _("Tuổi theo ngày sinh %(dob)s (%(age)d tuổi năm %(year)d) không phù hợp với khối %(grade)s.")
        % {"dob": _day(p["date"]), "age": p["age"], "year": p["year"], "grade": _grade(p["grade"])}
    ),
    fields.WORKING_AGE: lambda p: (
        _("Tuổi theo ngày sinh (%(age)d) nằm ngoài %(low)d–%(high)d tuổi của người lao động.") % p
    ),
}


def message(problem: FieldProblem) -> str:
    return _MESSAGES[problem.code](problem.params)


def email(field_name: str, value: str) -> FieldProblem | None:
    """Django's own e-mail check (the one EmailField applies), as a FieldProblem."""
    if not value:
        return None
    try:
        validate_email(value)
    except ValidationError:
        return FieldProblem(fields.EMAIL, field_name, {"value": value})
    return fields.too_long(field_name, value, fields.EMAIL_MAX_LENGTH)


# Collecting problems as services raise them ------------------------------------------------------------


def add(errors: Errors, problem: FieldProblem | None) -> None:
    if problem is not None:
        errors.setdefault(problem.field, []).append(ValidationError(message(problem), code=problem.code))


def raise_if_any(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def phone(errors: Errors, field_name: str, value: str) -> str:
    """The number as stored; the problem added to `errors` when it is not a phone number."""
    stored, problem = fields.phone(field_name, value or "")
    add(errors, problem)
    return stored


def personal_id(errors: Errors, value: str, sex: str | None, date_of_birth: Any) -> None:
    """The identifier must agree with sex and birth year (rules.identifiers), each problem on its field.

    Warnings (an unknown province or country code in digits 1–3) never refuse a record: the quality board
    lists them to check."""
    birth_year = date_of_birth.year if isinstance(date_of_birth, dt.date) else None
    problems = check_personal_id(value or "", sex=sex or None, birth_year=birth_year)
    for problem in errors_only(problems):
        errors.setdefault(problem.field, []).append(ValidationError(problem.message, code=problem.code))


def student_birth(
    errors: Errors, date_of_birth: Any, *, grade: int | None, school_year_start: int | None
) -> None:
    if isinstance(date_of_birth, dt.date):
        today = dt.date.today()
        add(errors, fields.student_birth("date_of_birth", date_of_birth, today, grade, school_year_start))


def staff_birth(errors: Errors, date_of_birth: Any) -> None:
    if isinstance(date_of_birth, dt.date):
        add(errors, fields.staff_birth("date_of_birth", date_of_birth, dt.date.today()))


def email_field(errors: Errors, field_name: str, value: str) -> None:
    add(errors, email(field_name, value or ""))

"""Field checks shared by every write path (forms, API, services, imports): phone, e-mail shape, school code,
lengths, dates of birth, a pupil's age for a grade, a worker's age.

Each check returns a `FieldProblem` (or None): a machine-readable `code`, the record `field` to fix and the
`params` a message needs. The wording (Vietnamese, translated) is the Django layer's: `directory.checks`.
Pure and cheap: the student import calls them for every row of a 100,000-row file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .identifiers import is_school_code
from .students import DEFAULT_AGE_RULE, AgeRule, age_in_year, normalise_phone

# Codes of FieldProblem.code: stable, the API returns them.
TOO_LONG: Final = "too_long"
PHONE: Final = "phone"
EMAIL: Final = "email"
SCHOOL_CODE: Final = "school_code"
DATE_FUTURE: Final = "date_future"
DATE_TOO_OLD: Final = "date_too_old"
AGE_FOR_GRADE: Final = "age_for_grade"
WORKING_AGE: Final = "working_age"

# A date of birth before this year is a typing error (no pupil or worker is that old).
EARLIEST_BIRTH_YEAR: Final = 1900
# A staff member's age on the day of the check: labour law's minimum, and past any retirement age.
WORKING_AGE_RANGE: Final = (18, 70)
EMAIL_MAX_LENGTH: Final = 254


@dataclass(frozen=True)
class FieldProblem:
    code: str
    field: str
    params: Mapping[str, object] = dataclasses.field(default_factory=dict)


def too_long(field_name: str, value: str, limit: int) -> FieldProblem | None:
    if len(value) > limit:
        return FieldProblem(TOO_LONG, field_name, {"limit": limit, "count": len(value)})
    return None


def phone(field_name: str, value: str) -> tuple[str, FieldProblem | None]:
    """The number as stored (0xxxxxxxxx), "" when empty; the value kept as typed and a problem otherwise."""
    value = value.strip()
    if not value:
        return "", None
    normalised = normalise_phone(value)
    if normalised is None:
        return value, FieldProblem(PHONE, field_name, {"value": value})
    return normalised, None


def school_code(field_name: str, value: str) -> FieldProblem | None:
    if value and not is_school_code(value):
        return FieldProblem(SCHOOL_CODE, field_name, {"value": value})
    return None


def birth_date(field_name: str, value: dt.date, today: dt.date) -> FieldProblem | None:
    """A date of birth that cannot be: in the future, or before EARLIEST_BIRTH_YEAR."""
    if value > today:
        return FieldProblem(DATE_FUTURE, field_name, {"date": value})
    if value.year < EARLIEST_BIRTH_YEAR:
        return FieldProblem(DATE_TOO_OLD, field_name, {"year": value.year})
    return None


def age(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years on a given day."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def student_age(
    field_name: str,
    date_of_birth: dt.date,
    grade: int,
    school_year_start: int,
    rule: AgeRule = DEFAULT_AGE_RULE,
) -> FieldProblem | None:
    """A pupil's age in the calendar year the school year starts, against the grade (rules.students)."""
    low, high = rule.age_range(grade)
    years = age_in_year(date_of_birth, school_year_start)
    if low <= years <= high:
        return None
    return FieldProblem(
        AGE_FOR_GRADE,
        field_name,
        {"date": date_of_birth, "age": years, "year": school_year_start, "grade": grade},
    )


def working_age(
    field_name: str, date_of_birth: dt.date, today: dt.date, bounds: tuple[int, int] = WORKING_AGE_RANGE
) -> FieldProblem | None:
    years = age(date_of_birth, today)
    low, high = bounds
    if low <= years <= high:
        return None
    return FieldProblem(WORKING_AGE, field_name, {"age": years, "low": low, "high": high})


def student_birth(
    field_name: str,
    date_of_birth: dt.date,
    today: dt.date,
    grade: int | None,
    school_year_start: int | None,
) -> FieldProblem | None:
    """Every check of a pupil's date of birth, the first that fails: a real date, then the age for the
    grade when the pupil is in a class."""
    problem = birth_date(field_name, date_of_birth, today)
    if problem is None and grade is not None and school_year_start is not None:
        problem = student_age(field_name, date_of_birth, grade, school_year_start)
    return problem


def staff_birth(field_name: str, date_of_birth: dt.date, today: dt.date) -> FieldProblem | None:
    """Every check of a staff member's date of birth, the first that fails."""
    return birth_date(field_name, date_of_birth, today) or working_age(field_name, date_of_birth, today)

"""Plausibility rules for the shared education database: grades by level, age for a grade, class names,
phone numbers. Thresholds are data (a rule set per deployment), never literals scattered in views."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

# Grades each school level teaches; 0 stands for the preschool groups (nhà trẻ, mẫu giáo).
LEVEL_GRADES: Final[dict[str, frozenset[int]]] = {
    "preschool": frozenset({0}),
    "primary": frozenset(range(1, 6)),
    "lower_secondary": frozenset(range(6, 10)),
    "primary_lower_secondary": frozenset(range(1, 10)),
    "multi": frozenset(range(0, 10)),
}


@dataclass(frozen=True)
class AgeRule:
    """Age in the calendar year a school year starts: grade g expects 5 + g (grade 1 → 6)."""

    early: int = 1  # a year ahead (skipped grade, born late in the year) is still plausible
    late: int = 3  # repeated grades, late start, returning students
    preschool_min: int = 0
    preschool_max: int = 6

    def age_range(self, grade: int) -> tuple[int, int]:
        if grade == 0:
            return self.preschool_min, self.preschool_max
        expected = 5 + grade
        return expected - self.early, expected + self.late


DEFAULT_AGE_RULE: Final = AgeRule()


def age_in_year(date_of_birth: dt.date, school_year_start: int) -> int:
    return school_year_start - date_of_birth.year


def age_plausible(
    date_of_birth: dt.date, grade: int, school_year_start: int, rule: AgeRule = DEFAULT_AGE_RULE
) -> bool:
    low, high = rule.age_range(grade)
    return low <= age_in_year(date_of_birth, school_year_start) <= high


_CLASS = re.compile(r"^\s*(\d{1,2})\s*/\s*([0-9A-Za-z]{1,4})\s*$")
_PRESCHOOL_GROUP = re.compile(r"^\s*(nhà trẻ|mầm|chồi|lá)\b", re.IGNORECASE)


def parse_class_name(name: str) -> tuple[int, str] | None:
    """ "6/1" → (6, "6/1"); preschool groups ("Mầm 1", "Chồi 2", "Lá 3", "Nhà trẻ 1") → grade 0.
    None when the name follows neither pattern."""
    match = _CLASS.match(name)
    if match:
        grade = int(match.group(1))
        if not 1 <= grade <= 12:
            return None
        return grade, f"{grade}/{match.group(2).upper()}"
    if _PRESCHOOL_GROUP.match(name):
        return 0, " ".join(name.split())
    return None


_PHONE = re.compile(r"^0(?:[35789]\d{8}|2\d{9})$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise_phone(raw: str) -> str | None:
    """A Vietnamese phone number as 0xxxxxxxxx (mobile, 10 digits) or 02xxxxxxxxx (landline, 11 digits),
    from the usual ways people write it (spaces, dots, dashes, +84 or 84). None if it is not one."""
    digits = _PHONE_SEPARATORS.sub("", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits if _PHONE.match(digits) else None

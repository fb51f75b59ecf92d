"""Plausibility of a transfer between schools: the destination teaches the pupil's grade, and the date
lies between the pupil's current enrolment and a year from today. Messages name the field to fix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from .students import DEFAULT_AGE_RULE, LEVEL_GRADES, AgeRule, age_plausible

# A transfer is decided for the coming weeks, at most for the next school year; a date further ahead is a typo.
MAX_DAYS_AHEAD: Final = 366


@dataclass(frozen=True)
class TransferProblem:
    field: str  # "to_school" or "effective_date"
    code: str  # machine-readable: "grade_not_taught", "age_not_taught", "before_enrolment", "too_far_ahead"


def destination_problems(
    *,
    level: str | None,
    grade: int | None,
    date_of_birth: dt.date,
    school_year_start: int,
    rule: AgeRule = DEFAULT_AGE_RULE,
) -> list[TransferProblem]:
    """Whether a school of `level` can take the pupil: their grade when they sit in a class, else a grade
    their age fits. An unknown level (no school record yet) is not held against the transfer."""
    if level is None or level not in LEVEL_GRADES:
        return []
    grades = LEVEL_GRADES[level]
    if grade is not None:
        return [] if grade in grades else [TransferProblem("to_school", "grade_not_taught")]
    if any(age_plausible(date_of_birth, g, school_year_start, rule) for g in grades):
        return []
    return [TransferProblem("to_school", "age_not_taught")]


def date_problems(
    *, effective_date: dt.date | None, not_before: dt.date | None, today: dt.date
) -> list[TransferProblem]:
    """`not_before`: the start of the pupil's current enrolment (or their latest status), if known."""
    if effective_date is None:
        return []
    if not_before is not None and effective_date < not_before:
        return [TransferProblem("effective_date", "before_enrolment")]
    if (effective_date - today).days > MAX_DAYS_AHEAD:
        return [TransferProblem("effective_date", "too_far_ahead")]
    return []

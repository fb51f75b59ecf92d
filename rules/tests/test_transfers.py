import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rules.students import LEVEL_GRADES
from rules.transfers import MAX_DAYS_AHEAD, TransferProblem, date_problems, destination_problems

TODAY = dt.date(2026, 12, 2)


def test_a_grade_7_pupil_cannot_go_to_a_preschool_or_a_primary_school():
    for level in ("preschool", "primary"):
        problems = destination_problems(
            level=level, grade=7, date_of_birth=dt.date(2013, 4, 1), school_year_start=2026
        )
        assert problems == [TransferProblem("to_school", "grade_not_taught")]
    assert (
        destination_problems(
            level="lower_secondary", grade=7, date_of_birth=dt.date(2013, 4, 1), school_year_start=2026
        )
        == []
    )
    assert (
        destination_problems(
            level="primary_lower_secondary",
            grade=7,
            date_of_birth=dt.date(2013, 4, 1),
            school_year_start=2026,
        )
        == []
    )


def test_without_a_class_the_age_decides():
    # Born 2013: 13 in 2026, grade 7 or 8 age; no primary grade fits (6–8 for grade 1–5 plus late years).
    assert (
        destination_problems(
            level="lower_secondary", grade=None, date_of_birth=dt.date(2013, 4, 1), school_year_start=2026
        )
        == []
    )
    assert destination_problems(
        level="preschool", grade=None, date_of_birth=dt.date(2013, 4, 1), school_year_start=2026
    ) == [TransferProblem("to_school", "age_not_taught")]


def test_an_unknown_level_is_not_held_against_the_transfer():
    assert (
        destination_problems(level=None, grade=7, date_of_birth=dt.date(2013, 4, 1), school_year_start=2026)
        == []
    )


def test_dates_before_the_enrolment_or_years_ahead_are_refused():
    start = dt.date(2026, 9, 5)
    assert date_problems(effective_date=dt.date(2020, 1, 1), not_before=start, today=TODAY) == [
        TransferProblem("effective_date", "before_enrolment")
    ]
    assert date_problems(effective_date=dt.date(2029, 1, 1), not_before=start, today=TODAY) == [
        TransferProblem("effective_date", "too_far_ahead")
    ]
    assert date_problems(effective_date=dt.date(2026, 12, 15), not_before=start, today=TODAY) == []
    assert date_problems(effective_date=None, not_before=start, today=TODAY) == []


@given(st.sampled_from(sorted(LEVEL_GRADES)), st.integers(min_value=0, max_value=12))
def test_a_grade_is_refused_exactly_when_the_level_does_not_teach_it(level, grade):
    problems = destination_problems(
        level=level, grade=grade, date_of_birth=dt.date(2012, 1, 1), school_year_start=2026
    )
    assert (problems == []) == (grade in LEVEL_GRADES[level])


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 1, 1)))
def test_every_accepted_date_lies_in_the_window(day):
    start = dt.date(2026, 9, 5)
    if not date_problems(effective_date=day, not_before=start, today=TODAY):
        assert start <= day and (day - TODAY).days <= MAX_DAYS_AHEAD

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import fields
from rules.students import DEFAULT_AGE_RULE
from rules.text import fold, name_columns

TODAY = dt.date(2026, 3, 1)


def _code(problem: fields.FieldProblem | None) -> str | None:
    return None if problem is None else problem.code


def test_birth_date_refuses_the_future_and_before_1900():
    assert _code(fields.birth_date("dob", dt.date(2027, 1, 1), TODAY)) == fields.DATE_FUTURE
    assert _code(fields.birth_date("dob", dt.date(1899, 12, 31), TODAY)) == fields.DATE_TOO_OLD
    assert fields.birth_date("dob", TODAY, TODAY) is None
    assert fields.birth_date("dob", dt.date(1900, 1, 1), TODAY) is None


@pytest.mark.parametrize(
    ("born", "grade", "ok"),
    [
        (dt.date(2014, 5, 1), 6, True),  # 11 in 2025: the expected age
        (dt.date(2022, 5, 1), 6, False),  # a 3-year-old in grade 6
        (dt.date(2008, 5, 1), 6, False),  # 17: too old for grade 6
        (dt.date(2021, 5, 1), 0, True),  # preschool
        (dt.date(2019, 5, 1), 1, True),
    ],
)
def test_student_age_for_grade(born, grade, ok):
    problem = fields.student_age("date_of_birth", born, grade, 2025)
    assert (problem is None) is ok
    if problem is not None:
        assert problem.code == fields.AGE_FOR_GRADE and problem.field == "date_of_birth"
        assert problem.params["age"] == 2025 - born.year and problem.params["grade"] == grade


def test_staff_birth_refuses_2030_1900_and_a_child():
    assert _code(fields.staff_birth("dob", dt.date(2030, 1, 1), TODAY)) == fields.DATE_FUTURE
    assert _code(fields.staff_birth("dob", dt.date(1900, 1, 1), TODAY)) == fields.WORKING_AGE
    assert _code(fields.staff_birth("dob", dt.date(2015, 1, 1), TODAY)) == fields.WORKING_AGE
    assert fields.staff_birth("dob", dt.date(1985, 6, 30), TODAY) is None


def test_student_birth_checks_the_date_before_the_grade():
    assert _code(fields.student_birth("d", dt.date(2027, 1, 1), TODAY, 6, 2025)) == fields.DATE_FUTURE
    assert _code(fields.student_birth("d", dt.date(2022, 1, 1), TODAY, 6, 2025)) == fields.AGE_FOR_GRADE
    assert fields.student_birth("d", dt.date(2022, 1, 1), TODAY, None, None) is None


def test_phone_school_code_and_length():
    assert fields.phone("phone", " 090 123 4567 ") == ("0901234567", None)
    assert fields.phone("phone", "") == ("", None)
    value, problem = fields.phone("phone", "12345")
    assert value == "12345" and problem is not None and problem.code == fields.PHONE
    assert fields.school_code("code", "TA01") is None
    assert _code(fields.school_code("code", "TA 01")) == fields.SCHOOL_CODE
    assert fields.school_code("code", "") is None
    assert fields.too_long("name", "abc", 3) is None
    problem = fields.too_long("name", "abcd", 3)
    assert problem is not None and problem.params == {"limit": 3, "count": 4}


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)), st.dates())
def test_age_matches_the_calendar(born, on):
    years = fields.age(born, on)
    # Whole years: the birthday in `on`'s year is reached or not.
    assert years in (on.year - born.year, on.year - born.year - 1)
    if (on.month, on.day) >= (born.month, born.day):
        assert years == on.year - born.year


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.integers(0, 12))
def test_student_age_agrees_with_the_age_rule(born, grade):
    low, high = DEFAULT_AGE_RULE.age_range(grade)
    problem = fields.student_age("d", born, grade, 2025)
    assert (problem is None) == (low <= 2025 - born.year <= high)


@given(st.dates(), st.dates())
def test_birth_date_refuses_exactly_the_future_and_the_distant_past(born, today):
    problem = fields.birth_date("d", born, today)
    assert (problem is None) == (born <= today and born.year >= fields.EARLIEST_BIRTH_YEAR)


@given(st.text(max_size=40))
def test_phone_is_idempotent(text):
    stored, problem = fields.phone("p", text)
    if problem is None:
        assert fields.phone("p", stored) == (stored, None)


@given(st.text(max_size=60))
def test_name_columns_are_stable(raw):
    columns = name_columns(raw)
    assert name_columns(columns["full_name"]) == columns
    assert columns["search_name"] == fold(columns["full_name"])

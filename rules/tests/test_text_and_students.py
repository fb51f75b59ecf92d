import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.students import (
    LEVEL_GRADES,
    AgeRule,
    age_plausible,
    normalise_phone,
    parse_class_name,
)
from rules.text import fold, normalise_name


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG THỊ Ánh   Tuyết", "dang thi anh tuyet"),
        ("Lưu Đức Hoà", "luu duc hoa"),
        ("  Trần  Quốc   Toản ", "tran quoc toan"),
        ("Nguyễn", "nguyen"),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_fold_handles_decomposed_input():
    decomposed = "Nguye\u0302\u0303n"  # "Nguyễn" typed as base letters + combining marks
    assert fold(decomposed) == "nguyen"
    assert normalise_name(decomposed) == "Nguyễn"


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text):
    once = fold(text)
    assert fold(once) == once


@pytest.mark.parametrize(
    ("name", "parsed"),
    [
        ("6/1", (6, "6/1")),
        (" 9 / 12 ", (9, "9/12")),
        ("1/a", (1, "1/A")),
        ("Lá 3", (0, "Lá 3")),
        ("Mầm  1", (0, "Mầm 1")),
        ("Nhà trẻ 2", (0, "Nhà trẻ 2")),
        ("6A1", None),
        ("13/1", None),
        ("0/1", None),
        ("", None),
    ],
)
def test_parse_class_name(name, parsed):
    assert parse_class_name(name) == parsed


def test_level_grades():
    assert LEVEL_GRADES["primary"] == {1, 2, 3, 4, 5}
    assert LEVEL_GRADES["lower_secondary"] == {6, 7, 8, 9}
    assert 0 in LEVEL_GRADES["preschool"] and 1 not in LEVEL_GRADES["preschool"]


@pytest.mark.parametrize(
    ("born", "grade", "ok"),
    [
        (2020, 1, True),  # 6 in 2026: on time
        (2021, 1, True),  # 5: one year early, allowed
        (2022, 1, False),  # 4: too young
        (2017, 1, True),  # 9: three years late, allowed
        (2016, 1, False),  # 10
        (2015, 6, True),  # 11
        (2010, 9, True),  # 16 in grade 9: 14 + 2
        (2008, 9, False),  # 18
        (2023, 0, True),  # preschool, 3
        (2019, 0, False),  # 7 in preschool
    ],
)
def test_age_plausible(born, grade, ok):
    assert age_plausible(dt.date(born, 6, 1), grade, 2026) is ok


def test_age_rule_is_configurable():
    strict = AgeRule(early=0, late=1)
    assert not age_plausible(dt.date(2021, 1, 1), 1, 2026, strict)
    assert age_plausible(dt.date(2019, 1, 1), 1, 2026, strict)


@pytest.mark.parametrize(
    ("raw", "phone"),
    [
        ("0901234567", "0901234567"),
        ("090 123 4567", "0901234567"),
        ("090.123.4567", "0901234567"),
        ("+84901234567", "0901234567"),
        ("84901234567", "0901234567"),
        ("02838123456", "02838123456"),
        ("0123456789", None),  # old 01x prefixes are gone
        ("090123456", None),
        ("09012345678", None),
        ("abc", None),
        ("", None),
    ],
)
def test_normalise_phone(raw, phone):
    assert normalise_phone(raw) == phone

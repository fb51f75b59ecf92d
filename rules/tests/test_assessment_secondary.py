"""Circular 22/2021: every worked example of shared/rules/assessment-secondary.md, then properties."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.assessment_secondary import (
    AWARDS,
    Level,
    Outcome,
    ScoreError,
    applies_to,
    check_score,
    comment_subject_passed,
    conduct_year,
    learning_result,
    parse_score,
    promotion,
    regular_score_count,
    retest_subjects,
    round_score,
    term_average,
    year_average,
    year_award,
)


def ds(*values: str | int | float) -> list[D]:
    return [D(str(v)) for v in values]


# -- worked examples 1–5: averages ----------------------------------------------------------------------


def test_example_1_term_average():
    assert term_average(ds(8, 7, 9), D("7.5"), D("8")) == D("7.9")


def test_example_2_term_average():
    assert term_average(ds(6, 7), D("5"), D("6.5")) == D("6.1")


def test_example_3_year_average():
    assert year_average(D("6.5"), D("8.0")) == D("7.5")


def test_example_4_year_averages():
    assert year_average(D("7.0"), D("7.5")) == D("7.3")
    assert year_average(D("6.7"), D("8.9")) == D("8.2")


def test_example_5_half_up_not_half_even():
    assert round_score(D("8.25")) == D("8.3")
    assert round_score(D("6.05")) == D("6.1")
    assert round(8.25, 1) == 8.2  # why Decimal: Python's round() is half to even
    # An average landing exactly on .x5: (8 + 8 + 2·8 + 3·8.5) / 8 = 8.1875 → 8.2; and 66/8 = 8.25 → 8.3.
    assert term_average(ds(8, 8, 8), D("8"), D("8.5")) == D("8.2")
    assert term_average(ds(9, 9, 9), D("8"), D("8")) == D("8.4")
    assert term_average(ds(8, 8, 9), D("8"), D("8.5")) == D("8.3")  # 66.5/8 = 8.3125


# -- worked examples 6, 7, 9: learning result and the adjustment ----------------------------------------

PASSED_4 = [True, True, True, True]


def test_example_6_tot_and_khá():
    scored = ds(8.0, 8.0, 8.0, 8.0, 8.0, 8.0, 7.0, 7.0, 6.5, 6.5)
    assert learning_result(scored, PASSED_4) == Level.TOT
    scored[-1] = D("6.4")
    assert learning_result(scored, PASSED_4) == Level.KHA


def test_example_7_one_subject_three_levels_down_is_adjusted_to_đạt():
    scored = ds(9, 9, 9, 9, 9, 9, 8, 8, 8, "3.0")
    assert learning_result(scored, PASSED_4) == Level.DAT


def test_example_9_one_comment_subject_two_levels_down_is_adjusted_to_khá():
    scored = ds(9, 9, 9, 9, 9, 9, 8, 8, 8, 8)
    assert learning_result(scored, [True, True, False, True]) == Level.KHA


def test_the_adjustment_needs_a_single_subject():
    # Two subjects below 3.5: Tốt is out of reach by more than one subject, so no adjustment.
    scored = ds(9, 9, 9, 9, 9, 9, 8, 8, "3.0", "3.0")
    assert learning_result(scored, PASSED_4) == Level.CHUA_DAT


def test_one_level_down_is_not_adjusted():
    # Khá by the rules because one subject is 6.4: only one level below Tốt, no adjustment.
    assert learning_result(ds(8, 8, 8, 8, 8, 8, "6.4"), PASSED_4) == Level.KHA


def test_held_back_from_khá_by_one_subject():
    # All of Khá's thresholds but one subject at 3.0 → Chưa đạt by the rules, two below Khá → Đạt.
    scored = ds(7, 7, 7, 7, 7, 7, 6, "3.0")
    assert learning_result(scored, PASSED_4) == Level.DAT


def test_đạt_allows_one_comment_only_failure_but_not_two():
    scored = ds(6, 6, 6, 6, 6, 6, 4)
    assert learning_result(scored, [True, False]) == Level.DAT
    assert learning_result(scored, [False, False]) == Level.CHUA_DAT


# -- worked example 8: conduct ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term1", "term2", "year"),
    [
        (Level.TOT, Level.KHA, Level.KHA),
        (Level.CHUA_DAT, Level.TOT, Level.KHA),
        (Level.KHA, Level.CHUA_DAT, Level.CHUA_DAT),
        (Level.CHUA_DAT, Level.KHA, Level.DAT),
    ],
)
def test_example_8_conduct(term1, term2, year):
    assert conduct_year(term1, term2) == year


def test_conduct_table_in_full():
    t, k, d, c = Level.TOT, Level.KHA, Level.DAT, Level.CHUA_DAT
    expected = {
        (t, t): t, (k, t): t, (d, t): k, (c, t): k,
        (t, k): k, (k, k): k, (d, k): k, (c, k): d,
        (t, d): k, (k, d): d, (d, d): d, (c, d): d,
        (t, c): c, (k, c): c, (d, c): c, (c, c): c,
    }  # fmt: skip
    for (term1, term2), year in expected.items():
        assert conduct_year(term1, term2) == year, (term1.label, term2.label)


# -- worked example 10: the summer path ------------------------------------------------------------------


def test_example_10_summer_path():
    assert (
        promotion(conduct=Level.CHUA_DAT, learning=Level.CHUA_DAT, sessions_absent=10)
        == Outcome.CONDUCT_TRAINING
    )
    # Conduct re-assessed Đạt after the summer training: now the re-tests.
    assert promotion(conduct=Level.DAT, learning=Level.CHUA_DAT, sessions_absent=10) == Outcome.RETESTS
    # The re-tests lift learning to Đạt: promoted.
    assert promotion(conduct=Level.DAT, learning=Level.DAT, sessions_absent=10) == Outcome.PROMOTED
    # The same student absent 46 sessions repeats the grade, whatever the summer brings.
    for conduct in Level:
        for learning in Level:
            assert promotion(conduct=conduct, learning=learning, sessions_absent=46) == Outcome.REPEAT
    assert promotion(conduct=Level.DAT, learning=Level.DAT, sessions_absent=45) == Outcome.PROMOTED


def test_retests_are_the_scored_subjects_below_5_and_the_failed_comment_subjects():
    subjects = retest_subjects({"Toán": D("4.9"), "Ngữ văn": D("5.0")}, {"Nghệ thuật": False, "GDTC": True})
    assert subjects == ["Toán", "Nghệ thuật"]


# -- the rest of the sheet -------------------------------------------------------------------------------


@pytest.mark.parametrize(("periods", "count"), [(35, 2), (36, 3), (70, 3), (71, 4), (140, 4)])
def test_regular_scores_by_periods(periods, count):
    assert regular_score_count(periods) == count


def test_comment_subject_needs_every_assessment_and_each_đạt():
    assert comment_subject_passed([True] * 4)
    assert not comment_subject_passed([True] * 3)
    assert not comment_subject_passed([True, True, False, True])


def test_awards_only_the_higher_title():
    nine = ds(9, 9, 9, 9, 9, 9, 8, 8)
    assert year_award(conduct=Level.TOT, learning=Level.TOT, scored=nine) == AWARDS[0]
    assert year_award(conduct=Level.TOT, learning=Level.TOT, scored=nine[1:]) == AWARDS[1]
    assert year_award(conduct=Level.KHA, learning=Level.TOT, scored=nine) is None
    assert AWARDS[0].name == "Học sinh Xuất sắc"


def test_levels_have_vietnamese_labels_and_order():
    assert [level.label for level in sorted(Level)] == ["Chưa đạt", "Đạt", "Khá", "Tốt"]
    assert (Level.CHUA_DAT, Level.DAT, Level.KHA, Level.TOT) == (0, 1, 2, 3)


@pytest.mark.parametrize(
    ("text", "value"), [("8", D(8)), ("8,5", D("8.5")), (" 8.5 ", D("8.5")), ("10", D(10))]
)
def test_parse_score_takes_the_decimal_comma(text, value):
    assert parse_score(text) == value


@pytest.mark.parametrize(
    ("text", "code"),
    [("10.5", "out_of_range"), ("-1", "out_of_range"), ("8.25", "too_many_decimals"), ("tám", "not_a_number"),
     ("", "empty"), ("NaN", "out_of_range"), ("1e1", None)],
)  # fmt: skip
def test_parse_score_refuses_what_the_circular_does_not_allow(text, code):
    if code is None:
        assert parse_score(text) == D(10)
        return
    with pytest.raises(ScoreError) as error:
        parse_score(text)
    assert error.value.code == code
    assert str(error.value)  # a Vietnamese message to show


def test_applies_one_grade_a_year():
    assert applies_to(grade=6, school_year_start=2021)
    assert not applies_to(grade=7, school_year_start=2021)
    assert applies_to(grade=9, school_year_start=2024)
    assert not applies_to(grade=5, school_year_start=2026)


# -- properties ------------------------------------------------------------------------------------------

scores = st.integers(min_value=0, max_value=100).map(lambda tenths: D(tenths) / 10)


@given(st.lists(scores, min_size=2, max_size=4), scores, scores)
def test_term_average_lies_within_the_inputs(regular, midterm, final):
    average = term_average(regular, midterm, final)
    every = [*regular, midterm, final]
    assert min(every) <= average <= max(every)
    check_score(average)


@given(st.lists(scores, min_size=2, max_size=4), scores, scores, st.integers(0, 5), st.integers(1, 100))
def test_term_average_is_monotone_in_each_score(regular, midterm, final, which, raise_by):
    base = term_average(regular, midterm, final)
    bump = D(raise_by) / 10
    if which < len(regular):
        higher = list(regular)
        higher[which] = min(D(10), higher[which] + bump)
        assert term_average(higher, midterm, final) >= base
    elif which == len(regular):
        assert term_average(regular, min(D(10), midterm + bump), final) >= base
    else:
        assert term_average(regular, midterm, min(D(10), final + bump)) >= base


@given(scores, scores)
def test_year_average_lies_between_the_terms_and_leans_to_term_two(term1, term2):
    average = year_average(term1, term2)
    assert min(term1, term2) <= average <= max(term1, term2)
    assert abs(average - term2) <= abs(average - term1) + D("0.1")


def _rules_only(scored, comments):
    from rules.assessment_secondary import _by_the_rules

    return _by_the_rules(scored, comments)


@given(
    st.lists(scores, min_size=6, max_size=12),
    st.lists(st.booleans(), min_size=0, max_size=4),
    st.integers(min_value=0, max_value=11),
    st.integers(min_value=1, max_value=100),
)
def test_a_falling_score_never_raises_the_result_except_through_the_adjustment(scored, comments, which, drop):
    which %= len(scored)
    lower = list(scored)
    lower[which] = max(D(0), lower[which] - D(drop) / 10)
    # By the rules alone the result is monotone.
    assert _rules_only(lower, comments) <= _rules_only(scored, comments)
    # With the adjustment it may rise by at most the one level the adjustment grants.
    assert learning_result(lower, comments) <= learning_result(scored, comments) + 1
    # And the adjustment never lifts a result by more than one level above the rules.
    assert learning_result(scored, comments) - _rules_only(scored, comments) in (0, 1)

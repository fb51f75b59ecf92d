"""Circular 27/2020: the rules of shared/rules/assessment-primary.md as tests, then properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import assessment_primary
from rules.assessment_primary import (
    AWARDS,
    Checkpoint,
    QualityLevel,
    Subject,
    SubjectLevel,
    TestScoreError,
    YearResult,
    applies_to,
    parse_test_score,
    transcript_completion_note,
    year_award,
    year_result,
)

T, H, C = SubjectLevel.HOAN_THANH_TOT, SubjectLevel.HOAN_THANH, SubjectLevel.CHUA_HOAN_THANH
TOT, DAT, CCG = QualityLevel.TOT, QualityLevel.DAT, QualityLevel.CAN_CO_GANG


def result(subjects, qualities, tests):
    return year_result(subjects=subjects, qualities=qualities, end_of_year_tests=tests)


def test_xuất_sắc_needs_all_t_all_tốt_and_every_test_at_least_9():
    assert result([T] * 8, [TOT] * 10, [9, 10]) == YearResult.HOAN_THANH_XUAT_SAC
    assert result([T] * 8, [TOT] * 10, [9, 8]) == YearResult.HOAN_THANH_TOT


def test_hoàn_thành_tốt_needs_every_test_at_least_7():
    assert result([T] * 8, [TOT] * 10, [7, 7]) == YearResult.HOAN_THANH_TOT
    assert result([T] * 8, [TOT] * 10, [7, 6]) == YearResult.HOAN_THANH


def test_one_h_or_one_đạt_makes_it_hoàn_thành():
    assert result([T] * 7 + [H], [TOT] * 10, [10, 10]) == YearResult.HOAN_THANH
    assert result([T] * 8, [TOT] * 9 + [DAT], [10, 10]) == YearResult.HOAN_THANH


def test_chưa_hoàn_thành():
    assert result([T] * 7 + [C], [TOT] * 10, [10, 10]) == YearResult.CHUA_HOAN_THANH
    assert result([T] * 8, [TOT] * 9 + [CCG], [10, 10]) == YearResult.CHUA_HOAN_THANH
    assert result([H] * 8, [DAT] * 10, [5, 4]) == YearResult.CHUA_HOAN_THANH
    assert result([H] * 8, [DAT] * 10, [5, 5]) == YearResult.HOAN_THANH


def test_completing_the_grade_and_the_grade_5_line():
    assert [r.completes_grade for r in YearResult] == [False, True, True, True]
    assert (
        transcript_completion_note(grade=5, result=YearResult.HOAN_THANH)
        == "Hoàn thành chương trình tiểu học"
    )
    assert transcript_completion_note(grade=5, result=YearResult.CHUA_HOAN_THANH) is None
    assert transcript_completion_note(grade=4, result=YearResult.HOAN_THANH_XUAT_SAC) is None


def test_awards():
    assert year_award(result=YearResult.HOAN_THANH_XUAT_SAC, recognised_by_class=False) == AWARDS[0]
    assert year_award(result=YearResult.HOAN_THANH_TOT, recognised_by_class=False) is None
    assert year_award(result=YearResult.HOAN_THANH_TOT, recognised_by_class=True) == AWARDS[1]
    assert year_award(result=YearResult.HOAN_THANH, recognised_by_class=True) is None


def test_tested_subjects_by_grade():
    end = Checkpoint.END_OF_YEAR
    assert assessment_primary.tested_subjects(1, end) == {Subject.TIENG_VIET, Subject.TOAN}
    assert assessment_primary.tested_subjects(3, end) == {
        Subject.TIENG_VIET,
        Subject.TOAN,
        Subject.NGOAI_NGU_1,
        Subject.TIN_HOC_CONG_NGHE,
    }
    assert Subject.LICH_SU_DIA_LI in assessment_primary.tested_subjects(4, Checkpoint.END_TERM_1)
    assert Subject.KHOA_HOC in assessment_primary.tested_subjects(5, end)
    assert Subject.KHOA_HOC not in assessment_primary.tested_subjects(5, end, khoa_hoc_tested=False)
    assert assessment_primary.tested_subjects(4, Checkpoint.MID_TERM_1) == {Subject.TIENG_VIET, Subject.TOAN}
    assert assessment_primary.tested_subjects(3, Checkpoint.MID_TERM_2) == frozenset()


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("10", 10), (" 7 ", 7)])
def test_test_scores_are_integers_0_to_10(text, value):
    assert parse_test_score(text) == value


@pytest.mark.parametrize(
    ("text", "code"), [("11", "out_of_range"), ("8,5", "not_an_integer"), ("8.0", "not_an_integer"), ("a", "not_a_number"), ("", "empty"), ("-1", "not_an_integer")]
)  # fmt: skip
def test_test_scores_refuse_decimals_and_out_of_range(text, code):
    with pytest.raises(TestScoreError) as error:
        parse_test_score(text)
    assert error.value.code == code


def test_labels():
    assert [level.letter for level in SubjectLevel] == ["C", "H", "T"]
    assert QualityLevel.CAN_CO_GANG.label == "Cần cố gắng"
    assert YearResult.HOAN_THANH_XUAT_SAC.label == "Hoàn thành xuất sắc"


def test_applies_one_grade_a_year():
    assert applies_to(grade=1, school_year_start=2020)
    assert not applies_to(grade=5, school_year_start=2023)
    assert applies_to(grade=5, school_year_start=2026)
    assert not applies_to(grade=6, school_year_start=2026)


subject_levels = st.lists(st.sampled_from(list(SubjectLevel)), min_size=1, max_size=12)
quality_levels = st.lists(st.sampled_from(list(QualityLevel)), min_size=1, max_size=10)
test_scores = st.lists(st.integers(0, 10), min_size=0, max_size=6)


@given(subject_levels, quality_levels, test_scores, st.data())
def test_a_lower_input_never_raises_the_result(subjects, qualities, tests, data):
    base = result(subjects, qualities, tests)
    i = data.draw(st.integers(0, len(subjects) - 1))
    lower_subjects = list(subjects)
    lower_subjects[i] = SubjectLevel(max(0, lower_subjects[i] - 1))
    assert result(lower_subjects, qualities, tests) <= base
    j = data.draw(st.integers(0, len(qualities) - 1))
    lower_qualities = list(qualities)
    lower_qualities[j] = QualityLevel(max(0, lower_qualities[j] - 1))
    assert result(subjects, lower_qualities, tests) <= base
    if tests:
        k = data.draw(st.integers(0, len(tests) - 1))
        lower_tests = list(tests)
        lower_tests[k] = max(0, lower_tests[k] - data.draw(st.integers(1, 10)))
        assert result(subjects, qualities, lower_tests) <= base

"""Assessment of primary students (grades 1–5) under Circular 27/2020/TT-BGDĐT.

Fact sheet: `shared/rules/assessment-primary.md`; its rules are tests in
`rules/tests/test_assessment_primary.py`. Primary pupils get levels and comments, not averages: subjects and
educational activities at T/H/C, qualities and competences at Tốt/Đạt/Cần cố gắng, and integer test scores
0–10 in the tested subjects. Rankings between pupils are never computed here: the circular forbids showing
them to pupils or parents.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Final

LEGAL_BASIS: Final = "Thông tư 27/2020/TT-BGDĐT"
# Grade 1 from 2020–2021, one grade a year, grade 5 by 2024–2025 (school years named by their first year).
FIRST_YEAR_BY_GRADE: Final = {1: 2020, 2: 2021, 3: 2022, 4: 2023, 5: 2024}

MIN_TEST_SCORE: Final = 0  # Circular 27 dropped the old "no 0"
MAX_TEST_SCORE: Final = 10


def applies_to(*, grade: int, school_year_start: int) -> bool:
    """Whether Circular 27 governs `grade` in the school year starting in `school_year_start`."""
    first = FIRST_YEAR_BY_GRADE.get(grade)
    return first is not None and school_year_start >= first


class SubjectLevel(IntEnum):
    """A subject's or an educational activity's level at an assessment point."""

    CHUA_HOAN_THANH = 0  # C
    HOAN_THANH = 1  # H
    HOAN_THANH_TOT = 2  # T

    @property
    def label(self) -> str:
        return _SUBJECT_LABELS[self][0]

    @property
    def letter(self) -> str:
        return _SUBJECT_LABELS[self][1]


_SUBJECT_LABELS: Final = {
    SubjectLevel.CHUA_HOAN_THANH: ("Chưa hoàn thành", "C"),
    SubjectLevel.HOAN_THANH: ("Hoàn thành", "H"),
    SubjectLevel.HOAN_THANH_TOT: ("Hoàn thành tốt", "T"),
}


class QualityLevel(IntEnum):
    """A quality's (phẩm chất) or a competence's (năng lực) level (Art. 7.2)."""

    CAN_CO_GANG = 0
    DAT = 1
    TOT = 2

    @property
    def label(self) -> str:
        return _QUALITY_LABELS[self]


_QUALITY_LABELS: Final = {
    QualityLevel.CAN_CO_GANG: "Cần cố gắng",
    QualityLevel.DAT: "Đạt",
    QualityLevel.TOT: "Tốt",
}


class Checkpoint(StrEnum):
    """The four assessment points of the year."""

    MID_TERM_1 = "mid_term_1"
    END_TERM_1 = "end_term_1"
    MID_TERM_2 = "mid_term_2"
    END_OF_YEAR = "end_of_year"


class Subject(StrEnum):
    """The subjects that carry periodic tests; others are assessed by level only."""

    TIENG_VIET = "tieng_viet"
    TOAN = "toan"
    NGOAI_NGU_1 = "ngoai_ngu_1"
    TIN_HOC_CONG_NGHE = "tin_hoc_cong_nghe"
    LICH_SU_DIA_LI = "lich_su_dia_li"
    KHOA_HOC = "khoa_hoc"


# Grades in which a subject takes the periodic tests (end of term I and end of year).
_TESTED_GRADES: Final = {
    Subject.TIENG_VIET: range(1, 6),
    Subject.TOAN: range(1, 6),
    Subject.NGOAI_NGU_1: range(3, 6),
    Subject.TIN_HOC_CONG_NGHE: range(3, 6),
    Subject.LICH_SU_DIA_LI: range(4, 6),
    Subject.KHOA_HOC: range(4, 6),
}
# Grades 4 and 5 also test Tiếng Việt and Toán at mid-term I and mid-term II.
_MID_TERM_TESTED: Final = frozenset({Subject.TIENG_VIET, Subject.TOAN})
_MID_TERM_GRADES: Final = range(4, 6)


def tested_subjects(
    grade: int, checkpoint: Checkpoint, *, khoa_hoc_tested: bool = True
) -> frozenset[Subject]:
    """The subjects with a test score at `checkpoint` in `grade`.

    Khoa học (grades 4–5): the official text was not found, so whether it is tested is a setting, on by
    default, as the fact sheet says."""
    if checkpoint in (Checkpoint.MID_TERM_1, Checkpoint.MID_TERM_2):
        return _MID_TERM_TESTED if grade in _MID_TERM_GRADES else frozenset()
    return frozenset(
        subject
        for subject, grades in _TESTED_GRADES.items()
        if grade in grades and (khoa_hoc_tested or subject != Subject.KHOA_HOC)
    )


class TestScoreError(ValueError):
    """A typed test score the circular does not allow: `code` machine-readable, the message Vietnamese."""

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def parse_test_score(text: str) -> int:
    """A periodic test score: an integer 0–10, no decimals ("8,0" is refused as a decimal)."""
    cleaned = text.strip()
    if not cleaned:
        raise TestScoreError("empty", "Chưa nhập điểm.")
    if not cleaned.isdigit():
        if cleaned.replace(",", "").replace(".", "").lstrip("-").isdigit():
            raise TestScoreError("not_an_integer", "Điểm kiểm tra ở tiểu học là số nguyên từ 0 đến 10.")
        raise TestScoreError("not_a_number", "Điểm phải là một số nguyên từ 0 đến 10.")
    value = int(cleaned)
    if not MIN_TEST_SCORE <= value <= MAX_TEST_SCORE:
        raise TestScoreError("out_of_range", "Điểm phải từ 0 đến 10.")
    return value


class YearResult(IntEnum):
    """The end-of-year overall result (Art. 9)."""

    CHUA_HOAN_THANH = 0
    HOAN_THANH = 1
    HOAN_THANH_TOT = 2
    HOAN_THANH_XUAT_SAC = 3

    @property
    def label(self) -> str:
        return _RESULT_LABELS[self]

    @property
    def completes_grade(self) -> bool:
        """Art. 11: every result but Chưa hoàn thành completes the grade."""
        return self != YearResult.CHUA_HOAN_THANH


_RESULT_LABELS: Final = {
    YearResult.CHUA_HOAN_THANH: "Chưa hoàn thành",
    YearResult.HOAN_THANH: "Hoàn thành",
    YearResult.HOAN_THANH_TOT: "Hoàn thành tốt",
    YearResult.HOAN_THANH_XUAT_SAC: "Hoàn thành xuất sắc",
}


def year_result(
    *,
    subjects: Iterable[SubjectLevel],
    qualities: Iterable[QualityLevel],
    end_of_year_tests: Iterable[int],
) -> YearResult:
    """The overall result over the subjects *and* educational activities, the qualities and competences,
    and the end-of-year test scores (the last one taken, when a pupil sat the test again)."""
    levels = list(subjects)
    quality_levels = list(qualities)
    tests = list(end_of_year_tests)
    all_t = all(level == SubjectLevel.HOAN_THANH_TOT for level in levels)
    all_tot = all(q == QualityLevel.TOT for q in quality_levels)
    if all_t and all_tot and all(score >= 9 for score in tests):
        return YearResult.HOAN_THANH_XUAT_SAC
    if all_t and all_tot and all(score >= 7 for score in tests):
        return YearResult.HOAN_THANH_TOT
    if (
        all(level >= SubjectLevel.HOAN_THANH for level in levels)
        and all(q >= QualityLevel.DAT for q in quality_levels)
        and all(score >= 5 for score in tests)
    ):
        return YearResult.HOAN_THANH
    return YearResult.CHUA_HOAN_THANH


def transcript_completion_note(*, grade: int, result: YearResult) -> str | None:
    """A grade-5 pupil who completes gets this line in the transcript (học bạ)."""
    if grade == 5 and result.completes_grade:
        return "Hoàn thành chương trình tiểu học"
    return None


@dataclass(frozen=True)
class Award:
    """A principal's certificate (Art. 13). Kept as data: Circular 19/2025 may rename them."""

    code: str
    name: str
    result: YearResult  # the year result that earns it
    needs_class_recognition: bool  # "được tập thể lớp công nhận": who proposed, the class's decision


# Highest first.
AWARDS: Final = (
    Award("xuat_sac", "Học sinh Xuất sắc", YearResult.HOAN_THANH_XUAT_SAC, False),
    Award(
        "tieu_bieu",
        "Học sinh Tiêu biểu hoàn thành tốt trong học tập và rèn luyện",
        YearResult.HOAN_THANH_TOT,
        True,
    ),
)


def year_award(
    *, result: YearResult, recognised_by_class: bool, awards: Sequence[Award] = AWARDS
) -> Award | None:
    """The certificate a pupil earns, if any. The "Tiêu biểu" title also needs an outstanding achievement
    or clear progress recognised by the class: `recognised_by_class` is that recorded decision."""
    for award in awards:
        if result == award.result and (recognised_by_class or not award.needs_class_recognition):
            return award
    return None


def year_end_completes(*, result: YearResult, reassessed: YearResult | None = None) -> bool:
    """Whether a pupil completes the grade (Art. 11): by the year's result, or — for one who did not — by
    the re-assessment after the support plan. One still not complete repeats unless the principal decides
    otherwise (that decision is the school's, recorded as a re-assessment)."""
    return result.completes_grade or (reassessed is not None and reassessed.completes_grade)

"""Assessment of lower-secondary students (grades 6–9) under Circular 22/2021/TT-BGDĐT.

Fact sheet: `shared/rules/assessment-secondary.md`; every worked example there is a test in
`rules/tests/test_assessment_secondary.py`. Scores and averages are `Decimal`: the circular rounds to one
decimal half up (8.25 → 8.3), which binary floats and Python's `round()` (half to even) get wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import IntEnum, StrEnum
from typing import Final

LEGAL_BASIS: Final = "Thông tư 22/2021/TT-BGDĐT"
# The circular replaced Circulars 58/2011 and 26/2020 one grade a year: grade 6 from 2021–2022, rolled up to
# grade 9 by 2024–2025. School years are named by the calendar year they start in.
FIRST_YEAR_BY_GRADE: Final = {6: 2021, 7: 2022, 8: 2023, 9: 2024}

MIN_SCORE: Final = Decimal(0)
MAX_SCORE: Final = Decimal(10)
ONE_DECIMAL: Final = Decimal("0.1")
MIDTERM_WEIGHT: Final = 2
FINAL_WEIGHT: Final = 3
# Art. 12: at most 45 sessions (buổi) absent in the year, excused or not, on the one-session-a-day plan.
MAX_ABSENT_SESSIONS: Final = 45
# A comment-only subject is assessed 2 regular + 1 mid-term + 1 end-of-term times per term (Art. 6.2).
COMMENT_ASSESSMENTS_PER_TERM: Final = 4


def applies_to(*, grade: int, school_year_start: int) -> bool:
    """Whether Circular 22 governs `grade` in the school year starting in `school_year_start`."""
    first = FIRST_YEAR_BY_GRADE.get(grade)
    return first is not None and school_year_start >= first


class Level(IntEnum):
    """A learning result or a conduct level; the order is the circular's (Chưa đạt lowest)."""

    CHUA_DAT = 0
    DAT = 1
    KHA = 2
    TOT = 3

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]


_LEVEL_LABELS: Final = {Level.CHUA_DAT: "Chưa đạt", Level.DAT: "Đạt", Level.KHA: "Khá", Level.TOT: "Tốt"}


class ScoreError(ValueError):
    """A typed score the circular does not allow. `code` is machine-readable, the message Vietnamese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def round_score(value: Decimal) -> Decimal:
    """One decimal, half up: the Vietnamese convention the circular's "làm tròn" means."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def check_score(value: Decimal) -> Decimal:
    """A single score is 0–10, an integer or with one decimal place (8.5, not 8.25)."""
    if not value.is_finite() or not MIN_SCORE <= value <= MAX_SCORE:
        raise ScoreError("out_of_range", "Điểm phải từ 0 đến 10.")
    if value != value.quantize(ONE_DECIMAL):
        raise ScoreError("too_many_decimals", "Điểm chỉ có tối đa một chữ số thập phân.")
    return value


def parse_score(text: str) -> Decimal:
    """A score as typed: "8,5" (the Vietnamese decimal comma) and "8.5" are both 8.5."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise ScoreError("empty", "Chưa nhập điểm.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ScoreError("not_a_number", "Điểm phải là một số, ví dụ 8 hoặc 8,5.") from None
    return check_score(value)


def regular_score_count(periods_per_year: int) -> int:
    """How many regular assessments (ĐĐGtx) a scored subject takes per term, by its periods per year."""
    if periods_per_year <= 35:
        return 2
    if periods_per_year <= 70:
        return 3
    return 4


def term_average(regular: Sequence[Decimal], midterm: Decimal, final: Decimal) -> Decimal:
    """ĐTBmhk = (ΣĐĐGtx + 2·ĐĐGgk + 3·ĐĐGck) / (n_tx + 5), rounded once at the end."""
    total = sum(regular, Decimal(0)) + MIDTERM_WEIGHT * midterm + FINAL_WEIGHT * final
    return round_score(total / (len(regular) + MIDTERM_WEIGHT + FINAL_WEIGHT))


def year_average(term1: Decimal, term2: Decimal) -> Decimal:
    """ĐTBmcn = (ĐTBmhk I + 2·ĐTBmhk II) / 3, from the recorded (already rounded) term averages."""
    return round_score((term1 + 2 * term2) / 3)


def comment_subject_passed(assessments: Sequence[bool], required: int = COMMENT_ASSESSMENTS_PER_TERM) -> bool:
    """A comment-only subject is Đạt for a term when every required assessment was made and each is Đạt."""
    return len(assessments) >= required and all(assessments)


# Thresholds of the learning result (Art. 9.2): (lowest scored subject, how many scored subjects must reach
# `count_at`, `count_at`, how many comment-only subjects may be Chưa đạt).
@dataclass(frozen=True)
class _Threshold:
    floor: Decimal
    count: int
    count_at: Decimal
    comment_failures: int


_THRESHOLDS: Final = (
    (Level.TOT, _Threshold(Decimal("6.5"), 6, Decimal("8.0"), 0)),
    (Level.KHA, _Threshold(Decimal("5.0"), 6, Decimal("6.5"), 0)),
    (Level.DAT, _Threshold(Decimal("3.5"), 6, Decimal("5.0"), 1)),
)


def _by_the_rules(scored: Sequence[Decimal], comment_passed: Sequence[bool]) -> Level:
    failures = sum(1 for passed in comment_passed if not passed)
    for level, t in _THRESHOLDS:
        if (
            failures <= t.comment_failures
            and all(score >= t.floor for score in scored)
            and sum(1 for score in scored if score >= t.count_at) >= t.count
        ):
            return level
    return Level.CHUA_DAT


def _held_back_by_one_subject(
    scored: Sequence[Decimal], comment_passed: Sequence[bool], at_least: Level = Level.KHA
) -> Level | None:
    """The highest of Tốt and Khá (not below `at_least`) that every threshold but one subject's own would
    give: that subject raised just to the level's floor (a comment-only one to Đạt), the others unchanged."""
    for level, t in _THRESHOLDS[:2]:
        if level < at_least:
            continue
        if sum(1 for score in scored if score < t.floor) >= 2:
            continue  # raising one subject leaves another under the floor: this level is out of reach
        for i, score in enumerate(scored):
            if score < t.floor:
                fixed = [*scored[:i], t.floor, *scored[i + 1 :]]
                if _by_the_rules(fixed, comment_passed) >= level:
                    return level
        for i, passed in enumerate(comment_passed):
            if not passed:
                fixed_comments = [*comment_passed[:i], True, *comment_passed[i + 1 :]]
                if _by_the_rules(scored, fixed_comments) >= level:
                    return level
    return None


def learning_result(scored: Sequence[Decimal], comment_passed: Sequence[bool]) -> Level:
    """The learning result of a term or the year from the subjects' results (Art. 9).

    `scored`: the term (or year) average of each scored subject; `comment_passed`: Đạt/Chưa đạt of each
    comment-only subject. Adjustment (Art. 9.3): when one single subject keeps a student from Tốt or Khá and
    the rules give two or more levels lower, the result is raised one level from the computed one.
    """
    computed = _by_the_rules(scored, comment_passed)
    if computed >= Level.KHA:
        return computed  # no level is two above Khá: the adjustment cannot apply (most students)
    # Only a level two or more above the computed one matters.
    held_back_from = _held_back_by_one_subject(scored, comment_passed, Level(computed + 2))
    if held_back_from is not None and held_back_from - computed >= 2:
        return Level(computed + 1)
    return computed


def conduct_year(term1: Level, term2: Level) -> Level:
    """The year's conduct from the two terms' (derived, never stored separately)."""
    if term2 == Level.TOT:
        return Level.TOT if term1 >= Level.KHA else Level.KHA
    if term2 == Level.KHA:
        return Level.KHA if term1 >= Level.DAT else Level.DAT
    if term2 == Level.DAT:
        return Level.KHA if term1 == Level.TOT else Level.DAT
    return Level.CHUA_DAT


class Outcome(StrEnum):
    """What happens at the end of the year (Art. 12–14)."""

    PROMOTED = "promoted"  # lên lớp
    CONDUCT_TRAINING = "conduct_training"  # rèn luyện trong hè, then assessed again
    RETESTS = "retests"  # kiểm tra lại in the subjects below the bar
    REPEAT = "repeat"  # ở lại lớp

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS: Final = {
    Outcome.PROMOTED: "Được lên lớp",
    Outcome.CONDUCT_TRAINING: "Rèn luyện trong hè",
    Outcome.RETESTS: "Kiểm tra lại",
    Outcome.REPEAT: "Ở lại lớp",
}


def promotion(*, conduct: Level, learning: Level, sessions_absent: int) -> Outcome:
    """The next step for a student at the end of the year, or after the summer's training and re-tests
    (call again with the re-assessed conduct and the learning recomputed from the re-test results).

    More than 45 sessions absent means repeating the grade whatever the summer brings (Art. 14.1c)."""
    if sessions_absent > MAX_ABSENT_SESSIONS:
        return Outcome.REPEAT
    if conduct == Level.CHUA_DAT:
        return Outcome.CONDUCT_TRAINING
    if learning == Level.CHUA_DAT:
        return Outcome.RETESTS
    return Outcome.PROMOTED


RETEST_BELOW: Final = Decimal("5.0")


def retest_subjects(scored: dict[str, Decimal], comment_passed: dict[str, bool]) -> list[str]:
    """The subjects a student re-sits in summer: scored ones with ĐTBmcn < 5.0, comment-only Chưa đạt."""
    return [name for name, average in scored.items() if average < RETEST_BELOW] + [
        name for name, passed in comment_passed.items() if not passed
    ]


@dataclass(frozen=True)
class Award:
    """An end-of-year title (Art. 15). Kept as data: Circular 19/2025 on commendation may rename them."""

    code: str
    name: str
    conduct: Level  # the lowest year conduct that earns it
    learning: Level  # the lowest year learning result that earns it
    scored_at: Decimal | None = None  # with at least `scored_count` scored subjects at or above this
    scored_count: int = 0


# Highest first: only the higher title is awarded.
AWARDS: Final = (
    Award("xuat_sac", "Học sinh Xuất sắc", Level.TOT, Level.TOT, Decimal("9.0"), 6),
    Award("gioi", "Học sinh Giỏi", Level.TOT, Level.TOT),
)


def year_award(
    *, conduct: Level, learning: Level, scored: Sequence[Decimal], awards: Sequence[Award] = AWARDS
) -> Award | None:
    """The one title a student earns at the end of the year, if any."""
    for award in awards:
        if conduct < award.conduct or learning < award.learning:
            continue
        if (
            award.scored_at is not None
            and sum(1 for s in scored if s >= award.scored_at) < award.scored_count
        ):
            continue
        return award
    return None


# --- the end of the year: after the summer (Art. 13–14) -----------------------------------------------


def summer_outcome(
    *,
    conduct: Level,
    learning: Level,
    sessions_absent: int,
    scored: dict[str, Decimal],
    comment_passed: dict[str, bool],
    reassessed_conduct: Level | None = None,
    retest_results: dict[str, Decimal | bool] | None = None,
) -> Outcome | None:
    """The final decision of the year, once the summer is over; None while the summer is not (a conduct
    re-assessment or a re-test result still missing). Promoted or repeating, nothing in between:

    - promoted at the end of the year, or more than 45 sessions absent (repeats): decided already;
    - summer conduct training: the re-assessed conduct replaces the year's, and a Chưa đạt repeats;
    - re-tests: each re-test result replaces its subject's year result (a score for a scored subject,
      Đạt/Chưa đạt for a comment-only one), learning is worked out again, and a student still not
      promoted repeats the grade.
    """
    outcome = promotion(conduct=conduct, learning=learning, sessions_absent=sessions_absent)
    if outcome in (Outcome.PROMOTED, Outcome.REPEAT):
        return outcome
    if outcome == Outcome.CONDUCT_TRAINING:
        if reassessed_conduct is None:
            return None
        conduct = reassessed_conduct
        outcome = promotion(conduct=conduct, learning=learning, sessions_absent=sessions_absent)
        if outcome != Outcome.RETESTS:
            return Outcome.PROMOTED if outcome == Outcome.PROMOTED else Outcome.REPEAT
    results = retest_results or {}
    subjects = retest_subjects(scored, comment_passed)
    if any(name not in results for name in subjects):
        return None
    new_scored = dict(scored)
    new_passed = dict(comment_passed)
    for name in subjects:
        result = results[name]
        if name in new_scored and isinstance(result, Decimal):
            new_scored[name] = result
        elif name in new_passed and isinstance(result, bool):
            new_passed[name] = result
        else:
            return None  # a result of the wrong kind is no result
    learning = learning_result(list(new_scored.values()), list(new_passed.values()))
    final = promotion(conduct=conduct, learning=learning, sessions_absent=sessions_absent)
    return Outcome.PROMOTED if final == Outcome.PROMOTED else Outcome.REPEAT

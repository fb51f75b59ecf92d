"""The end of the year after the summer (Circular 22, Art. 13–14; Circular 27, Art. 11): worked example 10
of the fact sheet and the re-tests of comment-only subjects."""

from __future__ import annotations

from decimal import Decimal as D

from rules.assessment_primary import YearResult, year_end_completes
from rules.assessment_secondary import Level, Outcome, summer_outcome

SCORED = {f"m{i}": D("6.0") for i in range(9)} | {"toan": D("2.0")}


def _example_10(
    *, absent: int = 3, reassessed: Level | None = None, retests: dict[str, D | bool] | None = None
) -> Outcome | None:
    return summer_outcome(
        conduct=Level.CHUA_DAT,
        learning=Level.CHUA_DAT,
        sessions_absent=absent,
        scored=SCORED,
        comment_passed={},
        reassessed_conduct=reassessed,
        retest_results=retests,
    )


def test_example_10_conduct_training_then_retests_then_promoted() -> None:
    assert _example_10() is None  # conduct training first: no decision yet
    assert _example_10(reassessed=Level.DAT) is None  # re-assessed Đạt → re-tests, none entered
    assert _example_10(reassessed=Level.DAT, retests={"toan": D("5.5")}) == Outcome.PROMOTED
    assert _example_10(reassessed=Level.DAT, retests={"toan": D("2.5")}) == Outcome.REPEAT
    assert _example_10(reassessed=Level.CHUA_DAT) == Outcome.REPEAT
    # The same student absent 46 sessions repeats whatever the summer brings.
    assert _example_10(absent=46, reassessed=Level.DAT, retests={"toan": D("9")}) == Outcome.REPEAT


def test_promoted_needs_no_summer_and_comment_subjects_are_retested_as_dat() -> None:
    promoted = summer_outcome(
        conduct=Level.TOT, learning=Level.KHA, sessions_absent=0, scored={}, comment_passed={}
    )
    assert promoted == Outcome.PROMOTED
    scored = {f"m{i}": D("7.0") for i in range(8)}
    passed = {"gdtc": False, "am_nhac": False}

    def after(results: dict[str, D | bool]) -> Outcome | None:
        return summer_outcome(
            conduct=Level.KHA,
            learning=Level.CHUA_DAT,
            sessions_absent=0,
            scored=scored,
            comment_passed=passed,
            retest_results=results,
        )

    assert after({"gdtc": True}) is None
    assert after({"gdtc": True, "am_nhac": True}) == Outcome.PROMOTED
    assert after({"gdtc": True, "am_nhac": False}) == Outcome.PROMOTED  # one Chưa đạt is still Đạt
    assert after({"gdtc": False, "am_nhac": False}) == Outcome.REPEAT
    assert after({"gdtc": D("8"), "am_nhac": True}) is None  # a score is no result for a Đạt subject


def test_primary_completes_by_result_or_reassessment() -> None:
    assert year_end_completes(result=YearResult.HOAN_THANH)
    assert not year_end_completes(result=YearResult.CHUA_HOAN_THANH)
    assert year_end_completes(result=YearResult.CHUA_HOAN_THANH, reassessed=YearResult.HOAN_THANH)

import datetime as dt

from rules.disclosure_deadlines import (
    ConsentProblem,
    ItemState,
    add_working_days,
    item_status,
    photo_consent_problem,
)


def test_working_days_skip_weekends_and_holidays() -> None:
    friday = dt.date(2026, 7, 3)
    assert add_working_days(friday, 1) == dt.date(2026, 7, 6)
    assert add_working_days(friday, 10) == dt.date(2026, 7, 17)
    assert add_working_days(friday, 1, holidays={dt.date(2026, 7, 6)}) == dt.date(2026, 7, 7)


def test_a_yearly_item_is_due_then_late_then_ok_once_published() -> None:
    assert item_status(today=dt.date(2026, 6, 1), last_published=None, changed_on=None).state == ItemState.DUE
    late = item_status(today=dt.date(2026, 7, 1), last_published=dt.date(2025, 6, 1), changed_on=None)
    assert late.state == ItemState.LATE and late.due == dt.date(2026, 6, 30)
    ok = item_status(today=dt.date(2026, 7, 1), last_published=dt.date(2026, 5, 2), changed_on=None)
    assert ok.state == ItemState.OK
    # Published after last year's date: counts for this year.
    assert item_status(
        today=dt.date(2026, 3, 1), last_published=dt.date(2025, 7, 15), changed_on=None
    ).state == (ItemState.OK)


def test_a_change_asks_for_an_update_within_ten_working_days() -> None:
    status = item_status(
        today=dt.date(2026, 9, 10), last_published=dt.date(2026, 6, 1), changed_on=dt.date(2026, 9, 1)
    )
    assert status.state == ItemState.UPDATE_DUE and status.due == dt.date(2026, 9, 15)
    status = item_status(
        today=dt.date(2026, 9, 16), last_published=dt.date(2026, 6, 1), changed_on=dt.date(2026, 9, 1)
    )
    assert status.state == ItemState.UPDATE_LATE


def test_a_childs_photo_needs_both_consents_from_seven() -> None:
    today = dt.date(2026, 12, 1)
    six = dt.date(2020, 12, 2)
    seven = dt.date(2019, 12, 1)
    assert photo_consent_problem(born=six, today=today, parent=True, child=False, withdrawn=False) is None
    assert photo_consent_problem(born=seven, today=today, parent=True, child=False, withdrawn=False) == (
        ConsentProblem.NO_CHILD
    )
    assert photo_consent_problem(born=seven, today=today, parent=False, child=True, withdrawn=False) == (
        ConsentProblem.NO_PARENT
    )
    assert photo_consent_problem(born=seven, today=today, parent=True, child=True, withdrawn=True) == (
        ConsentProblem.WITHDRAWN
    )
    assert photo_consent_problem(born=seven, today=today, parent=True, child=True, withdrawn=False) is None

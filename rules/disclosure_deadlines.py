"""When a school's public disclosure item is due, and whether a child's photo may be published.

Circular 09/2024/TT-BGDĐT Art. 15 (from an implementation, so the numbers are parameters, not constants
baked in): each item is published by a yearly date (30 June) and updated within a number of working days
(10) of a change. Law 91/2025 Art. 24.2: publishing a child's image needs the consent of the legal
representative and, from age 7, of the child too; withdrawn consent stops publication (Art. 24.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

CHILD_CONSENT_AGE: Final = 7


class ItemState(StrEnum):
    OK = "ok"  # published for this cycle and after the last change
    DUE = "due"  # not yet published this cycle; the date is ahead
    LATE = "late"  # not published this cycle and the date has passed
    UPDATE_DUE = "update_due"  # changed since the last version; the update's date is ahead
    UPDATE_LATE = "update_late"  # changed and not republished in time


LATE_STATES: Final = frozenset({ItemState.LATE, ItemState.UPDATE_LATE})


@dataclass(frozen=True)
class ItemStatus:
    state: ItemState
    due: dt.date | None


def add_working_days(start: dt.date, days: int, holidays: Collection[dt.date] = ()) -> dt.date:
    """The date `days` working days after `start` (Monday to Friday, holidays excluded)."""
    current = start
    left = days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


def yearly_due(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def item_status(
    *,
    today: dt.date,
    last_published: dt.date | None,
    changed_on: dt.date | None,
    due_month: int = 6,
    due_day: int = 30,
    update_working_days: int = 10,
    holidays: Collection[dt.date] = (),
) -> ItemStatus:
    """The state of one item of one school.

    The yearly cycle of year Y runs from the day after Y-1's date to Y's date: a version published in it
    satisfies year Y. After Y's date a missing item is late until it is published (late, but then done).
    A change recorded after the last version asks for an update within `update_working_days`.
    """
    this_due = yearly_due(today.year, due_month, due_day)
    previous_due = yearly_due(today.year - 1, due_month, due_day)
    if changed_on is not None and last_published is not None and changed_on > last_published:
        update_due = add_working_days(changed_on, update_working_days, holidays)
        return ItemStatus(ItemState.UPDATE_LATE if today > update_due else ItemState.UPDATE_DUE, update_due)
    published_this_cycle = last_published is not None and last_published > previous_due
    if published_this_cycle:
        return ItemStatus(ItemState.OK, None)
    return ItemStatus(ItemState.LATE if today > this_due else ItemState.DUE, this_due)


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ConsentProblem(StrEnum):
    NO_PARENT = "no_parent"
    NO_CHILD = "no_child"
    WITHDRAWN = "withdrawn"


def photo_consent_problem(
    *, born: dt.date, today: dt.date, parent: bool, child: bool, withdrawn: bool
) -> ConsentProblem | None:
    """Why a child's photo may not be published today, or None when it may. Silence is not consent."""
    if withdrawn:
        return ConsentProblem.WITHDRAWN
    if not parent:
        return ConsentProblem.NO_PARENT
    if age_on(born, today) >= CHILD_CONSENT_AGE and not child:
        return ConsentProblem.NO_CHILD
    return None

"""The one scheduler's time-of-day slots: each due slot runs once (claimed under a unique constraint),
daily entries run in the 00:05 slot, and a failing entry is recorded without stopping the others."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from giaoducso.core import periodic
from giaoducso.core.models import ScheduleRun

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    monkeypatch.setattr(periodic, "SCHEDULES", {})
    monkeypatch.setattr(periodic, "PERIODIC", {})
    periodic.register_schedule(
        "t.tick", "tick", lambda slot: calls.append(f"tick {slot:%H:%M}") or {}, [dt.time(9, 0)]
    )
    periodic.register_periodic("t.daily", "daily", lambda day: calls.append(f"daily {day}") or {})

    def broken(slot: dt.datetime) -> dict[str, object]:
        raise RuntimeError("boom")

    periodic.register_schedule("t.broken", "broken", broken, [dt.time(9, 0)])
    return calls


def test_each_slot_runs_once(registry: list[str]) -> None:
    now = dt.datetime(2026, 12, 3, 9, 1, tzinfo=HCM)
    ran = periodic.run_due(now)
    assert registry == ["tick 09:00"] and ran["t.broken@2026-12-03 09:00"] == {"error": True}
    assert periodic.run_due(now) == {} and registry == ["tick 09:00"]
    assert ScheduleRun.objects.get(name="t.broken").status == "failed"
    assert ScheduleRun.objects.get(name="t.tick").status == "done"


def test_daily_entries_run_in_the_first_slot_of_the_day(registry: list[str]) -> None:
    periodic.run_due(dt.datetime(2026, 12, 3, 0, 10, tzinfo=HCM))
    periodic.run_due(dt.datetime(2026, 12, 3, 1, 0, tzinfo=HCM))
    assert registry == ["daily 2026-12-03"]


def test_nothing_before_its_time(registry: list[str]) -> None:
    assert periodic.run_due(dt.datetime(2026, 12, 3, 8, 59, tzinfo=HCM)) == {}
    with pytest.raises(ValueError):
        periodic.register_schedule("t.none", "none", lambda slot: {}, [])

"""The one scheduler: work that must happen on a given day, or at given times of the day, registered by
the apps.

Two kinds of entry:
- daily work (`register_periodic(name, label, run)`, `run(today)`), run once a day (by `run_periodic` from
  cron, or by the `run_schedule` loop in its first slot of the day, 00:05);
- work at times of the day (`register_schedule(name, label, run, times=[07:30, 16:30])`, `run(slot)` with
  the slot's aware datetime), Asia/Ho_Chi_Minh local time: the morning and afternoon digests, say.

`run_due(now)` runs every slot that is due and not yet run. Each run of each entry in each slot is a
`ScheduleRun` row, claimed before the work starts under a unique (name, slot) constraint: two schedulers,
a rerun or a retry cannot run one slot twice (the loser of the race sees the constraint and skips). So a
digest goes out once per slot even when `make run`'s loop and a cron line both fire.

Core never imports an app: each app registers its periodic work in its AppConfig.ready() with
`register_periodic(name, label, run)`, where `run(today)` does the day's work and returns a JSON-able
summary. Every `run` must be idempotent (safe to run twice on the same day, or to catch up on missed
days), since cron, a retry and an operator may all start it.

How it runs in a deployment (see docs/operations.md):

    # crontab of the app user, shortly after midnight local time
    5 0 * * *  cd /srv/giaoducso && .venv/bin/python manage.py run_periodic --enqueue

`--enqueue` hands each registered entry to the worker through django-tasks (`core.tasks.run_periodic`,
which takes the entry's name and the day, like every task: ids, not objects); without it the command does
the work in its own process, which suits a small deployment or an operator catching up by hand
(`run_periodic --date 2026-12-15`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

logger = logging.getLogger(__name__)

PeriodicRun = Callable[[dt.date], dict[str, Any]]


@dataclass(frozen=True)
class Periodic:
    name: str
    label: str | Promise
    run: PeriodicRun


PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, label: str | Promise, run: PeriodicRun) -> None:
    """Adds a daily entry (registering the same name again replaces it: ready() may run twice in tests)."""
    PERIODIC[name] = Periodic(name=name, label=label, run=run)


def run_one(name: str, today: dt.date) -> dict[str, Any]:
    entry = PERIODIC.get(name)
    if entry is None:
        raise KeyError(f"No periodic entry named {name!r}")
    result = entry.run(today)
    logger.info("periodic %s for %s: %s", name, today.isoformat(), result)
    return result


def run_all(today: dt.date, names: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Runs every entry (or the named ones) for `today`; one failing entry does not stop the others."""
    results: dict[str, dict[str, Any]] = {}
    for name in names or sorted(PERIODIC):
        try:
            results[name] = run_one(name, today)
        except KeyError:
            raise
        except Exception:
            logger.exception("periodic %s failed for %s", name, today.isoformat())
            results[name] = {"error": True}
    return results


def enqueue_all(today: dt.date, names: list[str] | None = None) -> list[str]:
    """Hands each entry to the worker; returns the names enqueued."""
    from .tasks import run_periodic

    chosen = names or sorted(PERIODIC)
    for name in chosen:
        if name not in PERIODIC:
            raise KeyError(f"No periodic entry named {name!r}")
        run_periodic.enqueue(name, today.isoformat())
    return chosen


# --- times of the day ------------------------------------------------------------------------------

ScheduledRun = Callable[[dt.datetime], dict[str, Any]]
# The slot in which the daily entries run when the loop (not cron) drives them.
DAILY_AT = dt.time(0, 5)
# A slot missed (the server was down) is still run this long after its time; an older one is skipped, so
# a morning digest is not sent in the evening.
CATCH_UP = dt.timedelta(hours=3)


@dataclass(frozen=True)
class Scheduled:
    name: str
    label: str | Promise
    run: ScheduledRun
    times: tuple[dt.time, ...]


SCHEDULES: dict[str, Scheduled] = {}


def register_schedule(name: str, label: str | Promise, run: ScheduledRun, times: list[dt.time]) -> None:
    """Adds an entry run at each of `times` (local time) every day; registering again replaces it."""
    if not times:
        raise ValueError("a schedule needs at least one time of the day")
    SCHEDULES[name] = Scheduled(name=name, label=label, run=run, times=tuple(sorted(times)))


def _local_slot(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def due_slots(now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """(entry name, slot) of every slot whose time has come within CATCH_UP of `now`, oldest first.
    Daily entries are named "daily:<name>" here; their slot is DAILY_AT."""
    local = timezone.localtime(now)
    found: list[tuple[str, dt.datetime]] = []
    for day in (local.date() - dt.timedelta(days=1), local.date()):
        for entry in SCHEDULES.values():
            for at in entry.times:
                slot = _local_slot(day, at)
                if slot <= local < slot + CATCH_UP:
                    found.append((entry.name, slot))
        slot = _local_slot(day, DAILY_AT)
        if slot <= local < slot + CATCH_UP:
            found += [(f"daily:{name}", slot) for name in PERIODIC]
    return sorted(found, key=lambda item: (item[1], item[0]))


def claim(name: str, slot: dt.datetime) -> Any:
    """The ScheduleRun row of this slot if this process is the first to claim it, else None."""
    from .models import ScheduleRun

    try:
        with transaction.atomic():
            return ScheduleRun.objects.create(name=name, slot=slot)
    except IntegrityError:
        return None


def run_slot(name: str, slot: dt.datetime) -> dict[str, Any] | None:
    """Runs one entry for one slot unless it already ran (or runs now elsewhere); None when skipped."""
    run_row = claim(name, slot)
    if run_row is None:
        return None
    try:
        if name.startswith("daily:"):
            result = run_one(name.split(":", 1)[1], timezone.localtime(slot).date())
        else:
            entry = SCHEDULES.get(name)
            if entry is None:
                raise KeyError(f"No schedule named {name!r}")
            result = entry.run(slot)
        run_row.status = "done"
    except Exception:
        logger.exception("schedule %s failed for %s", name, slot.isoformat())
        result = {"error": True}
        run_row.status = "failed"
    run_row.result = result
    run_row.finished_at = timezone.now()
    run_row.save(update_fields=["status", "result", "finished_at"])
    logger.info("schedule %s for %s: %s", name, slot.isoformat(), result)
    return result


def run_due(now: dt.datetime | None = None) -> dict[str, dict[str, Any]]:
    """Runs every due slot not yet run; {"name@slot": result} of those this call ran."""
    now = now or timezone.now()
    results: dict[str, dict[str, Any]] = {}
    for name, slot in due_slots(now):
        result = run_slot(name, slot)
        if result is not None:
            results[f"{name}@{timezone.localtime(slot):%Y-%m-%d %H:%M}"] = result
    return results

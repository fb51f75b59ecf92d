"""The one scheduler: work that must happen on a given day, registered by the apps, run once a day.

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

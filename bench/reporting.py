"""Totals of a reporting campaign at a city's size: 2,000 submissions of a 100-field form (60 numbers,
20 choices, 10 multiple choices, 10 yes/no), the sums, means and distributions computed by the database.

    DATABASE_URL=postgres://… DEBUG=true .venv/bin/python bench/reporting.py [--schools N] [--runs N]

Runs in a throw-away test database (`test_<name>` on PostgreSQL). Prints p50/p95 of `selectors.totals`
over the runs against the target (p95 < 1 s), the queries it makes (constant: one for the numbers, one per
choice field), and the ratio to a baseline measured in the same run (one COUNT(*) of the same rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 1000.0


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def schema() -> dict:
    fields = []
    for i in range(60):
        fields.append({"key": f"so_{i}", "label": f"Số {i}", "type": "number", "min": 0, "max": 100000})
    options = ["Tốt", "Khá", "Đạt", "Chưa đạt"]
    for i in range(20):
        fields.append({"key": f"chon_{i}", "label": f"Chọn {i}", "type": "choice", "choices": options})
    for i in range(10):
        fields.append({"key": f"nhieu_{i}", "label": f"Nhiều {i}", "type": "multi", "choices": options})
    for i in range(10):
        fields.append({"key": f"co_{i}", "label": f"Có {i}", "type": "yesno"})
    return {"sections": [{"title": "Chung", "fields": fields}]}


def seed(schools: int) -> object:
    from giaoducso.core.models import Unit, UnitKind
    from giaoducso.reporting.models import Submission, SubmissionStatus
    from giaoducso.reporting.services import campaign_create, form_create
    from giaoducso.testing.factories import UnitFactory

    department = UnitFactory(kind=UnitKind.DISTRICT_DEPARTMENT, code="PGDBENCH", name="Phòng thử")
    units = [
        Unit(
            kind=UnitKind.SCHOOL,
            code=f"BR{i:05d}",
            name=f"Trường {i}",
            parent=department,
            path=f"{department.path}{i + 1:010d}/",
        )
        for i in range(schools)
    ]
    Unit.objects.bulk_create(units, batch_size=1000)
    form = form_create(actor=None, owner=department, title="Biểu mẫu 100 chỉ tiêu", schema=schema())
    campaign = campaign_create(
        actor=None,
        owner=department,
        form=form,
        title="Bench",
        opens_on=dt.date(2026, 1, 1),
        deadline=dt.date(2099, 1, 1),
        schools=Unit.objects.filter(kind=UnitKind.SCHOOL, parent=department),
    )
    rng = random.Random(7)
    options = ["Tốt", "Khá", "Đạt", "Chưa đạt"]
    rows = []
    for submission in Submission.objects.filter(campaign=campaign):
        answers: dict = {f"so_{i}": rng.randint(0, 5000) for i in range(60)}
        answers.update({f"chon_{i}": rng.choice(options) for i in range(20)})
        answers.update({f"nhieu_{i}": rng.sample(options, rng.randint(0, 3)) for i in range(10)})
        answers.update({f"co_{i}": rng.random() < 0.5 for i in range(10)})
        submission.answers = answers
        submission.status = SubmissionStatus.SUBMITTED
        rows.append(submission)
    Submission.objects.bulk_update(rows, ["answers", "status"], batch_size=500)
    return campaign


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from giaoducso.reporting import selectors
        from giaoducso.reporting.models import Submission

        print(f"database: {connection.vendor}")
        started = time.perf_counter()
        campaign = seed(args.schools)
        print(
            f"seeded {args.schools} submissions of a 100-field form in {time.perf_counter() - started:.1f} s"
        )
        baseline, timings = [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            Submission.objects.filter(campaign=campaign, status="submitted").count()
            baseline.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                numbers, choices = selectors.totals(campaign)
            timings.append((time.perf_counter() - t) * 1000)
        assert len(numbers) == 60 and len(choices) == 40
        assert numbers[0].count == args.schools
        p50, p95 = percentiles(timings)
        b50, _b95 = percentiles(baseline)
        ok = p95 < TARGET_P95_MS
        print(
            f"totals: p50 {p50:.0f} ms, p95 {p95:.0f} ms (target < {TARGET_P95_MS:.0f} ms) {'OK' if ok else 'TOO SLOW'}"
        )
        print(f"queries per totals: {len(captured.captured_queries)}")
        print(f"baseline COUNT(*): p50 {b50:.1f} ms; totals / baseline = {p50 / max(b50, 0.01):.0f}x")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())

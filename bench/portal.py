"""The public portal under load, on the demo district (PostgreSQL).

Creates a throw-away database, migrates it, seeds the demo district (`seed_demo`), then asks, through the
whole Django stack in process (middleware, sessions, CSP, templates), 500 times each: a school's home, its
public disclosure page and the department's home at `/`, as an anonymous visitor. Prints p50/p95 in ms,
cached (the normal case: pages are cached until a publication) and rebuilt on every request (the cache
emptied before each), and each one's ratio to `/healthz` measured in the same run. Target: p95 ≤ 100 ms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/giaoducso_bench_portal python bench/portal.py
    options: --requests N --schools N --students N --keep (do not drop the database at the end)
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giaoducso_bench_portal"
TARGET_MS = 100.0


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def timings(client: object, path: str, n: int, *, before: object = None) -> list[float]:
    out = []
    for _ in range(n):
        if before is not None:
            before()  # type: ignore[operator]
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
    return out


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[94]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--schools", type=int, default=8)
    parser.add_argument("--students", type=int, default=400)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    recreate_database(url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from giaoducso.core.models import Unit, UnitKind
    from giaoducso.portal.models import DisclosureVersion

    setup_test_environment()  # the test client's host name is allowed
    logging.getLogger("giaoducso.request").setLevel(logging.WARNING)  # one line per request drowns the table
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command(
            "seed_demo",
            "--schools",
            str(args.schools),
            "--students",
            str(args.students),
            stdout=io.StringIO(),
        )
        print(f"demo district seeded in {time.perf_counter() - started:.1f} s")
        school = (
            Unit.objects.filter(kind=UnitKind.SCHOOL, pk__in=DisclosureVersion.objects.values("school"))
            .order_by("path")
            .first()
        )
        assert school is not None, "the demo published no disclosure"
        pages = {
            "school home": f"/truong/{school.code}/",
            "disclosure": f"/truong/{school.code}/cong-khai/",
            "department home": "/",
        }
        client = Client()
        n = args.requests
        for path in [*pages.values(), "/healthz"]:
            timings(client, path, 20)  # warm-up: templates compiled, connections open
        baseline = timings(client, "/healthz", n)
        base95 = p95(baseline)
        print(f"{'page':<18} {'p50 ms':>8} {'p95 ms':>8} {'ratio p95':>10}   rebuilt each time: p50 / p95 ms")
        print(f"{'/healthz':<18} {statistics.median(baseline):8.1f} {base95:8.1f} {1.0:10.1f}")
        worst = 0.0
        for label, path in pages.items():
            cached = timings(client, path, n)
            rebuilt = timings(client, path, max(n // 5, 20), before=cache.clear)
            worst = max(worst, p95(cached))
            print(
                f"{label:<18} {statistics.median(cached):8.1f} {p95(cached):8.1f} {p95(cached) / base95:10.1f}"
                f"   {statistics.median(rebuilt):.1f} / {p95(rebuilt):.1f}"
            )
        print(
            f"target p95 ≤ {TARGET_MS:.0f} ms: {'met' if worst <= TARGET_MS else 'NOT met'} (worst {worst:.1f} ms)"
        )
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            recreate_database(url, drop_only=True)


if __name__ == "__main__":
    main()

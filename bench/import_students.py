"""Benchmark: a 100,000-row student file imported on PostgreSQL, against a raw COPY of the same file.

    make bench                       # or: DEBUG=true .venv/bin/python bench/import_students.py [--rows N]

Uses its own database (created and dropped here): BENCH_DATABASE_URL, else DATABASE_URL's server with the
database name giaoducso_bench, else postgres://postgres@127.0.0.1:5432/giaoducso_bench. Prints rows/s,
seconds, peak memory and the ratio import/COPY against the issue's targets (ratio ≤ 10, peak ≤ 300 MB), the
second (idempotent) run, and a variant with one bad row that must write nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEED = 20260301
TARGET_RATIO = 10.0
TARGET_PEAK_MB = 300.0
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/giaoducso_bench"

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Quốc", "Gia", "Bảo", "Hoàng", "Khánh", "Đức", "Thu"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Khoa", "Lan", "Linh", "Mai", "Nam"]
GIVEN += ["Ngân", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tú", "Uyên", "Việt", "Yến", "Đạt", "Ánh"]
PROVINCES = ["079", "001", "048", "092", "074", "075", "080", "031"]
ETHNICITIES = ["Kinh"] * 40 + ["Hoa", "Khmer", "Chăm", "Tày"]


def bench_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(base)
        return urlunsplit(parts._replace(path="/giaoducso_bench"))
    return DEFAULT_URL


def mb(kilobytes: float) -> float:
    return kilobytes / 1024


def recreate_database(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def make_district(rng: random.Random) -> list[tuple[str, str]]:
    """120 schools (60 primary, 60 lower secondary) under one department; returns (code, level)."""
    from giaoducso.core.models import UnitKind
    from giaoducso.core.services import unit_create
    from giaoducso.directory.models import School, SchoolYear

    province = unit_create(actor=None, kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở GD&ĐT TP.HCM")
    district = unit_create(
        actor=None,
        kind=UnitKind.DISTRICT_DEPARTMENT,
        code="PGD06",
        name="Phòng GD&ĐT Quận 6",
        parent=province,
    )
    for n in range(1, 15):
        unit_create(actor=None, kind=UnitKind.WARD, code=f"W{n:02d}", name=f"Phường {n}", parent=district)
    schools = []
    for n in range(120):
        level = "primary" if n < 60 else "lower_secondary"
        code = f"{'TH' if n < 60 else 'CS'}{n:04d}"
        unit = unit_create(
            actor=None, kind=UnitKind.SCHOOL, code=code, name=f"Trường {code}", parent=district
        )
        School.objects.create(unit=unit, level=level, ownership="public")
        schools.append((code, level))
    SchoolYear.objects.create(
        name="2025-2026", start_date=dt.date(2025, 9, 5), end_date=dt.date(2026, 5, 31), is_current=True
    )
    return schools


def write_file(path: Path, rows: int, schools: list[tuple[str, str]], rng: random.Random) -> None:
    from giaoducso.directory.importing.students import (
        REQUIRED as COLUMNS,
    )  # the base columns; the Ministry's are optional
    from rules.identifiers import make_personal_id

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(rows):
            code, level = schools[rng.randrange(len(schools))]
            grade = rng.randint(1, 5) if level == "primary" else rng.randint(6, 9)
            birth_year = 2025 - 5 - grade
            sex = rng.choice("MF")
            dob = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            surname = rng.choice(SURNAMES)
            middle = "Thị" if sex == "F" and rng.random() < 0.5 else rng.choice(MIDDLE)
            ward = f"Phường {rng.randint(1, 14)}" if rng.random() < 0.99 else "Xã Chưa Có"
            writer.writerow(
                (
                    make_personal_id(rng.choice(PROVINCES), sex, birth_year, i),
                    f"{surname} {middle} {rng.choice(GIVEN)}",
                    dob.strftime("%d/%m/%Y"),
                    "Nam" if sex == "M" else "Nữ",
                    rng.choice(ETHNICITIES),
                    code,
                    f"{grade}/{rng.randint(1, 8)}",
                    f"{rng.randint(1, 500)} đường số {rng.randint(1, 80)}",
                    ward,
                    f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    f"09{rng.randrange(10**8):08d}",
                )
            )


def raw_copy_seconds(path: Path) -> float:
    """A plain COPY of the same file into a plain text table: the floor an import is compared with."""
    from django.db import connection

    from giaoducso.directory.importing.students import (
        REQUIRED as COLUMNS,
    )  # the base columns; the Ministry's are optional

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_students")
        cursor.execute(f"CREATE TABLE bench_plain_students ({', '.join(c + ' text' for c in COLUMNS)})")
        raw = cursor.connection
        started = time.perf_counter()
        with (
            raw.cursor() as pg,
            open(path, "rb") as handle,
            pg.copy("COPY bench_plain_students FROM STDIN (FORMAT csv, HEADER)") as copy,
        ):
            for block in iter(lambda: handle.read(1 << 20), b""):
                copy.write(block)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT count(*) FROM bench_plain_students")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_plain_students")
    print(f"  raw COPY: {copied} rows in {seconds:.2f} s ({copied / seconds:,.0f} rows/s)")
    return seconds


class PhaseClock:
    """The import's progress callback: when each phase (reading, writing) was first and last reported."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seen: dict[str, list[float]] = {}

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.perf_counter() - self.started
        self.seen.setdefault(phase, [now, now])[1] = now

    def line(self, total: float) -> str:
        writing = self.seen.get("writing", [total, total])[0]
        return f"checking the rows {writing:.2f} s, writing and commit {total - writing:.2f} s"


LAST_PHASES: list[str] = []


PROFILE: list[str] = []


def timed_import(path: Path, *, trace: bool = False, profile: bool = False) -> tuple[float, object, float]:
    from contextlib import nullcontext

    from import_profile import StatementClock

    from giaoducso.directory.importing.service import run_import

    if trace:
        tracemalloc.start()
    clock = PhaseClock()
    statements = StatementClock()
    with statements.watching() if profile else nullcontext():
        started = time.perf_counter()
        result = run_import(kind="students", path=path, actor="bench", progress=clock)
        seconds = time.perf_counter() - started
    if profile:
        PROFILE[:] = statements.lines(seconds)
    LAST_PHASES[:] = [clock.line(seconds)]
    peak = 0.0
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return seconds, result, peak


def print_profile() -> None:
    """The first import's statements by time, then its inserts replayed table by table (import_profile)."""
    from import_profile import index_costs, replay

    print("  profile of the import, by statement (seconds, share of the import, calls):")
    print("\n".join(PROFILE))
    print("  its inserts replayed under EXPLAIN (ANALYZE, BUFFERS, WAL), constraints immediate, rolled back:")
    audit_lines = "WHERE object_type LIKE 'directory.%' AND actor_label = 'bench'"
    tables = [
        "directory_student",
        "directory_studentstatusevent",
        "directory_enrolment",
        "directory_guardian",
        "core_auditentry",
    ]
    print("\n".join(replay(tables, where={"core_auditentry": audit_lines})))
    print("  what each index of the student table adds to inserting its rows:")
    print("\n".join(index_costs("directory_student")))


def wipe_students() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE directory_studentstatusevent, directory_enrolment, directory_guardian, directory_student,"
            " directory_schoolclass CASCADE"
        )


def count_students() -> int:
    from giaoducso.directory.models import Student

    return Student.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="time every statement of the first import, then replay its inserts under EXPLAIN (ANALYZE, BUFFERS, WAL)",
    )
    args = parser.parse_args()
    url = bench_url()
    try:
        recreate_database(url)
    except Exception as exc:  # no server: say so, do not fail `make bench`
        print(f"PostgreSQL not reachable at {urlsplit(url).hostname}: {exc}. Benchmark skipped.")
        return 0
    ok = True
    try:
        setup_django(url)
        rng = random.Random(SEED)
        schools = make_district(rng)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "hoc-sinh.csv"
            started = time.perf_counter()
            write_file(path, args.rows, schools, rng)
            size = path.stat().st_size / 1024 / 1024
            print(f"Student import benchmark: {args.rows} rows, {len(schools)} schools, {size:.1f} MB CSV")
            print(f"  generated in {time.perf_counter() - started:.1f} s")
            copy_seconds = raw_copy_seconds(path)

            rss_before = mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            seconds, result, _peak = timed_import(path, profile=args.profile)
            rss_after = mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
            assert result.ok, result.error_report()[:2000]
            ratio = seconds / copy_seconds
            print(f"  import:   {result.rows} rows in {seconds:.2f} s ({result.rows / seconds:,.0f} rows/s)")
            print(f"            {result.summary()[:300]}")
            print(f"  phases:   {LAST_PHASES[0]}")
            print(f"  ratio import/COPY: {ratio:.2f} (target ≤ {TARGET_RATIO:g})")
            if args.profile:
                print_profile()
            print(
                f"  peak RSS (ru_maxrss) of the process: {rss_after:.0f} MB "
                f"(before the import {rss_before:.0f} MB; target ≤ {TARGET_PEAK_MB:g} MB)"
            )
            students = count_students()
            print(f"  students in the database: {students}")

            seconds2, again, _peak = timed_import(path)
            print(
                f"  second run (same file): {seconds2:.2f} s — "
                f"{again.new} mới, {again.changed} thay đổi, {again.unchanged} không đổi"
            )
            ok &= (again.new, again.changed, again.unchanged) == (0, 0, result.rows)
            ok &= count_students() == students

            wipe_students()
            seconds3, traced, peak = timed_import(path, trace=True)
            print(
                f"  tracemalloc peak of a full import: {peak:.0f} MB (under tracing the run took {seconds3:.1f} s)"
            )
            ok &= traced.ok and traced.new == result.rows

            bad = Path(tmp) / "hoc-sinh-1-dong-loi.csv"
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            position = random.Random(SEED + 1).randrange(1, len(lines))
            cells = next(csv.reader([lines[position]]))
            cells[2] = "31/02/" + cells[2][-4:]
            buffer = []
            writer = csv.writer(_Collect(buffer))
            writer.writerow(cells)
            lines[position] = buffer[0]
            bad.write_text("".join(lines), encoding="utf-8")
            del lines
            wipe_students()
            seconds4, refused, _peak = timed_import(bad)
            written = count_students()
            print(
                f"  one bad row at line {position + 1}: {len(refused.errors)} error(s) in {seconds4:.2f} s, "
                f"students written: {written}"
            )
            for problem in refused.errors[:3]:
                print(f"    {problem.text()}")
            ok &= written == 0 and [p.row for p in refused.errors] == [position + 1]

            within = ratio <= TARGET_RATIO and rss_after <= TARGET_PEAK_MB
            print(f"  targets: ratio {'met' if ratio <= TARGET_RATIO else 'NOT met'}, "
                  f"peak memory {'met' if rss_after <= TARGET_PEAK_MB else 'NOT met'}")  # fmt: skip
            if not within:
                print("  (figures above the targets are reported, not hidden)")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(url, drop_only=True)
    if not ok:
        print("Benchmark checks FAILED (idempotence or all-or-nothing)")
        return 1
    return 0


class _Collect:
    def __init__(self, sink: list[str]) -> None:
        self.sink = sink

    def write(self, text: str) -> None:
        self.sink.append(text)


if __name__ == "__main__":
    sys.exit(main())

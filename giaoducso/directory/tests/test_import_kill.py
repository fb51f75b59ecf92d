"""A process killed in the middle of an import leaves no rows of it behind (issue 3, "must hold")."""

from __future__ import annotations

import csv
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from giaoducso.directory.importing.students import COLUMNS
from rules.identifiers import make_personal_id

ROOT = Path(__file__).resolve().parents[3]
ROWS = 30_000
SETUP = """
import datetime as dt
from giaoducso.core.models import UnitKind
from giaoducso.core.services import unit_create
from giaoducso.directory.models import School, SchoolYear
dept = unit_create(actor=None, kind=UnitKind.DISTRICT_DEPARTMENT, code="PGD", name="Phòng GD&ĐT")
for code in ("CS01", "CS02"):
    unit = unit_create(actor=None, kind=UnitKind.SCHOOL, code=code, name="Trường " + code, parent=dept)
    School.objects.create(unit=unit, level="lower_secondary", ownership="public")
SchoolYear.objects.create(name="2025-2026", start_date=dt.date(2025, 9, 5), end_date=dt.date(2026, 5, 31),
                          is_current=True)
"""
WRITING = re.compile(r"\(writing\): (\d+)/(\d+)")


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="config.test_settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=600
    )


def _big_file(path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(ROWS):
            grade = 6 + i % 4
            year = 2025 - 5 - grade
            writer.writerow(
                [
                    make_personal_id("079", "F" if i % 2 else "M", year, i),
                    f"Học Sinh Số {i}",
                    f"{1 + i % 28:02d}/{1 + i % 12:02d}/{year}",
                    "Nữ" if i % 2 else "Nam",
                    "Kinh",
                    "CS01" if i % 3 else "CS02",
                    f"{grade}/{1 + i % 6}",
                    "1 Hậu Giang",
                    "",
                    f"Phụ Huynh {i}",
                    f"09{i:08d}",
                ]
            )
    return path


def test_killed_import_leaves_nothing_behind(tmp_path):
    database = tmp_path / "kill.sqlite3"
    env = _env(database)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "shell", "-c", SETUP)
    data = _big_file(tmp_path / "hoc-sinh.csv")

    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_students", str(data)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    killed_at = None
    deadline = time.monotonic() + 600
    assert process.stderr is not None
    for line in process.stderr:
        seen.append(line.rstrip())
        match = WRITING.search(line)
        # 0 < done < total: the transaction is open and more batches are still to come.
        if match and 0 < int(match.group(1)) < int(match.group(2)):
            process.send_signal(signal.SIGKILL)
            killed_at = line.strip()
            break
        assert time.monotonic() < deadline, "the import never reached its writing phase"
    process.wait(timeout=60)
    assert killed_at is not None, f"no mid-write progress line; stderr was: {seen[-5:]}"
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM directory_student").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM directory_guardian").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM directory_enrolment").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM directory_schoolclass").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM directory_school").fetchone() == (2,)  # the set-up stayed

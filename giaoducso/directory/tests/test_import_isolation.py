"""A concurrent reader sees none or all of an import, never half of it (issue 15, "must hold").

The import writes in batches inside one transaction; between two batches (its progress callback, with rows
written and more to come) another connection counts what it can see of the import: students, their status
events, enrolments, guardians, the classes the file creates and the import's audit lines. On PostgreSQL it
sees the state before the import; after the commit, all of it. On SQLite the writer holds the database's
write lock, so the reader sees the state before the import too (or is told the table is locked, under the
shared in-memory cache of the test database): never a part.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection, connections

from giaoducso.core.models import AuditEntry
from giaoducso.directory.importing.service import run_import
from giaoducso.directory.models import Enrolment, Guardian, SchoolClass, Student, StudentStatusEvent
from giaoducso.directory.services import student_bulk

from .import_helpers import setup_directory, student_row, write_csv

ROWS = 7


def _counts() -> tuple[int, ...]:
    return (
        Student.objects.count(),
        StudentStatusEvent.objects.count(),
        Enrolment.objects.count(),
        Guardian.objects.count(),
        SchoolClass.objects.count(),
        AuditEntry.objects.filter(actor_label="isolation test").count(),
    )


def _from_another_connection() -> Any:
    """_counts() as another session sees them: a thread has its own database connection."""
    seen: list[Any] = []

    def read() -> None:
        try:
            seen.append(_counts())
        except OperationalError as exc:  # SQLite's shared cache: the writer holds the table
            seen.append(exc)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen[0]


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_reader_sees_none_or_all_of_an_import(world, tmp_path, monkeypatch):
    setup_directory(world)
    monkeypatch.setattr(student_bulk, "BATCH", 2)  # several batches in the one transaction
    rows = [student_row(i, lop=f"6/{1 + i % 3}") for i in range(ROWS)]
    path = write_csv(tmp_path / "hoc-sinh.csv", rows)
    before = _from_another_connection()  # the world's own students and guardians

    midway: list[Any] = []

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "writing" and 0 < done < total:
            midway.append(_from_another_connection())

    result = run_import(kind="students", path=path, actor="isolation test", progress=progress)

    assert result.ok and result.new == ROWS, result.error_report()
    assert len(midway) >= 2  # read between batches, with rows written and more to come
    for seen in midway:
        if isinstance(seen, OperationalError):
            assert connection.vendor == "sqlite" and "locked" in str(seen)
        else:
            assert seen == before
    # After the commit: all of it, 4 audit lines per student and 1 for the file.
    after = _from_another_connection()
    added = tuple(a - b for a, b in zip(after, before, strict=True))
    assert added == (ROWS, ROWS, ROWS, ROWS, 3, 4 * ROWS + 1)

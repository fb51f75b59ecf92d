"""Documents issued at the same instant never share a number: 1,000 issued by 10 threads on PostgreSQL
(the counter row locked with SELECT … FOR UPDATE in the issuing transaction) get 1,000 distinct,
consecutive numbers; on SQLite, whose writers queue on the database (IMMEDIATE transactions), the same
with fewer documents, as its single-writer design allows."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import OperationalError, connection, connections

from giaoducso.core.roles import Role
from giaoducso.testing.world import World, build_world

from .. import services
from ..models import DocStatus, Document, Incoming
from .helpers import setup_office

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 10


def _approved(world: World, count: int) -> list[Document]:
    """`count` approved documents of the department to school A, written in bulk (the test is the issue)."""
    rows = [
        Document(
            issuer=world.department,
            issuer_path=world.department.path,
            doc_type="CV",
            summary=f"Công văn {n}",
            status=DocStatus.APPROVED,
            signer_name="Lãnh đạo",
        )
        for n in range(count)
    ]
    Document.objects.bulk_create(rows, batch_size=500)
    created = list(Document.objects.select_related("issuer").order_by("pk"))
    through = Document.recipients.through
    through.objects.bulk_create(
        [through(document_id=d.pk, unit_id=world.school_a.pk) for d in created], batch_size=500
    )
    return created


def _issue(clerk: object, document: Document) -> None:
    """Issue; on SQLite retry when the test database's shared cache says "table is locked" — its
    in-memory test database cannot wait for a lock as a file database does (busy timeout), and a
    retried issue is a whole new transaction, so a number is never taken twice or skipped."""
    for _attempt in range(10_000):
        try:
            services.document_issue(actor=clerk, document=document)
            return
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.001)
    raise AssertionError("SQLite stayed locked")


def test_concurrent_issues_get_distinct_consecutive_numbers() -> None:
    world = build_world()
    setup_office(world)
    count = 1000 if connection.vendor == "postgresql" else 100
    documents = _approved(world, count)
    clerk = world.user(Role.DEPARTMENT_OFFICER)
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def issue_slice(part: list[Document]) -> None:
        try:
            start.wait()  # every thread starts issuing at the same instant
            for document in part:
                _issue(clerk, document)
        except BaseException as error:  # reported below, with the thread's documents
            errors.append(error)
        finally:
            connections.close_all()

    parts = [documents[i::THREADS] for i in range(THREADS)]
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(issue_slice, parts))
    assert not errors, errors[:3]
    numbers = sorted(Document.objects.values_list("number", flat=True))
    assert numbers == list(range(1, count + 1))
    notations = set(Document.objects.values_list("notation", flat=True))
    assert len(notations) == count
    assert Incoming.objects.count() == count

"""The office's part of the demo district: documents issued with the system's numbers, the demo school's
queue with an urgent one, an overdue assignment, a reply, and a paper letter."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ..models import DocStatus, Document, Incoming, InStatus, Source

pytestmark = pytest.mark.django_db


def test_the_demo_has_documents_at_every_step() -> None:
    out = io.StringIO()
    call_command("seed_demo", "--schools", "3", "--students", "20", "--seed", "7", stdout=out)
    assert "văn bản đi" in out.getvalue()
    issued = Document.objects.filter(status=DocStatus.ISSUED)
    assert set(issued.values_list("notation", flat=True)) >= {"01/KH-PGDĐT", "02/PGDĐT-CNTT", "03/GM-PGDĐT"}
    assert Document.objects.filter(status=DocStatus.DRAFT).exists()
    assert Incoming.objects.filter(status=InStatus.ANSWERED).exists()
    assert Incoming.objects.filter(urgency="hoa_toc", status=InStatus.PENDING).exists()
    assert any(i.is_overdue for i in Incoming.objects.filter(status=InStatus.HANDLING))
    assert Incoming.objects.filter(source=Source.PAPER, arrival_number__isnull=False).exists()

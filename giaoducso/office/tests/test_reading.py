"""Documents given as files: a received document registered from its PDF (the form filled from its first
page, the file kept until registration, the duplicate warning on number + notation + issuer), and a draft
whose body is an uploaded DOCX or PDF (read, printed and found by its words)."""

from __future__ import annotations

import hashlib
import io
from typing import Any

import pytest
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.world import World

from .. import selectors, services
from ..models import Attachment, Document, Incoming, Source
from ..pdf import document_pdf
from .helpers import issued, setup_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    return world


def _outside_pdf(office: World) -> tuple[Document, bytes]:
    """A plan of the department sent to school B only: for school A it comes from outside, on paper."""
    document = issued(
        office,
        recipients=[office.school_b.code],
        summary="Kế hoạch tổ chức hội khỏe Phù Đổng cấp quận năm học 2026-2027",
    )
    return document, document_pdf(document)


def _read(client: Client, content: bytes, name: str = "van-ban.pdf", **typed: Any) -> Any:
    return client.post(
        reverse("office:incoming_new"),
        {"read_pdf": "1", "file": SimpleUploadedFile(name, content, "application/pdf"), **typed},
    )


def test_an_outside_document_registered_from_its_pdf(office: World) -> None:
    document, content = _outside_pdf(office)
    clerk = sign_in(Client(), office.user(Role.SCHOOL_OFFICE))
    read = _read(clerk, content, source="email")
    assert read.status_code == 200, read.content.decode()[:2000]
    initial = read.context["form"].initial
    today = timezone.localdate(document.issued_at)
    assert initial["notation"] == document.notation == "01/KH-PGDĐT"
    assert initial["doc_date"] == today.strftime("%d/%m/%Y")
    assert initial["sender_name"] == office.department.name.upper()
    assert (initial["doc_type"], initial["summary"]) == ("KH", document.summary)
    assert initial["source"] == "email"  # what the clerk had chosen stays
    assert "Đã đọc từ tệp PDF" in read.content.decode() and not Incoming.objects.filter(unit=office.school_a)
    page = read.content.decode()
    assert 'value="01/KH-PGDĐT"' in page and initial["staged"] in page

    fields = {k: initial[k] for k in ("notation", "doc_date", "sender_name", "doc_type", "summary", "source")}
    kept = set(default_storage.listdir(services.incoming.STAGING_DIR)[1])
    registered = clerk.post(
        reverse("office:incoming_new"), {**fields, "urgency": "thuong", "staged": initial["staged"]}
    )
    assert registered.status_code == 302, registered.content.decode()[:2000]
    row = Incoming.objects.get(unit=office.school_a)
    assert (row.notation, row.doc_date, row.doc_type, row.summary, row.source) == (
        document.notation,
        today,
        "KH",
        document.summary,
        Source.EMAIL,
    )
    assert row.arrival_number == 1 and row.sender_name == office.department.name.upper()
    attachment = Attachment.objects.get(incoming=row)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest() and attachment.size == len(content)
    # The kept copy is gone once it is the attachment.
    assert len(set(default_storage.listdir(services.incoming.STAGING_DIR)[1]) - kept) == 0
    assert len(kept - set(default_storage.listdir(services.incoming.STAGING_DIR)[1])) == 1

    # The same paper again: the form is filled the same way, and registering it is stopped with a warning.
    again = _read(clerk, content).context["form"].initial
    fields = {k: again[k] for k in ("notation", "doc_date", "sender_name", "doc_type", "summary")}
    twice = clerk.post(
        reverse("office:incoming_new"),
        {**fields, "source": "paper", "urgency": "thuong", "staged": again["staged"]},
    )
    assert twice.status_code == 400 and "đã vào sổ với số đến 1" in twice.content.decode()
    assert Incoming.objects.filter(unit=office.school_a).count() == 1


def test_reading_refuses_what_is_not_a_pdf_and_keeps_nothing(office: World) -> None:
    clerk = sign_in(Client(), office.user(Role.SCHOOL_OFFICE))
    fake = _read(clerk, b"MZ\x90\x00 not a pdf at all", summary="Đã gõ")
    assert fake.status_code == 400 and "Nội dung tệp không phải loại được nhận" in fake.content.decode()
    assert fake.context["form"].initial["summary"] == "Đã gõ"
    nothing = clerk.post(reverse("office:incoming_new"), {"read_pdf": "1"})
    assert nothing.status_code == 400 and "Hãy chọn tệp PDF" in nothing.content.decode()
    # A PDF without a text layer (a scan) is kept, and the clerk is asked to type.
    blank = _read(clerk, b"%PDF-1.4\n%%EOF\n")
    assert blank.status_code == 200 and "hãy nhập tay" in blank.content.decode()
    assert not Incoming.objects.exists()


def test_a_kept_pdf_goes_only_to_the_clerk_and_unit_that_read_it(office: World) -> None:
    _document, content = _outside_pdf(office)
    clerk = office.user(Role.SCHOOL_OFFICE)
    upload = SimpleUploadedFile("a.pdf", content, "application/pdf")
    guess, token = services.incoming_read_pdf(actor=clerk, unit=office.school_a, upload=upload)
    assert guess.notation == "01/KH-PGDĐT"
    assert services.staged_pdf(actor=office.user(Role.PRINCIPAL), unit=office.school_a, token=token) is None
    assert services.staged_pdf(actor=clerk, unit=office.school_b, token=token) is None
    assert services.staged_pdf(actor=clerk, unit=office.school_a, token=token + "x") is None
    kept = services.staged_pdf(actor=clerk, unit=office.school_a, token=token)
    assert kept is not None and kept.read() == content
    assert services.staged_pdf(actor=clerk, unit=office.school_a, token=token) is None  # read once
    with pytest.raises(Exception, match="văn thư"):
        services.incoming_read_pdf(actor=office.user(Role.TEACHER), unit=office.school_a, upload=upload)


def _docx(*paragraphs: str) -> bytes:
    from docx import Document as Docx

    made = Docx()
    for text in paragraphs:
        made.add_paragraph(text)
    buffer = io.BytesIO()
    made.save(buffer)
    return buffer.getvalue()


def _draft_with_file(office: World, name: str, content: bytes, body: str = "") -> Document:
    officer = sign_in(Client(), office.user(Role.DEPARTMENT_OFFICER))
    sent = officer.post(
        reverse("office:document_new"),
        {
            "doc_type": "KH",
            "summary": "Kế hoạch viết trong Word",
            "body": body,
            "urgency": "thuong",
            "recipients": [office.school_a.code],
            "main_file": SimpleUploadedFile(name, content),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    return Document.objects.get(summary="Kế hoạch viết trong Word")


def test_a_draft_whose_body_is_a_docx(office: World) -> None:
    content = _docx("Căn cứ Kế hoạch của Sở.", "Các trường tổ chức giải cờ vua <học sinh>.")
    document = _draft_with_file(office, "ke-hoach.docx", content)
    assert (
        document.body
        == "<p>Căn cứ Kế hoạch của Sở.</p><p>Các trường tổ chức giải cờ vua &lt;học sinh&gt;.</p>"
    )
    assert Attachment.objects.get(document=document).size == len(content)
    found = selectors.search(office.user(Role.DEPARTMENT_LEADER), "giai co vua")
    assert [d.pk for d in found] == [document.pk]


def test_a_draft_whose_body_is_a_pdf_and_a_typed_body_wins(office: World) -> None:
    _document, content = _outside_pdf(office)
    document = _draft_with_file(office, "ke-hoach.pdf", content)
    assert "Căn cứ Kế hoạch của Sở." in document.body and "<p>" in document.body
    Document.objects.filter(pk=document.pk).update(summary="x")
    typed = _draft_with_file(office, "ke-hoach.docx", _docx("Từ tệp."), body="Gõ tay.")
    assert typed.body == "<p>Gõ tay.</p>"


def test_pdfs_read_but_never_registered_are_removed_after_a_day(office: World) -> None:
    import os
    import time

    from giaoducso.core import periodic

    _document, content = _outside_pdf(office)
    clerk = office.user(Role.SCHOOL_OFFICE)
    tokens = [
        services.incoming_read_pdf(
            actor=clerk, unit=office.school_a, upload=SimpleUploadedFile("a.pdf", content, "application/pdf")
        )[1]
        for _ in range(2)
    ]
    old = signing.loads(tokens[0], salt="office.incoming.staged")["path"]
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    assert periodic.run_one("office.staged_pdfs", timezone.localdate())["removed"] >= 1
    assert not default_storage.exists(old)
    assert services.staged_pdf(actor=clerk, unit=office.school_a, token=tokens[1]) is not None

"""The edXML envelope: an issued document exported as one validates against the envelope's structure
(edxml_envelope.xsd, with lxml), imports back as an incoming document at another unit with its fields and
attachment, a recall envelope cancels the copy, and a hostile or broken envelope is refused in words."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from giaoducso.core.roles import Role
from giaoducso.testing.world import World
from rules import documents as doc_rules

from .. import services
from ..edxml import STATUS_CODE, export_document, import_envelope, status_message
from ..models import Incoming, InStatus, OfficeSettings, Source
from .helpers import draft, setup_office

pytestmark = pytest.mark.django_db
SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("edxml_envelope.xsd"))))


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    OfficeSettings.objects.filter(unit=world.department).update(organ_code="000.00.31.H29")
    return world


def _issued_with_file(world: World) -> object:
    document = draft(world, urgency="thuong_khan", due_date=dt.date(2026, 12, 20))
    services.attachment_add(
        actor=world.user(Role.DEPARTMENT_OFFICER),
        upload=SimpleUploadedFile("phu-luc.pdf", b"%PDF-1.4\n%%EOF\n"),
        document=document,
    )
    services.document_approve(
        actor=world.user(Role.DEPARTMENT_LEADER), document=document, signer_authority="KT. TRƯỞNG PHÒNG"
    )
    return services.document_issue(actor=world.user(Role.DEPARTMENT_OFFICER), document=document)


def test_an_exported_envelope_validates_and_imports_back(office: World) -> None:
    document = _issued_with_file(office)
    content = export_document(document)
    tree = etree.fromstring(content)
    SCHEMA.assertValid(tree)
    ns = {"e": "http://www.mic.gov.vn/TBT/QCVN_102_2016"}
    assert tree.findtext("e:edXMLHeader/e:MessageHeader/e:OtherInfo/e:Priority", namespaces=ns) == "2"
    assert tree.findtext("e:edXMLHeader/e:MessageHeader/e:From/e:OrganId", namespaces=ns) == "000.00.31.H29"
    assert tree.findtext("e:edXMLHeader/e:MessageHeader/e:DocumentId", namespaces=ns).endswith(",01/KH-PGDĐT")

    # Received by school B from outside the platform (its copy was not distributed to it).
    row = import_envelope(
        actor=office.user(Role.SCHOOL_OFFICE), unit=office.school_a, content=content, allow_duplicate=True
    )
    assert (row.source, row.notation, row.sender_code, row.doc_type) == (
        Source.EDXML,
        "01/KH-PGDĐT",
        "000.00.31.H29",
        "KH",
    )
    assert row.urgency == "thuong_khan" and row.deadline == dt.date(2026, 12, 20) and row.arrival_number == 1
    assert row.attachments.get().name == "phu-luc.pdf"
    SCHEMA.assertValid(
        etree.fromstring(export_document(document, business=doc_rules.BUSINESS_RECALL, reason="Sai"))
    )
    recall = export_document(document, business=doc_rules.BUSINESS_RECALL, reason="Sai số liệu")
    cancelled = import_envelope(actor=office.user(Role.SCHOOL_OFFICE), unit=office.school_a, content=recall)
    assert cancelled.pk == row.pk and cancelled.status == InStatus.CANCELLED


def test_status_messages_carry_the_exchange_codes(office: World) -> None:
    document = _issued_with_file(office)
    copy = Incoming.objects.get(document=document)
    assert b"<edXML:StatusCode>01</edXML:StatusCode>" in status_message(copy)
    copy = services.incoming_register(actor=office.user(Role.SCHOOL_OFFICE), incoming=copy)
    assert (
        f"<edXML:StatusCode>{STATUS_CODE[InStatus.REGISTERED]}</edXML:StatusCode>".encode()
        in status_message(copy)
    )


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"not xml at all", "không phải XML hợp lệ"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "DOCTYPE"),
        (b"<root/>", "không phải gói tin edXML"),
        (b'<e:edXMLEnvelope xmlns:e="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>', "MessageHeader"),
    ],
)
def test_a_broken_envelope_is_refused_in_words(office: World, content: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        import_envelope(actor=office.user(Role.SCHOOL_OFFICE), unit=office.school_a, content=content)
    assert words in str(refused.value)
    assert not Incoming.objects.exists()


def test_the_api_exports_and_imports_envelopes(office: World) -> None:
    import json

    from django.test import Client

    from giaoducso.testing.auth import sign_in

    document = _issued_with_file(office)
    officer = sign_in(Client(), office.user(Role.DEPARTMENT_OFFICER))
    exported = officer.get(f"/api/v1/office/documents/{document.pk}/edxml")
    assert exported.status_code == 200 and exported["Content-Type"].startswith("application/xml")
    clerk = sign_in(Client(), office.user(Role.SCHOOL_OFFICE))
    body = {"envelope": exported.content.decode(), "confirm_duplicate": True}
    imported = clerk.post("/api/v1/office/incoming/edxml", json.dumps(body), content_type="application/json")
    assert imported.status_code == 201 and imported.json()["source"] == "edxml"
    broken = clerk.post(
        "/api/v1/office/incoming/edxml", json.dumps({"envelope": "<x"}), content_type="application/json"
    )
    assert broken.status_code == 422 and "XML" in broken.json()["error"]["message"]

"""The screens: draft with recipients picked by group, approve, issue, the recipient's queue and
registration, the registers with their exports; refusals said in Vietnamese, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory.models import School
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import SchoolFactory
from giaoducso.testing.world import World

from ..models import Attachment, Document, Incoming
from .helpers import issued, setup_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    SchoolFactory(unit=world.school_a, level="lower_secondary")
    SchoolFactory(unit=world.school_b, level="primary")
    return world


def test_the_journey_on_screen(office: World) -> None:
    officer = sign_in(Client(), office.user(Role.DEPARTMENT_OFFICER))
    page = officer.get(reverse("office:document_new"))
    assert page.status_code == 200 and "Soạn văn bản đi" in page.content.decode()
    sent = officer.post(
        reverse("office:document_new"),
        {
            "doc_type": "KH",
            "summary": "Kế hoạch chuyển đổi số",
            "body": "Đoạn một.\n\nĐoạn hai.",
            "urgency": "thuong",
            "groups": ["level:primary"],
            "main_file": SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    document = Document.objects.get()
    assert list(document.recipients.values_list("code", flat=True)) == [office.school_b.code]
    assert Attachment.objects.get().sha256 and document.body == "<p>Đoạn một.</p><p>Đoạn hai.</p>"
    leader = sign_in(Client(), office.user(Role.DEPARTMENT_LEADER))
    leader.post(
        reverse("office:document_action", args=[document.pk, "approve"]), {"signer_title": "Trưởng phòng"}
    )
    officer.post(reverse("office:document_action", args=[document.pk, "issue"]))
    document.refresh_from_db()
    assert document.notation == "01/KH-PGDĐT"
    detail = officer.get(reverse("office:document_detail", args=[document.pk])).content.decode()
    assert "Tình trạng ở nơi nhận" in detail and office.school_b.name in detail


def test_refusals_on_screen(office: World) -> None:
    officer = sign_in(Client(), office.user(Role.DEPARTMENT_OFFICER))
    none = officer.post(
        reverse("office:document_new"), {"doc_type": "CV", "summary": "Về việc", "urgency": "thuong"}
    )
    assert none.status_code == 400 and "ít nhất một nơi nhận" in none.content.decode()
    fake = officer.post(
        reverse("office:document_new"),
        {
            "doc_type": "CV",
            "summary": "Về việc",
            "urgency": "thuong",
            "recipients": [office.school_a.code],
            "main_file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf at all"),
        },
    )
    assert fake.status_code == 400 and "Nội dung tệp không phải loại được nhận" in fake.content.decode()
    assert not Document.objects.exists() and not Attachment.objects.exists()
    draft_id = issued(office).pk
    issue_again = officer.post(reverse("office:document_action", args=[draft_id, "issue"]), follow=True)
    assert "đã được phát hành" in issue_again.content.decode()


def test_the_recipient_registers_and_the_registers_export(office: World) -> None:
    document = issued(office)
    clerk = sign_in(Client(), office.user(Role.SCHOOL_OFFICE))
    home = clerk.get(reverse("office:home")).content.decode()
    assert document.notation in home
    copy = Incoming.objects.get(document=document)
    clerk.post(reverse("office:incoming_action", args=[copy.pk, "register"]))
    again = clerk.post(reverse("office:incoming_action", args=[copy.pk, "register"]), follow=True)
    assert "đã vào sổ với số đến 1" in again.content.decode()
    register = clerk.get(reverse("office:register_incoming")).content.decode()
    assert document.notation in register and "Sổ đăng ký văn bản đến" in register
    xlsx = clerk.get(reverse("office:register_incoming"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    pdf = clerk.get(reverse("office:follow_up"), {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    outgoing = sign_in(Client(), office.user(Role.DEPARTMENT_LEADER)).get(reverse("office:register_outgoing"))
    assert document.notation in outgoing.content.decode()
    assert School.objects.count() == 2


def test_the_home_card_counts_what_waits(office: World) -> None:
    issued(office, urgency="khan")
    body = sign_in(Client(), office.user(Role.SCHOOL_OFFICE)).get("/").content.decode()
    assert "Văn bản chờ xử lý" in body and "1 khẩn" in body
    assert "Văn bản chờ xử lý" not in sign_in(Client(), office.user(Role.TEACHER)).get("/").content.decode()

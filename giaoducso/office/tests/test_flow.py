"""The outgoing and incoming journey through the services: draft, approval, issue with the system's
number, distribution, registration, assignment, reply, recall; and every refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giaoducso.core.models import AuditEntry, Notification
from giaoducso.core.roles import Role
from giaoducso.testing.world import World

from .. import services
from ..models import DocStatus, Incoming, InStatus, NumberCounter, OfficeSettings
from .helpers import draft, issued, setup_office

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    return world


def test_issue_gives_consecutive_numbers_and_the_notation_of_the_decree(office: World) -> None:
    first = issued(office)
    second = issued(office, doc_type="CV", drafting_abbr="TCCB", summary="Về việc báo cáo số liệu")
    assert (first.number, first.notation) == (1, "01/KH-PGDĐT")
    assert (second.number, second.notation) == (2, "02/PGDĐT-TCCB")
    assert first.status == DocStatus.ISSUED and first.org_signature and first.issued_at
    copy = Incoming.objects.get(document=first, unit=office.school_a)
    assert copy.status == InStatus.PENDING and copy.notation == "01/KH-PGDĐT"


def test_the_series_restarts_on_the_first_of_january(office: World) -> None:
    last_of_year = issued(office, now=dt.datetime(2026, 12, 31, 23, 59, tzinfo=HCM))
    issued(office, now=dt.datetime(2026, 12, 31, 23, 59, 30, tzinfo=HCM))
    # 00:30 on 1 January in Hồ Chí Minh City is still 31 December in UTC: the local year decides.
    new_year = issued(office, now=dt.datetime(2027, 1, 1, 0, 30, tzinfo=HCM))
    assert (last_of_year.year, last_of_year.number) == (2026, 1)
    assert (new_year.year, new_year.number, new_year.notation) == (2027, 1, "01/KH-PGDĐT")


def test_per_type_scheme_secret_and_board_series_are_separate(office: World) -> None:
    OfficeSettings.objects.filter(unit=office.department).update(numbering_scheme="per_type")
    plan = issued(office)
    letter = issued(office, doc_type="CV")
    secret = issued(office, is_secret=True)
    board = issued(office, board="HĐTĐKT", doc_type="QĐ")
    plan2 = issued(office)
    assert [d.number for d in (plan, letter, secret, board, plan2)] == [1, 1, 1, 1, 2]
    assert {d.series for d in (plan, letter, secret, board)} == {
        "type:KH",
        "type:CV",
        "secret",
        "board:HĐTĐKT",
    }


def test_issue_without_approval_is_refused_and_takes_no_number(office: World) -> None:
    document = draft(office)
    with pytest.raises(ValidationError) as refused:
        services.document_issue(actor=office.user(Role.DEPARTMENT_OFFICER), document=document)
    assert refused.value.code == "not_approved" and "chưa được lãnh đạo duyệt" in refused.value.messages[0]
    document.refresh_from_db()
    assert document.number is None and document.status == DocStatus.DRAFT
    assert not NumberCounter.objects.exists() and not Incoming.objects.exists()


def test_a_document_without_recipients_is_refused(office: World) -> None:
    with pytest.raises(ValidationError) as refused:
        draft(office, recipients=[])
    assert "ít nhất một nơi nhận" in str(refused.value)
    with pytest.raises(ValidationError):
        draft(office, recipients=["KHONGCO"])


def test_only_the_leader_approves_and_only_the_clerk_issues(office: World) -> None:
    document = draft(office)
    with pytest.raises(PermissionDenied):
        services.document_approve(actor=office.user(Role.DEPARTMENT_OFFICER), document=document)
    services.document_approve(actor=office.user(Role.DEPARTMENT_LEADER), document=document)
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=office.user(Role.DEPARTMENT_IT), document=document)
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=office.user(Role.PRINCIPAL), document=document)


def test_registering_gives_the_arrival_number_once(office: World) -> None:
    document = issued(office)
    copy = Incoming.objects.get(document=document)
    clerk = office.user(Role.SCHOOL_OFFICE)
    registered = services.incoming_register(actor=clerk, incoming=copy)
    assert registered.arrival_number == 1 and registered.receipt_confirmed_at is not None
    with pytest.raises(ValidationError) as twice:
        services.incoming_register(actor=clerk, incoming=copy)
    assert twice.value.code == "already_registered" and "đã vào sổ" in twice.value.messages[0]
    assert Incoming.objects.get(pk=copy.pk).arrival_number == 1


def test_urgent_documents_notify_the_recipients_clerk_at_once(office: World) -> None:
    issued(office, urgency="hoa_toc")
    titles = list(
        Notification.objects.filter(recipient=office.user(Role.SCHOOL_OFFICE)).values_list("title", flat=True)
    )
    assert any(t.startswith("[HỎA TỐC]") for t in titles)


def test_assignment_reply_and_tracking(office: World) -> None:
    document = issued(office)
    copy = services.incoming_register(
        actor=office.user(Role.SCHOOL_OFFICE), incoming=Incoming.objects.get(document=document)
    )
    teacher = office.user(Role.VICE_PRINCIPAL)
    services.incoming_assign(
        actor=office.user(Role.PRINCIPAL),
        incoming=copy,
        lead_user=teacher,
        deadline=dt.date.today() + dt.timedelta(days=3),
    )
    services.note_add(actor=teacher, incoming=copy, text="Đang tổng hợp số liệu")
    reply = services.document_create(
        actor=teacher,
        issuer=office.school_a,
        recipients=[office.department.code],
        doc_type="BC",
        summary="Báo cáo thực hiện kế hoạch",
        answers=copy,
    )
    services.document_approve(actor=office.user(Role.PRINCIPAL), document=reply)
    reply = services.document_issue(actor=office.user(Role.SCHOOL_OFFICE), document=reply)
    copy.refresh_from_db()
    assert copy.status == InStatus.ANSWERED and copy.answered_at is not None
    assert reply.notation == "01/BC-THCSVT"
    # The department receives the report in its own queue.
    assert Incoming.objects.filter(document=reply, unit=office.department).exists()


def test_assigning_to_someone_outside_the_unit_is_refused(office: World) -> None:
    document = issued(office)
    copy = services.incoming_register(
        actor=office.user(Role.SCHOOL_OFFICE), incoming=Incoming.objects.get(document=document)
    )
    with pytest.raises(ValidationError) as refused:
        services.incoming_assign(actor=office.user(Role.PRINCIPAL), incoming=copy, lead_user=office.stranger)
    assert refused.value.code == "outside_unit"
    assert Incoming.objects.get(pk=copy.pk).lead_user is None


def test_recall_cancels_every_copy_and_tells_the_sender(office: World) -> None:
    document = issued(office, recipients=[office.school_a.code, office.school_b.code])
    services.document_recall(
        actor=office.user(Role.DEPARTMENT_OFFICER), document=document, reason="Sai số liệu"
    )
    assert set(Incoming.objects.filter(document=document).values_list("status", flat=True)) == {
        InStatus.CANCELLED
    }
    assert Notification.objects.filter(
        recipient=office.user(Role.DEPARTMENT_LEADER), title__contains="đã hủy"
    ).exists()
    copy = Incoming.objects.get(document=document, unit=office.school_a)
    with pytest.raises(ValidationError):
        services.incoming_register(actor=office.user(Role.SCHOOL_OFFICE), incoming=copy)


def test_replacement_supersedes_the_original_when_issued(office: World) -> None:
    original = issued(office)
    replacement = services.document_follow_up(
        actor=office.user(Role.DEPARTMENT_OFFICER), document=original, kind="replace"
    )
    assert replacement.replaces_id == original.pk and replacement.status == DocStatus.DRAFT
    services.document_approve(actor=office.user(Role.DEPARTMENT_LEADER), document=replacement)
    replacement = services.document_issue(actor=office.user(Role.DEPARTMENT_OFFICER), document=replacement)
    original.refresh_from_db()
    assert original.status == DocStatus.SUPERSEDED
    correcting = services.document_follow_up(
        actor=office.user(Role.DEPARTMENT_OFFICER), document=replacement, kind="correct"
    )
    assert correcting.doc_type == "CV" and correcting.corrects_id == replacement.pk


def test_outside_document_duplicate_is_warned(office: World) -> None:
    clerk = office.user(Role.SCHOOL_OFFICE)
    values = {
        "unit": office.school_a,
        "sender_name": "Sở Giáo dục và Đào tạo",
        "notation": "1161/SGDĐT-QLT",
        "doc_date": dt.date(2026, 11, 20),
        "doc_type": "CV",
        "summary": "Về việc triển khai phần mềm",
    }
    first = services.incoming_register_external(actor=clerk, **values)
    assert first.arrival_number == 1
    with pytest.raises(ValidationError) as refused:
        services.incoming_register_external(
            actor=clerk, **{**values, "sender_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO"}
        )
    assert refused.value.code == "duplicate" and "số đến 1" in str(refused.value)
    assert Incoming.objects.count() == 1
    second = services.incoming_register_external(actor=clerk, allow_duplicate=True, **values)
    assert second.arrival_number == 2


def test_every_open_is_in_the_access_log(office: World) -> None:
    document = issued(office)
    copy = Incoming.objects.get(document=document)
    reader = office.user(Role.PRINCIPAL)
    services.incoming_opened(actor=reader, incoming=copy)
    services.incoming_opened(actor=reader, incoming=copy)
    opens = AuditEntry.objects.filter(object_type="office.incoming", object_id=str(copy.pk), action="view")
    assert opens.count() == 2
    copy.refresh_from_db()
    assert copy.read_at is not None


def test_body_markup_is_sanitised(office: World) -> None:
    document = draft(
        office, body='<p onclick="x()">Xin chào</p><script>alert(1)</script><a href="javascript:x">a</a>'
    )
    assert (
        "script" not in document.body and "onclick" not in document.body and "javascript" not in document.body
    )
    assert "<p>Xin chào</p>" in document.body

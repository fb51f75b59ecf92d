"""The office API: a draft → 201 with its id, approve, issue → number, notation, issued_at; the PDF; the
search; the incoming queue and its registration; and every refusal a clear 422 that changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create
from giaoducso.testing.auth import sign_in
from giaoducso.testing.world import World

from ..models import Document, Incoming
from .helpers import issued, setup_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    return world


def _client(user: Any) -> Client:
    return sign_in(Client(), user)


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_draft_approve_issue_through_the_api(office: World) -> None:
    officer = _client(office.user(Role.DEPARTMENT_OFFICER))
    created = _post(
        officer,
        "/api/v1/office/documents",
        {
            "doc_type": "KH",
            "summary": "Kế hoạch thực hiện nhiệm vụ công nghệ thông tin",
            "body": "Nội dung kế hoạch.",
            "recipients": [office.school_a.code, office.school_b.code],
            "urgency": "khan",
        },
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    leader = _client(office.user(Role.DEPARTMENT_LEADER))
    early = _post(officer, f"/api/v1/office/documents/{pk}/issue")
    assert early.status_code == 422 and early.json()["error"]["code"] == "not_approved"
    assert _post(leader, f"/api/v1/office/documents/{pk}/approve").status_code == 200
    done = _post(officer, f"/api/v1/office/documents/{pk}/issue")
    assert done.status_code == 200
    body = done.json()
    assert body["number"] == 1 and body["notation"] == "01/KH-PGDĐT" and body["issued_at"]
    assert {d["unit"]["code"] for d in body["deliveries"]} == {office.school_a.code, office.school_b.code}
    again = _post(officer, f"/api/v1/office/documents/{pk}/issue")
    assert again.status_code == 422 and again.json()["error"]["code"] == "already_issued"

    pdf = officer.get(f"/api/v1/office/documents/{pk}/pdf")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )

    school = _client(office.user(Role.SCHOOL_OFFICE))
    queue = school.get("/api/v1/office/incoming?status=pending").json()["items"]
    assert [row["notation"] for row in queue] == ["01/KH-PGDĐT"] and queue[0]["urgent"]
    registered = _post(school, f"/api/v1/office/incoming/{queue[0]['id']}/register")
    assert registered.status_code == 200 and registered.json()["arrival_number"] == 1
    twice = _post(school, f"/api/v1/office/incoming/{queue[0]['id']}/register")
    assert twice.status_code == 422 and twice.json()["error"]["code"] == "already_registered"
    assert "đã vào sổ" in twice.json()["error"]["message"]
    tracking = officer.get(f"/api/v1/office/documents/{pk}").json()["deliveries"]
    states = {d["unit"]["code"]: d["status"] for d in tracking}
    assert states == {office.school_a.code: "registered", office.school_b.code: "pending"}


def test_refusals_are_clear_and_change_nothing(office: World) -> None:
    officer = _client(office.user(Role.DEPARTMENT_OFFICER))
    none = _post(
        officer, "/api/v1/office/documents", {"doc_type": "CV", "summary": "Về việc", "recipients": []}
    )
    assert none.status_code == 422 and none.json()["error"]["code"] == "no_recipients"
    assert "nơi nhận" in none.json()["error"]["message"]
    bad_type = _post(
        officer, "/api/v1/office/documents", {"doc_type": "XX", "summary": "a", "recipients": ["TA01"]}
    )
    assert bad_type.status_code == 422
    outside = _post(
        officer, "/api/v1/office/documents", {"doc_type": "CV", "summary": "a", "recipients": ["NOWHERE"]}
    )
    assert outside.status_code == 422 and "NOWHERE" in outside.json()["error"]["message"]
    assert not Document.objects.exists()


def test_a_school_sees_only_what_was_sent_to_it_or_issued_by_it(office: World) -> None:
    to_a = issued(office, recipients=[office.school_a.code])
    to_b = issued(office, recipients=[office.school_b.code], summary="Công văn riêng cho trường B")
    school_a = _client(office.user(Role.PRINCIPAL))
    assert school_a.get(f"/api/v1/office/documents/{to_a.pk}").status_code == 200
    assert school_a.get(f"/api/v1/office/documents/{to_b.pk}").status_code == 404
    assert school_a.get(f"/api/v1/office/documents/{to_b.pk}/pdf").status_code == 404
    listed = {d["id"] for d in school_a.get("/api/v1/office/documents").json()["items"]}
    assert listed == {to_a.pk}
    copy_b = Incoming.objects.get(document=to_b)
    assert school_a.get(f"/api/v1/office/incoming/{copy_b.pk}").status_code == 404
    assert _post(school_a, f"/api/v1/office/incoming/{copy_b.pk}/register").status_code == 404
    # The recipient does not see how the other recipients are doing.
    assert school_a.get(f"/api/v1/office/documents/{to_a.pk}").json()["deliveries"] == []


def test_search_ignores_diacritics_and_scope(office: World) -> None:
    found = issued(office)
    issued(office, summary="Kế hoạch tuyển sinh lớp 6", body="Tuyển sinh")
    hidden = issued(
        office, recipients=[office.school_b.code], summary="Kế hoạch thực hiện nhiệm vụ công nghệ thông tin B"
    )
    school_a = _client(office.user(Role.PRINCIPAL))
    items = school_a.get("/api/v1/office/documents", {"q": "ke hoach cong nghe thong tin"}).json()["items"]
    assert [d["id"] for d in items] == [found.pk]
    department = _client(office.user(Role.DEPARTMENT_LEADER))
    items = department.get("/api/v1/office/documents", {"q": "KẾ HOẠCH công nghe thông"}).json()["items"]
    assert {d["id"] for d in items} == {found.pk, hidden.pk}
    # Query syntax of either engine is only text.
    odd = department.get("/api/v1/office/documents", {"q": 'ke" OR * & ! :* NEAR('}).json()
    assert isinstance(odd["items"], list)


def test_tokens_need_the_office_scopes(office: World) -> None:
    user = office.user(Role.DEPARTMENT_OFFICER)
    _token, raw = api_token_create(actor=None, user=user, name="t", scopes=["office:read"], expires_at=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/office/documents").status_code == 200
    refused = _post(
        client, "/api/v1/office/documents", {"doc_type": "CV", "summary": "a", "recipients": ["TA01"]}
    )
    assert refused.status_code == 403


def test_outside_document_registered_by_hand(office: World) -> None:
    clerk = _client(office.user(Role.SCHOOL_OFFICE))
    body = {
        "sender_name": "Sở Giáo dục và Đào tạo",
        "notation": "1161/SGDĐT-QLT",
        "doc_date": "2026-11-20",
        "doc_type": "CV",
        "summary": "Về việc triển khai phần mềm",
    }
    first = _post(clerk, "/api/v1/office/incoming", body)
    assert first.status_code == 201 and first.json()["arrival_number"] == 1
    duplicate = _post(clerk, "/api/v1/office/incoming", body)
    assert duplicate.status_code == 422 and duplicate.json()["error"]["code"] == "duplicate"
    assert Incoming.objects.count() == 1

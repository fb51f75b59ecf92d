"""Term locks and correction requests on screen: the principal locks and reopens with a reason, a teacher
asks from a locked cell, the principal approves (the mark changes) or refuses with a note."""

import pytest
from django.urls import reverse

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import CorrectionRequest, Mark, Subject, TermLock
from giaoducso.records.services import Cell
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    directory = build_directory(world)
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    gdcd = Subject.objects.get(code="gdcd")
    principal = world.user(Role.PRINCIPAL)
    services.teaching_assign(
        actor=principal, school_class=directory.class_a, subject=gdcd, teacher=directory.teacher_a
    )
    services.mark_set(
        actor=world.user(Role.HOMEROOM_TEACHER),
        school_class=directory.class_a,
        subject=gdcd,
        cell=Cell(world.child.pk, 1, "gk", 1, value="6"),
    )
    return directory, gdcd


def test_the_principal_locks_and_reopens(client, world, setup):
    directory, _gdcd = setup
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("records:locks", args=[world.school_a.code])
    assert client.post(url, {"term": 1, "school_class": directory.class_a.pk}).status_code == 302
    assert client.post(url, {"term": 2, "school_class": ""}).status_code == 302
    page = client.get(url).content.decode()
    assert "Lớp 6/1" in page and "Toàn trường" in page and "Đang khoá" in page
    assert client.post(url, {"term": 3}).status_code == 400
    assert client.post(url, {"term": 1, "school_class": directory.class_b.pk}).status_code == 400
    lock = TermLock.objects.get(term=1)
    reopen = reverse("records:lock_reopen", args=[lock.pk])
    refused = client.post(reopen, {"reason": "  "})
    assert refused.status_code == 400 and "lí do" in refused.content.decode()
    assert client.post(reopen, {"reason": "Nhập thiếu điểm"}).status_code == 302
    lock.refresh_from_db()
    assert lock.reopened_at is not None and lock.reopen_reason == "Nhập thiếu điểm"
    assert AuditEntry.objects.filter(object_type="records.termlock").count() >= 3


def test_a_locked_cell_offers_a_request_the_principal_approves(client, world, setup):
    directory, gdcd = setup
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=1)
    teacher = world.user(Role.HOMEROOM_TEACHER)
    sign_in(client, teacher)
    page = client.get(reverse("records:gradebook", args=[directory.class_a.pk, gdcd.pk])).content.decode()
    assert "Đề nghị sửa" in page
    url = reverse("records:correction_new", args=[directory.class_a.pk, gdcd.pk])
    form = client.get(url, {"student": world.child.pk, "term": 1, "kind": "gk", "index": 1})
    assert form.status_code == 200 and 'value="gk-1" selected' in form.content.decode()
    data = {"student": world.child.pk, "term": 1, "column": "gk-1", "value": "10,5", "reason": "x"}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "0 đến 10" in refused.content.decode()
    data |= {"value": "8,5", "reason": ""}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "lí do" in refused.content.decode()
    assert client.post(url, {**data, "reason": "Chấm nhầm"}).status_code == 302
    request = CorrectionRequest.objects.get()
    client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    listing = client.get(reverse("records:corrections", args=[world.school_a.code])).content.decode()
    assert "Chấm nhầm" in listing and "GK: 8,5" in listing
    decide = reverse("records:correction_detail", args=[request.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    assert Mark.objects.get(student=world.child, kind="gk").value == 8.5
    again = client.post(decide, {"decision": "approve"})
    assert again.status_code == 400 and "đã được xử lí" in again.content.decode()


def test_a_refusal_needs_a_note_and_changes_nothing(client, world, setup):
    directory, gdcd = setup
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=1)
    request = services.correction_request(
        actor=world.user(Role.HOMEROOM_TEACHER),
        school_class=directory.class_a,
        student=world.child,
        term=1,
        change={"target": "mark", "subject": gdcd.pk, "kind": "gk", "index": 1, "value": "9"},
        reason="Nhầm",
    )
    sign_in(client, world.user(Role.PRINCIPAL))
    decide = reverse("records:correction_detail", args=[request.pk])
    assert client.post(decide, {"decision": "reject"}).status_code == 400
    assert client.post(decide, {"decision": "maybe"}).status_code == 400
    assert client.post(decide, {"decision": "reject", "note": "Không có minh chứng"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "rejected" and request.decision_note == "Không có minh chứng"
    assert Mark.objects.get(student=world.child, kind="gk").value == 6


def test_an_open_term_has_no_correction_and_others_get_404(client, world, setup):
    directory, gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:correction_new", args=[directory.class_a.pk, gdcd.pk])
    response = client.post(
        url, {"student": world.child.pk, "term": 1, "column": "gk-1", "value": "7", "reason": "x"}
    )
    assert response.status_code == 400 and "chưa khoá sổ" in response.content.decode()
    for user in (world.user(Role.TEACHER), world.user(Role.PARENT), world.stranger):
        client.logout()
        sign_in(client, user)
        assert client.get(url).status_code in (403, 404)
        assert client.get(reverse("records:locks", args=[world.school_a.code])).status_code in (403, 404)
        assert client.get(reverse("records:corrections", args=[world.school_a.code])).status_code in (
            403,
            404,
        )
    client.logout()
    sign_in(client, world.user(Role.VICE_PRINCIPAL))  # manages teaching, does not close terms
    assert client.get(reverse("records:locks", args=[world.school_a.code])).status_code in (403, 404)
    client.logout()
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.get(reverse("records:locks", args=[world.school_b.code])).status_code == 404
    assert not CorrectionRequest.objects.exists()

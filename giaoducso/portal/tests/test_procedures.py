"""Online procedures: a citizen submits with files, follows by code without an account; the school answers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.portal.models import Procedure, ProcedureRequest, RequestStatus
from giaoducso.portal.services.procedures import normalise_code
from giaoducso.testing.auth import sign_in

from .upload_cases import APPLICANT, PDF

pytestmark = pytest.mark.django_db


def _submit(client, **extra):
    data = {**APPLICANT, "files": [SimpleUploadedFile("don.pdf", PDF)], **extra}
    return client.post(reverse("site:procedure", args=["TA01", "xin-nghi-hoc"]), data)


def test_a_citizen_submits_follows_by_code_and_reads_the_answer(portal, client):
    response = _submit(client)
    assert response.status_code == 302
    request = ProcedureRequest.objects.get()
    assert (
        request.unit == portal.school_a
        and request.files.count() == 1
        and request.status == RequestStatus.RECEIVED
    )
    assert request.due_on > request.submitted_at.date()
    page = client.get(response["Location"]).content.decode()
    assert request.tracking_code in page and "Đã tiếp nhận" in page
    assert "Lê V. C." in page and "Lê Văn Cha" not in page  # the name is masked on the public page
    # The school is told, and answers with a document.
    office = portal.user(Role.SCHOOL_OFFICE)
    assert office.notifications.filter(title__contains="Xin cho học sinh nghỉ học").exists()
    staff = sign_in(Client(), office)
    url = reverse("portal:request", args=["TA01", request.pk])
    assert staff.post(url, {"status": "done", "answer": ""}).status_code == 400  # closing needs an answer
    done = staff.post(
        url, {"status": "done", "answer": "Đồng ý cho nghỉ", "document": SimpleUploadedFile("tl.pdf", PDF)}
    )
    assert done.status_code == 302
    answer = Client().get(reverse("site:lookup"), {"ma": request.tracking_code.lower().replace("-", " ")})
    body = answer.content.decode()
    assert "Đã giải quyết" in body and "Đồng ý cho nghỉ" in body
    document = Client().get(reverse("site:lookup_document", args=[request.tracking_code]))
    assert (
        document.status_code == 200 and document["Content-Security-Policy"] == "default-src 'none'; sandbox"
    )
    assert staff.post(url, {"status": "processing"}).status_code == 400  # closed for good


def test_a_wrong_code_finds_nothing_and_is_logged(portal, client):
    response = client.get(reverse("site:lookup"), {"ma": "HS-AAAAAAAAAA"})
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()
    from giaoducso.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="lookup_failed", object_type="portal.procedurerequest").exists()
    assert normalise_code("hs 23456 789ab") == "HS-23456789AB"


def test_bad_input_is_refused_with_messages_and_stores_nothing(portal, client):
    response = _submit(client, applicant_phone="12")
    body = response.content.decode()
    assert response.status_code == 400 and "Số điện thoại không hợp lệ" in body
    six = [SimpleUploadedFile(f"d{n}.pdf", PDF) for n in range(6)]
    assert _submit(client, files=six).status_code == 400
    assert ProcedureRequest.objects.count() == 0
    # A procedure the school does not handle (the department's) is not there.
    assert client.get(reverse("site:procedure", args=["TA01", "chuyen-truong-ngoai-quan"])).status_code == 404
    assert (
        client.get(reverse("site:procedure", args=["PGD06", "chuyen-truong-ngoai-quan"])).status_code == 200
    )


def test_only_the_units_handlers_see_its_requests(portal, client):
    _submit(client)
    request = ProcedureRequest.objects.get()
    url = reverse("portal:request", args=["TA01", request.pk])
    for role, expected in ((Role.SCHOOL_OFFICE, 200), (Role.PRINCIPAL, 200), (Role.TEACHER, 404), (Role.PORTAL_EDITOR, 404),
                           (Role.DEPARTMENT_OFFICER, 404), (Role.PARENT, 404)):  # fmt: skip
        assert sign_in(Client(), portal.user(role)).get(url).status_code == expected, role
    assert sign_in(Client(), portal.stranger).get(url).status_code == 404
    file = request.files.get()
    assert (
        sign_in(Client(), portal.user(Role.SCHOOL_OFFICE))
        .get(reverse("portal:request_file", args=["TA01", request.pk, file.pk]))
        .status_code
        == 200
    )


def test_the_department_adds_a_blank_form_that_citizens_download(portal, client):
    officer = sign_in(Client(), portal.user(Role.DEPARTMENT_OFFICER))
    procedure = Procedure.objects.get(code="xin-nghi-hoc")
    response = officer.post(
        reverse("portal:procedure_forms"),
        {"procedure": procedure.pk, "title": "Mẫu đơn xin nghỉ", "file": SimpleUploadedFile("mau.pdf", PDF)},
    )
    assert response.status_code == 302
    form = procedure.forms.get()
    page = client.get(reverse("site:procedure", args=["TA01", procedure.code])).content.decode()
    url = reverse("site:procedure_form", args=["TA01", procedure.code, form.pk])
    assert url in page and client.get(url).status_code == 200
    # Not through a unit that does not handle the procedure, nor for a school's staff to add.
    assert (
        client.get(reverse("site:procedure_form", args=["PGD06", procedure.code, form.pk])).status_code == 404
    )
    assert (
        sign_in(Client(), portal.user(Role.PRINCIPAL)).get(reverse("portal:procedure_forms")).status_code
        == 404
    )


def test_guessing_codes_is_slowed_down_for_that_client_only(portal, client, monkeypatch):
    from giaoducso.portal.views import procedures as views

    monkeypatch.setattr(views, "LOOKUP_MAX_FAILURES", 3)
    assert _submit(client).status_code == 302
    real = ProcedureRequest.objects.get().tracking_code
    guesser = Client(REMOTE_ADDR="10.0.0.66")
    for n in range(3):
        assert guesser.get(reverse("site:lookup"), {"ma": f"HS-AAAAAAAAA{n}"}).status_code == 404
    blocked = guesser.get(reverse("site:lookup"), {"ma": real})  # even the right code, until the window ends
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
    assert int(blocked["Retry-After"]) > 0
    other = Client(REMOTE_ADDR="10.0.0.67").get(reverse("site:lookup"), {"ma": real})
    assert other.status_code == 200 and real in other.content.decode()

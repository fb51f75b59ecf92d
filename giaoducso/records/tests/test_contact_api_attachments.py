"""The contact book's API carries the files the pages carry: each message lists its attachments (name, size,
type, a download address that only the student's parents and homeroom teacher reach), and a message can be
sent with files, checked by content like the page's (core.uploads): a refused file stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.records.models import ContactAttachment, Message
from giaoducso.records.services import family as family_services
from giaoducso.records.tests.records_fixtures import build_records
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import GuardianFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def setup(world):
    return build_records(world)


def _url(world):
    return f"/api/v1/records/students/{world.child.pk}/messages"


def test_a_message_s_attachments_are_listed_and_downloaded_by_the_family_and_the_teacher(
    client, world, setup
):
    parent = world.user(Role.PARENT)
    family_services.message_send(
        actor=parent,
        student=world.child,
        body="Giấy khám bệnh",
        attachments=[SimpleUploadedFile("giay-kham.png", PNG)],
    )
    sign_in(client, parent)
    listed = client.get(_url(world))
    assert listed.status_code == 200
    [message] = listed.json()
    [attachment] = message["attachments"]
    stored = ContactAttachment.objects.get()
    assert attachment == {
        "id": stored.pk,
        "name": "giay-kham.png",
        "size": len(PNG),
        "content_type": "image/png",
        "url": f"/api/v1/records/attachments/{stored.pk}",
    }
    download = client.get(attachment["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    assert client.get(attachment["url"]).status_code == 200
    assert client.get(_url(world)).json()[0]["attachments"][0]["id"] == stored.pk
    # The student, a subject teacher, another school's principal, another family: not found.
    stranger = UserFactory()
    GuardianFactory(student=world.other_student_a, user=stranger)
    for user in (
        world.user(Role.STUDENT),
        world.user(Role.TEACHER),
        world.user(Role.PRINCIPAL),
        stranger,
    ):
        sign_in(client, user)
        assert client.get(attachment["url"]).status_code == 404
        assert client.get("/api/v1/records/attachments/999999").status_code == 404


def test_a_message_is_sent_with_a_file_and_a_bad_file_changes_nothing(client, world, setup):
    sign_in(client, world.user(Role.PARENT))
    url = _url(world) + "/with-attachments"
    sent = client.post(
        url,
        {
            "body": "Giấy khám và đơn",
            "attachment": [SimpleUploadedFile("anh.png", PNG), SimpleUploadedFile("don.pdf", PDF)],
        },
    )
    assert sent.status_code == 201, sent.content
    body = sent.json()
    assert body["from_family"] is True
    assert sorted((a["name"], a["content_type"]) for a in body["attachments"]) == [
        ("anh.png", "image/png"),
        ("don.pdf", "application/pdf"),
    ]
    assert AuditEntry.objects.filter(object_type="records.contactattachment").count() == 2
    kept = (Message.objects.count(), ContactAttachment.objects.count())
    for files, code in (
        ([SimpleUploadedFile("anh.png", b"MZ\x90\x00 not a png")], None),
        ([SimpleUploadedFile("anh.png", PDF)], None),
        ([SimpleUploadedFile("a.png", PNG) for _ in range(4)], "too_many"),
        ([SimpleUploadedFile("rong.pdf", b"")], None),
    ):
        refused = client.post(url, {"body": "Ảnh", "attachment": files})
        assert refused.status_code == 422, refused.content
        error = refused.json()["error"]
        assert error["message"] and error["fields"]
        if code:
            assert error["code"] == code
    # A script in the text is refused too, with the file.
    script = client.post(
        url, {"body": "<script>x</script>", "attachment": [SimpleUploadedFile("a.png", PNG)]}
    )
    assert script.status_code == 422 and script.json()["error"]["code"] == "markup"
    # No file at all: this route is for files (the JSON route sends text).
    assert client.post(url, {"body": "Chào cô"}).status_code in (400, 422)
    assert (Message.objects.count(), ContactAttachment.objects.count()) == kept
    # Only the thread's people send: a subject teacher and the student are not found.
    for role in (Role.TEACHER, Role.STUDENT):
        sign_in(client, world.user(role))
        response = client.post(url, {"body": "x", "attachment": [SimpleUploadedFile("a.png", PNG)]})
        assert response.status_code == 404
    assert (Message.objects.count(), ContactAttachment.objects.count()) == kept


def test_one_byte_over_the_attachment_limit_is_refused(client, world, setup, settings, monkeypatch):
    """The upload budget of the API route (tests/test_upload_budget.py names this test)."""
    monkeypatch.setattr(family_services, "ATTACHMENT_MAX_BYTES", len(PNG))
    sign_in(client, world.user(Role.PARENT))
    url = _url(world) + "/with-attachments"
    over = client.post(url, {"body": "x", "attachment": [SimpleUploadedFile("a.png", PNG + b"\x00")]})
    assert over.status_code == 422 and over.json()["error"]["code"] == "too_large"
    assert not Message.objects.exists()
    at = client.post(url, {"body": "x", "attachment": [SimpleUploadedFile("a.png", PNG)]})
    assert at.status_code == 201

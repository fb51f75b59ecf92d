"""The contact book: a parent sees only their own children, a student only themself; leave requests mark
exactly the sessions asked; bad input is refused in Vietnamese and changes nothing."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from giaoducso.core.models import AuditEntry, Notification
from giaoducso.core.roles import Role
from giaoducso.records import services
from giaoducso.records.models import (
    Absence,
    Announcement,
    ContactAttachment,
    LeaveRequest,
    LeaveStatus,
    Message,
    ResultsPublication,
)
from giaoducso.records.services import Cell
from giaoducso.records.services import family as family_services
from giaoducso.records.tests.records_fixtures import build_records
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 16)
TODAY = dt.date(2026, 11, 20)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def setup(world):
    records = build_records(world)
    directory = records.directory
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    for student, value in ((world.child, "8"), (world.other_student_a, "3")):
        services.mark_set(
            actor=homeroom,
            school_class=directory.class_a,
            subject=records.gdcd,
            cell=Cell(student.pk, 1, "tx", 1, value=value, comment=f"Nhận xét {student.full_name}"),
        )
    services.conduct_set(
        actor=homeroom, school_class=directory.class_a, student=world.child, term=1, level=3, comment="Ngoan"
    )
    return records


def _pages(child_pk):
    return [
        reverse("records:family_child", args=[child_pk]),
        reverse("records:family_attendance", args=[child_pk]),
        reverse("records:family_messages", args=[child_pk]),
        reverse("records:family_announcements", args=[child_pk]),
    ]


def _api(child_pk):
    return [
        f"/api/v1/records/family/children/{child_pk}/scores",
        f"/api/v1/records/family/children/{child_pk}/results",
        f"/api/v1/records/family/children/{child_pk}/attendance",
        f"/api/v1/records/family/children/{child_pk}/announcements",
        f"/api/v1/records/family/children/{child_pk}/leave-requests",
        f"/api/v1/records/students/{child_pk}/messages",
    ]


def test_a_parent_reaches_every_page_and_route_of_their_child_only(client, world, setup):
    sign_in(client, world.user(Role.PARENT))
    assert client.get(reverse("records:family_home")).status_code == 302
    for url in _pages(world.child.pk) + _api(world.child.pk):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert world.other_student_a.full_name not in body, url
        assert world.student_b.full_name not in body, url
    for other in (world.other_student_a, world.student_b):
        for url in _pages(other.pk) + _api(other.pk):
            assert client.get(url).status_code == 404, url
    children = client.get("/api/v1/records/family/children").json()
    assert [c["id"] for c in children] == [world.child.pk]


def test_a_student_reads_their_own_pages_but_not_the_parents_thread(client, world, setup):
    sign_in(client, world.user(Role.STUDENT))
    child = world.child.pk
    for url in _pages(child)[:2] + _pages(child)[3:] + _api(child)[:5]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("records:family_messages", args=[child])).status_code == 404
    assert client.get(f"/api/v1/records/students/{child}/messages").status_code == 404
    for url in _pages(world.other_student_a.pk) + _api(world.other_student_a.pk):
        assert client.get(url).status_code == 404, url
    # A student does not ask leave for themself.
    response = client.post(
        reverse("records:family_attendance", args=[child]),
        {"date_from": "16/11/2026", "reason": "Ốm"},
    )
    assert response.status_code == 404 and not LeaveRequest.objects.exists()


def test_staff_without_a_child_find_no_contact_book(client, world, setup):
    for role in (Role.TEACHER, Role.PRINCIPAL):
        sign_in(client, world.user(role))
        assert client.get(reverse("records:family_home")).status_code == 404
        assert client.get(reverse("records:family_child", args=[world.child.pk])).status_code == 404


def test_no_rank_no_class_average_no_other_student(client, world, setup):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    family_services.results_publish(actor=homeroom, school_class=setup.directory.class_a, term=1)
    sign_in(client, world.user(Role.PARENT))
    page = client.get(reverse("records:family_child", args=[world.child.pk])).content.decode()
    assert "Nhận xét Lê Minh Con" in page and "Ngoan" in page
    assert "Nhận xét Phạm Thu Khác" not in page
    for word in ("xếp hạng", "Xếp hạng", "trung bình lớp", "Trung bình lớp", "hạng"):
        assert word not in page
    for url in _api(world.child.pk):
        text = json.dumps(client.get(url).json(), ensure_ascii=False)
        assert "Phạm Thu Khác" not in text and "rank" not in text and "class_average" not in text


def test_publishing_results_tells_the_families(world, setup):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    publication = family_services.results_publish(
        actor=homeroom, school_class=setup.directory.class_a, term=1
    )
    again = family_services.results_publish(actor=homeroom, school_class=setup.directory.class_a, term=1)
    assert again.pk == publication.pk and ResultsPublication.objects.count() == 1
    told = Notification.objects.filter(kind="records_results")
    assert set(told.values_list("recipient_id", flat=True)) == {
        world.user(Role.PARENT).pk,
        world.user(Role.STUDENT).pk,
    }


def test_an_approved_leave_marks_exactly_its_sessions_excused(world, setup):
    parent, homeroom = world.user(Role.PARENT), world.user(Role.HOMEROOM_TEACHER)
    # An unexcused absence already written for the morning: approval makes it excused.
    Absence.objects.create(
        school=world.school_a,
        school_class=setup.directory.class_a,
        student=world.child,
        date=MONDAY,
        session="am",
    )
    leave = family_services.leave_request_create(
        actor=parent, student=world.child, date_from=MONDAY, date_to=MONDAY, reason="Khám răng", today=TODAY
    )
    assert leave.status == LeaveStatus.PENDING and Absence.objects.filter(excused=True).count() == 0
    family_services.leave_decide(actor=homeroom, leave=leave, approve=True)
    rows = sorted(Absence.objects.filter(student=world.child).values_list("date", "session", "excused"))
    assert rows == [(MONDAY, "am", True), (MONDAY, "pm", True)]
    assert Absence.objects.count() == 2
    assert AuditEntry.objects.filter(object_type="records.absence").count() == 2
    assert LeaveRequest.objects.get().status == LeaveStatus.APPROVED
    assert Notification.objects.filter(kind="records_leave", recipient=parent).exists()
    with pytest.raises(Exception, match="đã được xử lí"):
        family_services.leave_decide(actor=homeroom, leave=leave, approve=False)


def test_a_refused_leave_changes_nothing(world, setup):
    leave = family_services.leave_request_create(
        actor=world.user(Role.PARENT),
        student=world.child,
        date_from=MONDAY,
        date_to=MONDAY + dt.timedelta(days=1),
        sessions="am",
        reason="Việc gia đình",
        today=TODAY,
    )
    # A second request for a day already asked is refused while the first is pending.
    with pytest.raises(ValidationError, match="Đã có đơn xin nghỉ"):
        family_services.leave_request_create(
            actor=world.user(Role.PARENT),
            student=world.child,
            date_from=MONDAY,
            date_to=MONDAY,
            reason="Lại",
            today=TODAY,
        )
    family_services.leave_decide(
        actor=world.user(Role.HOMEROOM_TEACHER), leave=leave, approve=False, note="Thi"
    )
    assert not Absence.objects.exists()
    assert LeaveRequest.objects.get().status == LeaveStatus.REFUSED


def test_only_the_homeroom_teacher_decides(world, setup):
    leave = family_services.leave_request_create(
        actor=world.user(Role.PARENT),
        student=world.child,
        date_from=MONDAY,
        date_to=MONDAY,
        reason="Ốm",
        today=TODAY,
    )
    for role in (Role.TEACHER, Role.PARENT, Role.PRINCIPAL):
        with pytest.raises(Exception, match="Chỉ giáo viên chủ nhiệm"):
            family_services.leave_decide(actor=world.user(role), leave=leave, approve=True)
    assert not Absence.objects.exists()


def test_leave_in_a_locked_term_is_refused_with_the_reason(client, world, setup):
    services.term_lock(
        actor=world.user(Role.PRINCIPAL), school=world.school_a, year=setup.directory.year, term=1
    )
    sign_in(client, world.user(Role.PARENT))
    response = client.post(
        reverse("records:family_attendance", args=[world.child.pk]),
        {"date_from": "16/11/2026", "date_to": "16/11/2026", "sessions": "both", "reason": "Ốm"},
    )
    assert response.status_code == 400
    assert "đã khoá sổ" in response.content.decode()
    assert not LeaveRequest.objects.exists()
    api = client.post(
        f"/api/v1/records/family/children/{world.child.pk}/leave-requests",
        {"date_from": "2026-11-16", "date_to": "2026-11-16", "reason": "Ốm"},
        content_type="application/json",
    )
    assert api.status_code == 409 and api.json()["error"]["code"] == "term_locked"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"date_from": "20/11/2026", "date_to": "16/11/2026"}, "Ngày kết thúc nghỉ phải từ ngày bắt đầu"),
        ({"date_from": "16/11/2029", "date_to": "16/11/2029"}, "Chỉ xin nghỉ trước tối đa"),
        ({"date_from": "31/02/2026", "date_to": ""}, "không có thật"),
        ({"date_from": "hôm nay", "date_to": ""}, "không đúng dạng dd/mm/yyyy"),
        ({"date_from": "16/11/2026", "reason": "<script>alert(1)</script>"}, "mã HTML"),
    ],
)
def test_bad_leave_input_is_refused_in_vietnamese(client, world, setup, form, message):
    sign_in(client, world.user(Role.PARENT))
    data = {"sessions": "both", "reason": "Ốm", **form}
    response = client.post(reverse("records:family_attendance", args=[world.child.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (
        not LeaveRequest.objects.exists()
        and not AuditEntry.objects.filter(object_type="records.leaverequest").exists()
    )


def test_messages_both_ways_and_bad_messages_refused(client, world, setup):
    parent, homeroom = world.user(Role.PARENT), world.user(Role.HOMEROOM_TEACHER)
    sign_in(client, parent)
    url = reverse("records:family_messages", args=[world.child.pk])
    response = client.post(url, {"body": "Cháu bị ho, nhờ cô để ý."})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.from_family and message.sender == parent
    assert Notification.objects.filter(kind="records_message", recipient=homeroom).exists()
    # A script, an empty message, a file that is not what it says: refused, nothing stored.
    for data in (
        {"body": "<script>alert('x')</script>"},
        {"body": "   "},
        {"body": "Ảnh", "attachment": SimpleUploadedFile("anh.png", b"MZ\x90\x00 not a png")},
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert "alert alert" not in response.content.decode()
    page = client.post(url, {"body": "Ảnh", "attachment": SimpleUploadedFile("anh.png", b"%PDF-1.4 x")})
    assert (
        "không phải loại được nhận" in page.content.decode() or "nhưng nội dung là" in page.content.decode()
    )
    assert Message.objects.count() == 1 and not ContactAttachment.objects.exists()
    # A good attachment is kept and served to the family and the teacher only.
    client.post(url, {"body": "Giấy khám", "attachment": SimpleUploadedFile("giay.png", PNG)})
    attachment = ContactAttachment.objects.get()
    download = reverse("records:attachment_download", args=[attachment.pk])
    assert client.get(download).status_code == 200
    sign_in(client, world.user(Role.STUDENT))
    assert client.get(download).status_code == 404
    # The teacher answers from the class's contact book; the parent is told.
    sign_in(client, homeroom)
    inbox = client.get(reverse("records:contact_inbox", args=[setup.directory.class_a.pk]))
    assert inbox.status_code == 200 and world.child.full_name in inbox.content.decode()
    thread_url = reverse("records:contact_thread", args=[setup.directory.class_a.pk, world.child.pk])
    assert client.post(thread_url, {"body": "Cô đã biết ạ."}).status_code == 302
    assert Message.objects.filter(from_family=False).count() == 1
    assert Notification.objects.filter(kind="records_message", recipient=parent).exists()
    assert client.get(thread_url).status_code == 200
    assert Message.objects.filter(from_family=True, read_at__isnull=False).count() == 2
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(thread_url).status_code == 404
    assert (
        client.post(
            f"/api/v1/records/students/{world.child.pk}/messages",
            {"body": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_the_api_sends_asks_and_decides(client, world, setup):
    sign_in(client, world.user(Role.PARENT))
    bad = client.post(
        f"/api/v1/records/students/{world.child.pk}/messages",
        {"body": "<img src=x onerror=alert(1)>"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "markup"
    sent = client.post(
        f"/api/v1/records/students/{world.child.pk}/messages",
        {"body": "Chào cô"},
        content_type="application/json",
    )
    assert sent.status_code == 201 and sent.json()["from_family"] is True
    reversed_range = client.post(
        f"/api/v1/records/family/children/{world.child.pk}/leave-requests",
        {"date_from": "2026-11-20", "date_to": "2026-11-16", "reason": "Ốm"},
        content_type="application/json",
    )
    assert reversed_range.status_code == 422 and reversed_range.json()["error"]["code"] == "reversed_range"
    asked = client.post(
        f"/api/v1/records/family/children/{world.child.pk}/leave-requests",
        {"date_from": "2026-11-16", "date_to": "2026-11-16", "sessions": "am", "reason": "Ốm"},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    leave_id = asked.json()["id"]
    assert (
        client.post(
            f"/api/v1/records/leave-requests/{leave_id}/decision",
            {"approve": True},
            content_type="application/json",
        ).status_code
        == 404
    )
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    listed = client.get(f"/api/v1/records/classes/{setup.directory.class_a.pk}/leave-requests").json()
    assert [row["id"] for row in listed] == [leave_id]
    decided = client.post(
        f"/api/v1/records/leave-requests/{leave_id}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    assert list(Absence.objects.values_list("date", "session", "excused")) == [(MONDAY, "am", True)]


def test_announcements_reach_the_class_families(client, world, setup):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    sign_in(client, homeroom)
    inbox = reverse("records:contact_inbox", args=[setup.directory.class_a.pk])
    bad = client.post(inbox, {"action": "announce", "title": "Họp", "body": "<script>x</script>"})
    assert bad.status_code == 400 and not Announcement.objects.exists()
    assert (
        client.post(
            inbox, {"action": "announce", "title": "Họp phụ huynh", "body": "Chủ nhật 8 giờ"}
        ).status_code
        == 302
    )
    assert client.post(inbox, {"action": "publish", "term": "1"}).status_code == 302
    sign_in(client, world.user(Role.PARENT))
    page = client.get(reverse("records:family_announcements", args=[world.child.pk])).content.decode()
    assert "Họp phụ huynh" in page
    assert Notification.objects.filter(
        kind="records_announcement", recipient=world.user(Role.PARENT)
    ).exists()


def test_the_class_pages_a_family_reaches_show_their_child_only(client, world, setup):
    class_a = setup.directory.class_a
    urls = [
        reverse("records:class_detail", args=[class_a.pk]),
        reverse("records:gradebook", args=[class_a.pk, setup.gdcd.pk]),
        reverse("records:summary", args=[class_a.pk]),
        f"/api/v1/records/classes/{class_a.pk}/results",
        f"/api/v1/records/classes/{class_a.pk}/subjects/gdcd",
    ]
    for role in (Role.PARENT, Role.STUDENT):
        sign_in(client, world.user(role))
        for url in urls:
            response = client.get(url)
            if response.status_code == 404:
                continue
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "Phạm Thu Khác" not in body and "Nhận xét Phạm" not in body, url
            assert "Lê Minh Con" in body or "class_id" in body or url.endswith("/"), url


def test_a_parent_of_two_switches_between_them(client, world, setup):
    from giaoducso.testing.factories import GuardianFactory

    parent = world.user(Role.PARENT)
    GuardianFactory(student=setup.pupil, user=parent)  # a second child, in the primary class 5/1
    sign_in(client, parent)
    home = client.get(reverse("records:family_home"))
    assert home.status_code == 200
    body = home.content.decode()
    assert world.child.full_name in body and setup.pupil.full_name in body
    assert world.other_student_a.full_name not in body
    page = client.get(reverse("records:family_child", args=[setup.pupil.pk])).content.decode()
    # The switcher names both children; the page is the younger one's (the primary class's subjects).
    assert 'aria-current="page">Ngô Bé Năm' in page and world.child.full_name in page
    assert "Tiếng Việt" in page and setup.pupil2.full_name not in page
    ids = [c["id"] for c in client.get("/api/v1/records/family/children").json()]
    assert sorted(ids) == sorted([world.child.pk, setup.pupil.pk])

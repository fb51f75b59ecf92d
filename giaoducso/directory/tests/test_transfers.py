import datetime as dt

import pytest
from django.urls import reverse

from giaoducso.core.models import AuditEntry, Notification, UnitKind
from giaoducso.core.roles import Role
from giaoducso.directory import transfers
from giaoducso.directory.models import (
    Enrolment,
    Guardian,
    Student,
    StudentStatus,
    StudentStatusEvent,
    Transfer,
    TransferStatus,
)
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import (
    ClassFactory,
    MembershipFactory,
    SchoolYearFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 1)


@pytest.fixture
def setup(world):
    """School A's child in class 6/1 with an open enrolment; an office clerk at B; a clerk at school C."""
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    klass = ClassFactory(school=world.school_a, year=year, name="6/1")
    child = world.child
    child.current_class = klass
    child.save()
    Enrolment.objects.create(
        school=world.school_a, student=child, year=year, school_class=klass, start_date=dt.date(2026, 9, 5)
    )
    StudentStatusEvent.objects.create(
        school=world.school_a, student=child, status=StudentStatus.STUDYING, date=dt.date(2026, 9, 5)
    )
    office_b = UserFactory(username="office_b", full_name="Văn thư trường B")
    MembershipFactory(user=office_b, unit=world.school_b, role=Role.SCHOOL_OFFICE)
    school_c = UnitFactory(code="TC03", name="Trường THCS Phú Lâm", parent=world.department)
    office_c = UserFactory(username="office_c", full_name="Văn thư trường C")
    MembershipFactory(user=office_c, unit=school_c, role=Role.SCHOOL_OFFICE)
    return {"child": child, "office_b": office_b, "office_c": office_c, "school_c": school_c, "klass": klass}


def request_in(client, setup, world, **overrides):
    data = {
        "personal_id": world.child.personal_id,
        "date_of_birth": world.child.date_of_birth.strftime("%d/%m/%Y"),
        "to_school": world.school_b.pk,
        "step": "request",
        "reason": "Gia đình chuyển nhà",
        "effective_date": DAY.strftime("%d/%m/%Y"),
        **overrides,
    }
    return client.post(reverse("directory:transfer_request_in"), data)


# --- the destination asks ---------------------------------------------------------------------------


def test_find_shows_only_name_and_school(client, world, setup):
    sign_in(client, setup["office_b"])
    response = request_in(client, setup, world, step="find")
    body = response.content.decode()
    assert response.status_code == 200
    assert world.child.full_name in body and world.school_a.name in body
    # Nothing else of the record: no guardian, no class, no address.
    guardian = Guardian.objects.get(student=world.child)
    assert guardian.full_name not in body and guardian.phone not in body and "6/1" not in body
    assert not Transfer.objects.exists()
    assert AuditEntry.objects.filter(
        action="view", object_type="directory.student", object_id=str(world.child.pk), actor=setup["office_b"]
    ).exists()


def test_full_flow_requested_by_destination(client, world, setup):
    child = setup["child"]
    sign_in(client, setup["office_b"])
    response = request_in(client, setup, world)
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/transfers/{transfer.pk}/")
    assert (transfer.from_school, transfer.to_school, transfer.requested_by_school) == (
        world.school_a,
        world.school_b,
        world.school_b,
    )
    assert transfer.status == TransferStatus.PENDING
    # School A's people who can act are told; school B's clerk (the requester) is not.
    principal_a = world.user(Role.PRINCIPAL)
    assert Notification.objects.filter(recipient=principal_a, kind="directory_transfer").exists()
    assert not Notification.objects.filter(recipient=setup["office_b"]).exists()
    # The student is not B's yet.
    assert client.get(reverse("directory:student_detail", args=[child.pk])).status_code == 404

    client.logout()
    sign_in(client, principal_a)
    detail = client.get(reverse("directory:transfer_detail", args=[transfer.pk])).content.decode()
    assert "Duyệt" in detail
    response = client.post(
        reverse("directory:transfer_decide", args=[transfer.pk, "approve"]), {"note": "Đồng ý"}
    )
    assert response.status_code == 302

    child.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED and transfer.decided_by == principal_a
    assert transfer.decision_note == "Đồng ý" and transfer.effective_date == DAY
    assert child.school == world.school_b
    assert child.status == StudentStatus.TRANSFERRED_IN
    assert child.current_class is None
    assert Enrolment.objects.get(student=child).end_date == DAY
    assert list(Guardian.objects.filter(student=child).values_list("school", flat=True)) == [
        world.school_b.pk
    ]
    events = list(
        StudentStatusEvent.objects.filter(student=child).order_by("id").values_list("school", "status")
    )
    assert events == [
        (world.school_a.pk, StudentStatus.STUDYING),
        (world.school_a.pk, StudentStatus.TRANSFERRED_OUT),
        (world.school_b.pk, StudentStatus.TRANSFERRED_IN),
    ]
    assert Notification.objects.filter(recipient=setup["office_b"], title__contains="đã được duyệt").exists()


def test_full_flow_requested_by_source(client, world, setup):
    child = setup["child"]
    principal_a = world.user(Role.PRINCIPAL)
    sign_in(client, principal_a)
    url = reverse("directory:transfer_request_out", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"to_school": world.school_b.pk, "reason": "Theo nguyện vọng gia đình"})
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert transfer.requested_by_school == world.school_a and transfer.requested_by == principal_a
    # Only B decides: a colleague at A cannot approve A's own request.
    vice_a = world.user(Role.VICE_PRINCIPAL)
    with pytest.raises(transfers.TransferError):
        transfers.transfer_approve(actor=vice_a, transfer=transfer)
    assert Notification.objects.filter(recipient=setup["office_b"], kind="directory_transfer").exists()

    client.logout()
    sign_in(client, setup["office_b"])
    incoming = client.get(reverse("directory:transfer_list"), {"direction": "in"}).content.decode()
    assert child.full_name in incoming
    response = client.post(reverse("directory:transfer_decide", args=[transfer.pk, "approve"]), {"note": ""})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.school == world.school_b
    # Without a date in the request, the transfer takes effect on the day it is approved.
    transfer.refresh_from_db()
    assert transfer.effective_date is not None
    assert StudentStatusEvent.objects.filter(
        student=child,
        school=world.school_b,
        status=StudentStatus.TRANSFERRED_IN,
        date=transfer.effective_date,
    ).exists()
    # The new school now opens the record; the old one no longer does.
    assert client.get(reverse("directory:student_detail", args=[child.pk])).status_code == 200
    client.logout()
    sign_in(client, principal_a)
    assert client.get(reverse("directory:student_detail", args=[child.pk])).status_code == 404


def test_history_stays_visible_to_both_sides(client, world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
        effective_date=DAY,
    )
    transfers.transfer_approve(actor=world.user(Role.PRINCIPAL), transfer=transfer)
    url = reverse("directory:transfer_detail", args=[transfer.pk])

    sign_in(client, world.user(Role.TEACHER))  # school A
    body = client.get(url).content.decode()
    assert "Đã duyệt" in body and "Chuyển đi" in body and "Đang học" in body
    outgoing = client.get(reverse("directory:transfer_list"), {"direction": "out"}).content.decode()
    assert world.child.full_name in outgoing
    client.logout()

    sign_in(client, world.stranger)  # a teacher of school B
    body = client.get(url).content.decode()
    assert "Chuyển đến" in body
    # B sees its own line of the history, not A's earlier ones.
    assert "01/10/2026" in body and "05/09/2026" not in body


def test_reject_needs_a_note_and_is_final(client, world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    url = reverse("directory:transfer_decide", args=[transfer.pk, "reject"])
    response = client.post(url, {"note": "  "})
    assert response.status_code == 400 and "Hãy ghi lí do từ chối." in response.content.decode()
    assert client.post(url, {"note": "Hồ sơ chưa đủ"}).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REJECTED and transfer.decision_note == "Hồ sơ chưa đủ"
    setup["child"].refresh_from_db()
    assert setup["child"].school == world.school_a
    response = client.post(reverse("directory:transfer_decide", args=[transfer.pk, "approve"]))
    assert response.status_code == 400
    assert "không thể thay đổi nữa" in response.content.decode()
    assert Notification.objects.filter(recipient=setup["office_b"], title__contains="từ chối").exists()


def test_cancel_by_the_requesting_side_only_and_final(client, world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    with pytest.raises(transfers.TransferError):
        transfers.transfer_cancel(actor=world.user(Role.PRINCIPAL), transfer=transfer)
    transfers.transfer_cancel(actor=setup["office_b"], transfer=transfer)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    with pytest.raises(transfers.TransferError, match="không thể thay đổi"):
        transfers.transfer_approve(actor=world.user(Role.PRINCIPAL), transfer=transfer)
    # A cancelled request no longer blocks a new one.
    again = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    assert again.status == TransferStatus.PENDING


# --- guards ---------------------------------------------------------------------------------------


def test_only_one_pending_transfer_per_student(world, setup):
    transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    with pytest.raises(transfers.TransferError, match="đang có một đề nghị"):
        transfers.transfer_request(
            actor=setup["office_c"],
            student=setup["child"],
            to_school=setup["school_c"],
            requested_by_school=setup["school_c"],
        )
    assert Transfer.objects.count() == 1


def test_same_school_and_non_school_destination_are_refused(world, setup):
    principal_a = world.user(Role.PRINCIPAL)
    with pytest.raises(transfers.TransferError):
        transfers.transfer_request(
            actor=principal_a,
            student=setup["child"],
            to_school=world.school_a,
            requested_by_school=world.school_a,
        )
    assert world.department.kind == UnitKind.DISTRICT_DEPARTMENT
    with pytest.raises(transfers.TransferError):
        transfers.transfer_request(
            actor=principal_a,
            student=setup["child"],
            to_school=world.department,
            requested_by_school=world.school_a,
        )
    assert not Transfer.objects.exists()


def test_requester_cannot_approve_their_own_request(world, setup):
    # A department officer may act for both schools, but never on both sides of the same request.
    officer = world.user(Role.DEPARTMENT_OFFICER)
    transfer = transfers.transfer_request(
        actor=officer, student=setup["child"], to_school=world.school_b, requested_by_school=world.school_b
    )
    with pytest.raises(transfers.TransferError, match="không thể tự duyệt"):
        transfers.transfer_approve(actor=officer, transfer=transfer)
    transfers.transfer_approve(actor=world.user(Role.PRINCIPAL), transfer=transfer)
    assert Transfer.objects.get().status == TransferStatus.APPROVED


def test_without_change_permission_nobody_asks_or_decides(client, world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    teacher_a = world.user(Role.TEACHER)
    sign_in(client, teacher_a)
    # The teacher sees the transfer (it is about their school) but has no buttons and cannot post.
    body = client.get(reverse("directory:transfer_detail", args=[transfer.pk])).content.decode()
    assert 'formaction="' not in body
    response = client.post(reverse("directory:transfer_decide", args=[transfer.pk, "approve"]))
    assert response.status_code == 400
    assert Transfer.objects.get().status == TransferStatus.PENDING
    assert client.get(reverse("directory:transfer_request_in")).status_code == 404
    assert client.get(reverse("directory:transfer_request_out", args=[setup["child"].pk])).status_code == 404


def test_student_is_moved_only_if_still_at_the_source(world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    Student.objects.filter(pk=setup["child"].pk).update(school=setup["school_c"])
    with pytest.raises(transfers.TransferError, match="không còn học ở trường chuyển đi"):
        transfers.transfer_approve(actor=world.user(Role.PRINCIPAL), transfer=transfer)


# --- scoping ----------------------------------------------------------------------------------------


def test_third_school_sees_nothing(client, world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    sign_in(client, setup["office_c"])
    assert client.get(reverse("directory:transfer_detail", args=[transfer.pk])).status_code == 404
    assert client.post(reverse("directory:transfer_decide", args=[transfer.pk, "approve"])).status_code == 404
    assert world.child.full_name not in client.get(reverse("directory:transfer_list")).content.decode()
    # Nor can C send A's student anywhere.
    assert client.get(reverse("directory:transfer_request_out", args=[setup["child"].pk])).status_code == 404
    client.logout()
    sign_in(client, world.nobody)
    assert client.get(reverse("directory:transfer_list")).status_code == 404


def test_department_sees_transfers_of_its_schools(client, world, setup):
    transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    body = client.get(reverse("directory:transfer_list"), {"status": "pending"}).content.decode()
    assert world.child.full_name in body
    body = client.get(reverse("directory:transfer_list"), {"status": "approved"}).content.decode()
    assert world.child.full_name not in body


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"personal_id": "079214999999"}, "Không tìm thấy học sinh"),
        ({"date_of_birth": "18/05/2014"}, "Không tìm thấy học sinh"),
        ({"personal_id": "07921"}, "gồm đúng 12 chữ số"),
        ({"date_of_birth": "31/02/2014"}, "dd/mm/yyyy"),
        ({"to_school": ""}, "Hãy chọn trường chuyển đến"),
    ],
)
def test_bad_input_gives_vietnamese_errors(client, world, setup, overrides, message):
    sign_in(client, setup["office_b"])
    response = request_in(client, setup, world, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Transfer.objects.exists()


def test_asking_for_a_student_of_ones_own_school_is_refused(client, world, setup):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))  # school A
    response = request_in(client, setup, world, to_school=world.school_a.pk)
    assert response.status_code == 400
    assert "Học sinh đang học ở trường này" in response.content.decode()


def test_other_schools_are_not_offered_as_destination_for_a_clerk(client, world, setup):
    sign_in(client, setup["office_b"])
    response = request_in(client, setup, world, to_school=setup["school_c"].pk)
    assert response.status_code == 400
    assert not Transfer.objects.exists()


# --- audit and export -----------------------------------------------------------------------------


def test_approval_is_audited_line_by_line(world, setup):
    transfer = transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
        effective_date=DAY,
    )
    assert AuditEntry.objects.filter(object_type="directory.transfer", action="create").count() == 1
    principal = world.user(Role.PRINCIPAL)
    transfers.transfer_approve(actor=principal, transfer=transfer, note="Đồng ý")
    mine = AuditEntry.objects.filter(actor=principal)
    student_line = mine.get(object_type="directory.student", action="update")
    assert student_line.changes["school"] == [world.school_a.pk, world.school_b.pk]
    assert student_line.changes["current_class"] == [setup["klass"].pk, None]
    assert student_line.changes["status"] == [StudentStatus.STUDYING, StudentStatus.TRANSFERRED_IN]
    assert mine.get(object_type="directory.transfer").changes["status"] == ["pending", "approved"]
    assert mine.filter(object_type="directory.studentstatusevent", action="create").count() == 2
    assert mine.get(object_type="directory.enrolment").changes == {"end_date": [None, DAY.isoformat()]}
    assert mine.get(object_type="directory.guardian").changes["school"] == [
        world.school_a.pk,
        world.school_b.pk,
    ]


def test_transfer_list_export_csv(client, world, setup):
    transfers.transfer_request(
        actor=setup["office_b"],
        student=setup["child"],
        to_school=world.school_b,
        requested_by_school=world.school_b,
    )
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:transfer_export"), {"format": "csv", "direction": "out"})
    text = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and world.child.full_name in text
    assert AuditEntry.objects.filter(action="export", object_type="directory.transfer").exists()
    response = client.get(reverse("directory:transfer_export"), {"format": "xlsx", "direction": "in"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")

"""Corrections by those who answer for the record (issue 8, items 3 and 5): a wrong status line, a wrong
personal identifier; each with a reason, audited, keeping what it replaced."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory import services
from giaoducso.directory.models import PersonalIdChange, StudentStatus, StudentStatusEvent
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import personal_id
from giaoducso.testing.openapi import OpenApiClient

from .test_api_directory import bearer, call, error_of

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def child(world):
    services.student_set_status(
        actor=None, student=world.child, status=StudentStatus.STUDYING, date=dt.date(2026, 9, 5), today=TODAY
    )
    world.child.refresh_from_db()
    return world.child


def test_principal_corrects_a_wrong_status_and_the_previous_one_returns(world, child):
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.DROPPED_OUT, date=dt.date(2026, 11, 1), today=TODAY
    )
    principal = world.user(Role.PRINCIPAL)
    restored = services.student_status_correct(actor=principal, student=child, reason="Nhập nhầm học sinh")
    child.refresh_from_db()
    assert restored.status == StudentStatus.STUDYING and child.status == StudentStatus.STUDYING
    wrong = StudentStatusEvent.objects.get(student=child, status=StudentStatus.DROPPED_OUT)
    assert wrong.corrected_by == principal and wrong.correction_reason == "Nhập nhầm học sinh"
    line = AuditEntry.objects.get(
        object_type="directory.studentstatusevent", object_id=str(wrong.pk), action="update"
    )
    assert "Nhập nhầm học sinh" in line.note and line.actor == principal
    # The corrected line no longer fences later dates.
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.RETURNED, date=dt.date(2026, 10, 1), today=TODAY
    )


def test_a_record_locked_by_a_status_dated_2030_before_the_fix_can_be_unlocked(world, child):
    """Rows written before scheduling existed: the 2030 line stands in the history and fences every date.
    An officer corrects it, and the record takes changes again."""
    StudentStatusEvent.objects.create(
        school=world.school_a, student=child, status=StudentStatus.DROPPED_OUT, date=dt.date(2030, 1, 1)
    )
    type(child).objects.filter(pk=child.pk).update(status=StudentStatus.DROPPED_OUT)
    child.refresh_from_db()
    with pytest.raises(ValidationError):
        services.student_set_status(
            actor=None, student=child, status=StudentStatus.RETURNED, date=TODAY, today=TODAY
        )
    services.student_status_correct(
        actor=world.user(Role.DEPARTMENT_OFFICER), student=child, reason="Ngày nhập sai (2030)"
    )
    child.refresh_from_db()
    assert child.status == StudentStatus.STUDYING
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.RETURNED, date=TODAY, today=TODAY
    )


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICE, Role.VICE_PRINCIPAL, Role.SCHOOL_IT, Role.TEACHER])
def test_only_principal_or_department_officer_may_correct(world, child, role):
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.DROPPED_OUT, date=dt.date(2026, 11, 1), today=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.student_status_correct(actor=world.user(role), student=child, reason="x")
    with pytest.raises(PermissionDenied):
        services.student_personal_id_correct(
            actor=world.user(role), student=child, personal_id=personal_id("M", 2014), reason="x"
        )


def test_nothing_to_correct_and_reason_required(world, child):
    principal = world.user(Role.PRINCIPAL)
    with pytest.raises(ValidationError) as no_reason:
        services.student_status_correct(actor=principal, student=child, reason=" ")
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError, match="trạng thái ban đầu"):
        services.student_status_correct(actor=principal, student=child, reason="x")


def test_status_correction_on_the_screen(client, world, child):
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.DROPPED_OUT, date=dt.date(2026, 11, 1), today=TODAY
    )
    url = reverse("directory:student_status_correct", args=[child.pk])
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    page = client.get(url)
    assert page.status_code == 200 and "Chỉ hiệu trưởng" in page.content.decode()
    assert client.post(url, {"reason": "x"}).status_code == 403
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Nhập nhầm"}).status_code == 302
    child.refresh_from_db()
    assert child.status == StudentStatus.STUDYING
    detail = client.get(reverse("directory:student_detail", args=[child.pk])).content.decode()
    assert "nhập sai, đã sửa" in detail and "Nhập nhầm" in detail


def test_status_correction_through_the_api(world, child):
    services.student_set_status(
        actor=None, student=child, status=StudentStatus.DROPPED_OUT, date=dt.date(2026, 11, 1), today=TODAY
    )
    api = OpenApiClient()
    url = f"/api/v1/students/{child.pk}/status/correct"
    error_of(call(api, "POST", url, bearer(world.user(Role.SCHOOL_OFFICE)), {"reason": "x"}), 403)
    response = call(api, "POST", url, bearer(world.user(Role.PRINCIPAL)), {"reason": "Nhập nhầm"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "studying"
    assert [(e["status"], e["corrected"]) for e in body["status_history"]] == [
        ("studying", False),
        ("dropped_out", True),
    ]


# --- the personal identifier ----------------------------------------------------------------------


def test_principal_corrects_the_identifier_and_its_history_is_kept(world, child):
    old = child.personal_id
    new = personal_id(child.sex, child.date_of_birth.year)
    principal = world.user(Role.PRINCIPAL)
    change = services.student_personal_id_correct(
        actor=principal, student=child, personal_id=new, reason="Cấp lại sau khi cải chính hộ tịch"
    )
    child.refresh_from_db()
    assert child.personal_id == new
    assert (change.previous_id, change.new_id, change.changed_by) == (old, new, principal)
    newer = personal_id(child.sex, child.date_of_birth.year)
    services.student_personal_id_correct(actor=principal, student=child, personal_id=newer, reason="Nhập sai")
    assert list(PersonalIdChange.objects.filter(student=child).values_list("previous_id", flat=True)) == [
        new,
        old,
    ]
    lines = AuditEntry.objects.filter(
        object_type="directory.student", object_id=str(child.pk), action="update"
    )
    assert {tuple(line.changes["personal_id"]) for line in lines if "personal_id" in line.changes} == {
        (old, new),
        (new, newer),
    }


def test_identifier_checks_run_and_the_field_is_named(world, child):
    principal = world.user(Role.PRINCIPAL)
    other_sex = "M" if child.sex == "F" else "F"
    cases = [
        ("12345", "12 chữ số"),
        (personal_id(other_sex, child.date_of_birth.year), "Giới tính"),
        (personal_id(child.sex, child.date_of_birth.year - 1), "Năm sinh"),
        (world.other_student_a.personal_id, "học sinh khác"),
        (child.personal_id, "giống số đang lưu"),
    ]
    for value, message in cases:
        with pytest.raises(ValidationError) as refused:
            services.student_personal_id_correct(
                actor=principal, student=child, personal_id=value, reason="x"
            )
        assert message in " ".join(refused.value.message_dict["personal_id"]), value
    # An unknown province code is a warning, never a refusal.
    unknown = "999" + personal_id(child.sex, child.date_of_birth.year)[3:]
    services.student_personal_id_correct(actor=principal, student=child, personal_id=unknown, reason="x")
    assert not PersonalIdChange.objects.filter(new_id__in=[v for v, _ in cases]).exists()


def test_identifier_screen_and_history_follow_the_privacy_rule(client, world, child):
    principal = world.user(Role.PRINCIPAL)
    old = child.personal_id
    new = personal_id(child.sex, child.date_of_birth.year)
    url = reverse("directory:student_identifier", args=[child.pk])
    sign_in(client, principal)
    assert client.post(url, {"personal_id": "123", "reason": "x"}).status_code == 400
    assert client.post(url, {"personal_id": new, "reason": "Nhập sai khi tạo hồ sơ"}).status_code == 302
    detail = reverse("directory:student_detail", args=[child.pk])
    page = client.get(detail).content.decode()
    assert "Lịch sử số định danh" in page and old in page and "Nhập sai khi tạo hồ sơ" in page
    # A subject teacher sees the pupil's basic fields only: neither number, nor the history.
    sign_in(client, world.user(Role.TEACHER))
    page = client.get(detail).content.decode()
    assert old not in page and new not in page and "Nhập sai khi tạo hồ sơ" not in page
    assert client.get(url).status_code == 404
    # The school office keeps the record: sees the history, cannot correct.
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    page = client.get(url)
    assert (
        page.status_code == 200
        and old in page.content.decode()
        and 'name="personal_id"' not in page.content.decode()
    )
    assert client.post(url, {"personal_id": personal_id("F", 2014), "reason": "x"}).status_code == 403


def test_identifier_correction_through_the_api(world, child):
    api = OpenApiClient()
    old = child.personal_id
    new = personal_id(child.sex, child.date_of_birth.year)
    url = f"/api/v1/students/{child.pk}/personal-id"
    error_of(
        call(api, "POST", url, bearer(world.user(Role.SCHOOL_OFFICE)), {"personal_id": new, "reason": "x"}),
        403,
    )
    officer = bearer(world.user(Role.DEPARTMENT_OFFICER))
    error = error_of(call(api, "POST", url, officer, {"personal_id": "1234", "reason": "x"}), 422)
    assert "personal_id" in error["fields"]
    response = call(api, "POST", url, officer, {"personal_id": new, "reason": "Cấp lại"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["personal_id"] == new
    assert [(h["previous_id"], h["new_id"], h["reason"]) for h in body["personal_id_history"]] == [
        (old, new, "Cấp lại")
    ]
    teacher = call(api, "GET", f"/api/v1/students/{child.pk}", bearer(world.user(Role.TEACHER))).json()
    assert teacher["personal_id_history"] is None and teacher["personal_id"] is None


def test_ward_through_the_api(world, child):
    from giaoducso.core.models import UnitKind
    from giaoducso.testing.factories import UnitFactory

    ward = UnitFactory(kind=UnitKind.WARD, code="PX07", name="Phường 7", parent=world.department)
    type(child).objects.filter(pk=child.pk).update(ward_name="P. Bảy")
    api = OpenApiClient()
    h = bearer(world.user(Role.SCHOOL_OFFICE))
    url = f"/api/v1/students/{child.pk}"
    assert call(api, "GET", url, h).json()["ward_name"] == "P. Bảy"
    error = error_of(call(api, "PATCH", url, h, {"ward_code": "TA01"}), 422)
    assert "ward_code" in error["fields"]
    body = call(api, "PATCH", url, h, {"ward_code": "PX07"}).json()
    assert (body["ward_code"], body["ward_name"]) == ("PX07", "Phường 7")
    child.refresh_from_db()
    assert child.ward == ward and child.ward_name == ""
    body = call(api, "PATCH", url, h, {"ward_code": None}).json()
    assert body["ward_code"] is None
    assert call(api, "GET", url, bearer(world.user(Role.TEACHER))).json()["ward_name"] is None

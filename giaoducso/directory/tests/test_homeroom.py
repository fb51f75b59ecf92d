"""“Lớp của tôi”: a homeroom teacher's classes of the current year with their pupils in name order, the
export of them, and the guardians' phone numbers they keep (screen and API), for their own class only."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory.models import Guardian
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory, GuardianFactory, SchoolYearFactory, StudentFactory
from giaoducso.testing.openapi import OpenApiClient

from .directory_fixtures import build_directory, put_in_class

pytestmark = pytest.mark.django_db


@pytest.fixture
def homeroom(world):
    directory = build_directory(world)
    directory.teacher_a.user = world.user(Role.HOMEROOM_TEACHER)
    directory.teacher_a.save(update_fields=["user"])
    # Names that sort differently by first letter than by creation order.
    world.an = StudentFactory(school=world.school_a, full_name="Bùi Thị An")
    put_in_class(world.an, directory.class_a)
    world.an_guardian = GuardianFactory(student=world.an, full_name="Bùi Văn Ba", phone="0912345678")
    world.other_class = StudentFactory(school=world.school_a, full_name="Đinh Lớp Khác")
    put_in_class(world.other_class, directory.class_a2)
    world.other_guardian = GuardianFactory(student=world.other_class, full_name="Đinh Văn Cha")
    world.b_guardian = GuardianFactory(student=world.student_b, full_name="Võ Văn Bê")
    world.directory = directory
    return world


def _body(response):
    return response.content.decode()


def test_the_menu_offers_it_to_the_homeroom_teacher_only(client, homeroom):
    url = reverse("directory:my_classes")
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    assert url in _body(client.get(reverse("core:home")))
    for role in (Role.TEACHER, Role.PRINCIPAL, Role.PARENT):
        sign_in(client, homeroom.user(role))
        assert url not in _body(client.get(reverse("core:home"))), role
        assert client.get(url).status_code == 404, role


def test_the_page_lists_the_own_class_in_name_order_with_guardians(client, homeroom):
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    body = _body(client.get(reverse("directory:my_classes")))
    names = ["Bùi Thị An", "Lê Minh Con", "Phạm Thu Khác"]  # search_name order (the one ordering helper)
    positions = [body.index(n) for n in names]
    assert positions == sorted(positions)
    assert "Đinh Lớp Khác" not in body and "Võ Thành Bê" not in body
    assert "0912345678" in body
    assert reverse("directory:my_class_guardian_phone", args=[homeroom.an_guardian.pk]) in body
    assert reverse("directory:class_print_pdf", args=[homeroom.directory.class_a.pk]) in body


def test_a_homeroom_teacher_without_a_class_this_year_sees_an_empty_page(client, homeroom):
    last_year = SchoolYearFactory(name="2025-2026")
    old = ClassFactory(school=homeroom.school_a, year=last_year, name="6/9")
    homeroom.directory.class_a.homeroom_teacher = None
    homeroom.directory.class_a.save(update_fields=["homeroom_teacher"])
    old.homeroom_teacher = homeroom.directory.teacher_a
    old.save(update_fields=["homeroom_teacher"])
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    response = client.get(reverse("directory:my_classes"))
    assert response.status_code == 200
    assert "chưa được phân công chủ nhiệm" in _body(response) and "Lê Minh Con" not in _body(response)


def test_the_homeroom_teacher_updates_a_guardians_phone_audited(client, homeroom):
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    url = reverse("directory:my_class_guardian_phone", args=[homeroom.an_guardian.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"phone": "0987 654 321"})
    assert response.status_code == 302 and response["Location"] == reverse("directory:my_classes")
    homeroom.an_guardian.refresh_from_db()
    assert homeroom.an_guardian.phone == "0987654321"
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type="directory.guardian").last()
    assert entry.actor == homeroom.user(Role.HOMEROOM_TEACHER)
    assert entry.object_id == str(homeroom.an_guardian.pk)


def test_a_wrong_or_empty_number_is_refused_in_vietnamese(client, homeroom):
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    url = reverse("directory:my_class_guardian_phone", args=[homeroom.an_guardian.pk])
    response = client.post(url, {"phone": "12ab"})
    assert response.status_code == 400 and "Số điện thoại «12ab» không hợp lệ" in _body(response)
    response = client.post(url, {"phone": ""})
    assert response.status_code == 400 and "Hãy nhập số điện thoại" in _body(response)
    homeroom.an_guardian.refresh_from_db()
    assert homeroom.an_guardian.phone == "0912345678"


def test_another_classes_guardian_is_not_found(client, homeroom):
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    for guardian in (homeroom.other_guardian, homeroom.b_guardian):
        url = reverse("directory:my_class_guardian_phone", args=[guardian.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"phone": "0987654321"}).status_code == 404
    # Nor may the principal use this route: it is the homeroom teacher's, the principal has the record.
    sign_in(client, homeroom.user(Role.PRINCIPAL))
    url = reverse("directory:my_class_guardian_phone", args=[homeroom.an_guardian.pk])
    assert client.post(url, {"phone": "0987654321"}).status_code == 404
    assert set(Guardian.objects.values_list("phone", flat=True)) <= {"0901234567", "0912345678"}


def test_the_export_holds_the_own_class_with_phones(client, homeroom):
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    response = client.get(reverse("directory:my_class_export"))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Bùi Thị An", "Lê Minh Con", "Phạm Thu Khác"]
    an = rows[1]
    assert an[2] == "17/05/2014" and an[5] == homeroom.an.personal_id and "0912345678" in an[7]
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="directory.student").exists()
    # One class by its id; someone else's class gives an empty list, not theirs.
    other = client.get(reverse("directory:my_class_export"), {"lop": homeroom.directory.class_a2.pk})
    assert len(list(load_workbook(io.BytesIO(other.content)).active.iter_rows())) == 1


@pytest.fixture
def api():
    return OpenApiClient()


def test_the_api_lists_the_classes_and_updates_a_phone(api, homeroom):
    sign_in(api, homeroom.user(Role.HOMEROOM_TEACHER))
    classes = api.get("/api/v1/my-classes").json()
    assert [c["name"] for c in classes] == ["6/1"]
    pupils = classes[0]["students"]
    assert [p["full_name"] for p in pupils] == ["Bùi Thị An", "Lê Minh Con", "Phạm Thu Khác"]
    assert pupils[0]["guardians"][0]["phone"] == "0912345678"
    url = f"/api/v1/my-classes/guardians/{homeroom.an_guardian.pk}"
    response = api.patch(url, {"phone": "0987654321"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["phone"] == "0987654321"
    bad = api.patch(url, {"phone": "12"}, content_type="application/json")
    assert bad.status_code == 422 and "phone" in bad.json()["error"]["fields"]
    other = f"/api/v1/my-classes/guardians/{homeroom.other_guardian.pk}"
    assert api.patch(other, {"phone": "0987654321"}, content_type="application/json").status_code == 404
    sign_in(api, homeroom.user(Role.TEACHER))
    assert api.get("/api/v1/my-classes").json() == []


def test_a_pupil_moved_out_of_the_class_is_no_longer_reachable(client, homeroom):
    put_in_class(homeroom.an, homeroom.directory.class_a2)
    sign_in(client, homeroom.user(Role.HOMEROOM_TEACHER))
    url = reverse("directory:my_class_guardian_phone", args=[homeroom.an_guardian.pk])
    assert client.get(url).status_code == 404

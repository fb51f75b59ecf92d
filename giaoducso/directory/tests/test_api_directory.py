"""The directory API: scoping on every route with personal data, writes audited through the services,
bad bodies answered 422 with their fields, and never a 500 whatever the body."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giaoducso.core.models import ApiToken
from giaoducso.core.roles import Role
from giaoducso.core.tokens import SCOPES, api_token_create, usable_scopes
from giaoducso.directory.models import Enrolment, SchoolClass, Sex, Student
from giaoducso.testing.audit import lines_by_people
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import personal_id
from giaoducso.testing.openapi import OpenApiClient

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    """Every API response of these tests is checked against the committed docs/openapi.json."""
    return OpenApiClient()


@pytest.fixture
def directory(world):
    return build_directory(world)


def bearer(user, scopes=None):
    scopes = scopes or sorted(SCOPES)
    token, raw = api_token_create(
        actor=None,
        user=user,
        name="thử",
        scopes=sorted(set(scopes) & usable_scopes(user)) or ["jobs:read"],
        expires_at=None,
    )
    # Every scope asked for, as older tokens may carry: what the user reaches is the roles' decision.
    ApiToken.objects.filter(pk=token.pk).update(scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def call(client, method, url, headers, body=None):
    data = json.dumps(body) if body is not None else None
    return client.generic(method, url, data=data or "", content_type="application/json", **headers)


def error_of(response, status):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["items"]


# --- scoping ------------------------------------------------------------------------------------------


def test_teacher_of_a_reaches_only_school_a(client, world, directory):
    h = bearer(world.user(Role.TEACHER))
    assert [s["code"] for s in items(client.get("/api/v1/schools", **h))] == ["TA01"]
    assert client.get("/api/v1/schools/TA01", **h).status_code == 200
    error_of(client.get("/api/v1/schools/TB02", **h), 404)
    assert {c["name"] for c in items(client.get("/api/v1/classes", **h))} == {"6/1", "6/2"}
    error_of(client.get(f"/api/v1/classes/{directory.class_b.pk}", **h), 404)
    error_of(client.get(f"/api/v1/students/{world.student_b.pk}", **h), 404)
    error_of(client.get(f"/api/v1/students/{world.student_b.pk}/guardians", **h), 404)
    assert [r["name"] for r in items(client.get("/api/v1/rooms", **h))] == ["P.101"]
    assert [e["name"] for e in items(client.get("/api/v1/equipment", **h))] == ["Máy chiếu"]
    # Teachers hold no staff permission at all: the staff list is empty and every record 404.
    assert items(client.get("/api/v1/staff", **h)) == []
    error_of(client.get(f"/api/v1/staff/{directory.teacher_a.pk}", **h), 404)


def test_principal_of_a_gets_404_on_b(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    assert [s["full_name"] for s in items(client.get("/api/v1/staff", **h))] == ["Trần Thị Chủ Nhiệm"]
    error_of(client.get(f"/api/v1/staff/{directory.teacher_b.pk}", **h), 404)
    detail = client.get(f"/api/v1/staff/{directory.teacher_a.pk}", **h).json()
    assert detail["personal_id"] == directory.teacher_a.personal_id
    assert [a["school"]["code"] for a in detail["schools"]] == ["TA01"]


def test_department_sees_both_schools(client, world, directory):
    h = bearer(world.user(Role.DEPARTMENT_OFFICER))
    assert {s["code"] for s in items(client.get("/api/v1/schools", **h))} == {"TA01", "TB02"}
    assert [s["code"] for s in items(client.get("/api/v1/schools?ownership=private", **h))] == ["TB02"]
    assert {c["name"] for c in items(client.get("/api/v1/classes", **h))} == {"6/1", "6/2", "7/1"}
    assert {s["full_name"] for s in items(client.get("/api/v1/staff", **h))} == {
        "Trần Thị Chủ Nhiệm",
        "Đỗ Văn Bê",
    }
    assert client.get(f"/api/v1/staff/{directory.teacher_b.pk}", **h).status_code == 200
    assert client.get(f"/api/v1/classes/{directory.class_b.pk}", **h).json()["student_count"] == 1
    assert len(items(client.get("/api/v1/students", **h))) == 3


def test_student_filters(client, world, directory):
    h = bearer(world.user(Role.DEPARTMENT_OFFICER))
    in_class = items(client.get(f"/api/v1/students?class_id={directory.class_b.pk}", **h))
    assert [s["full_name"] for s in in_class] == ["Võ Thành Bê"]
    assert in_class[0]["current_class"] == {"id": directory.class_b.pk, "name": "7/1"}
    assert items(client.get("/api/v1/students?status=dropped_out", **h)) == []
    assert len(items(client.get("/api/v1/students?status=studying&school=TA01", **h))) == 2
    error_of(client.get("/api/v1/students?status=flying", **h), 422)


def test_parent_sees_only_own_child(client, world, directory):
    h = bearer(world.user(Role.PARENT))
    assert [s["full_name"] for s in items(client.get("/api/v1/students", **h))] == ["Lê Minh Con"]
    detail = client.get(f"/api/v1/students/{world.child.pk}", **h).json()
    assert [e["school_class"]["name"] for e in detail["enrolments"]] == ["6/1"]
    assert len(client.get(f"/api/v1/students/{world.child.pk}/guardians", **h).json()) == 1
    error_of(client.get(f"/api/v1/students/{world.other_student_a.pk}", **h), 404)
    error_of(client.get(f"/api/v1/students/{world.other_student_a.pk}/guardians", **h), 404)
    assert items(client.get("/api/v1/classes", **h)) == []
    assert items(client.get("/api/v1/staff", **h)) == []
    assert items(client.get("/api/v1/schools", **h)) == []
    # A parent may read, never write: the school is out of their reach for changes.
    error_of(call(client, "PATCH", f"/api/v1/students/{world.child.pk}", h, {"full_name": "Đổi"}), 404)


def test_teacher_sees_pupils_but_not_guardians_phones(client, world, directory):
    h = bearer(world.user(Role.TEACHER))
    assert client.get(f"/api/v1/students/{world.child.pk}/guardians", **h).json() == []
    detail = client.get(f"/api/v1/students/{world.child.pk}", **h).json()
    assert detail["personal_id"] is None and detail["status_history"] is None


def test_scopes_are_enforced(client, world, directory):
    user = world.user(Role.PRINCIPAL)
    read_only = bearer(user, ["directory:read", "students:read"])
    error_of(call(client, "PATCH", "/api/v1/schools/TA01", read_only, {"phone": "0901234567"}), 403)
    error_of(client.get("/api/v1/schools", **bearer(user, ["students:read"])), 403)
    assert client.get("/api/v1/school-years", **read_only).json()["items"][0]["name"] == "2026-2027"


# --- writes --------------------------------------------------------------------------------------------


def test_school_patch_audited_and_scoped(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    response = call(
        client, "PATCH", "/api/v1/schools/TA01", h, {"phone": "0283 875 1234", "has_it_staff_position": True}
    )
    assert response.status_code == 200 and response.json()["phone"] == "02838751234"
    entry = lines_by_people().get(object_type="directory.school", action="update")
    assert entry.actor == world.user(Role.PRINCIPAL) and entry.changes["has_it_staff_position"] == [
        False,
        True,
    ]
    error_of(call(client, "PATCH", "/api/v1/schools/TB02", h, {"phone": "0901234567"}), 404)
    error_of(
        call(
            client, "PATCH", "/api/v1/schools/TA01", bearer(world.user(Role.TEACHER)), {"phone": "0901234567"}
        ),
        404,
    )


def test_class_create_and_patch(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    response = call(
        client,
        "POST",
        "/api/v1/classes",
        h,
        {"school": "TA01", "name": "9/3", "room_id": directory.room_a.pk},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["grade"], created["year"], created["room"]["name"]) == (9, "2026-2027", "P.101")
    assert (
        lines_by_people()
        .filter(object_type="directory.schoolclass", action="create", object_id=str(created["id"]))
        .exists()
    )
    fields = error_of(call(client, "POST", "/api/v1/classes", h, {"school": "TA01", "name": "2/1"}), 422)[
        "fields"
    ]
    assert "name" in fields
    fields = error_of(
        call(
            client,
            "PATCH",
            f"/api/v1/classes/{created['id']}",
            h,
            {"homeroom_teacher_id": directory.teacher_b.pk},
        ),
        422,
    )["fields"]
    assert "homeroom_teacher_id" in fields
    ok = call(
        client,
        "PATCH",
        f"/api/v1/classes/{created['id']}",
        h,
        {"homeroom_teacher_id": directory.teacher_a.pk},
    )
    assert ok.json()["homeroom_teacher"]["full_name"] == "Trần Thị Chủ Nhiệm"
    error_of(call(client, "POST", "/api/v1/classes", h, {"school": "TB02", "name": "9/3"}), 404)
    error_of(call(client, "PATCH", f"/api/v1/classes/{directory.class_b.pk}", h, {"name": "7/2"}), 404)


def test_student_lifecycle_through_the_api(client, world, directory):
    h = bearer(world.user(Role.SCHOOL_OFFICE))
    body = {
        "school": "TA01",
        "personal_id": personal_id(Sex.MALE, 2014),
        "full_name": "Ngô Văn Mới",
        "date_of_birth": "2014-04-01",
        "sex": "M",
        "class_id": directory.class_a.pk,
        "start_date": "2026-09-05",
    }
    response = call(client, "POST", "/api/v1/students", h, body)
    assert response.status_code == 201, response.content
    student_id = response.json()["id"]
    assert response.json()["status_history"] == [
        {"status": "studying", "date": "2026-09-05", "note": "", "corrected": False, "correction_reason": ""}
    ]
    moved = call(
        client,
        "POST",
        f"/api/v1/students/{student_id}/class",
        h,
        {"class_id": directory.class_a2.pk, "date": "2026-10-01"},
    )
    assert moved.status_code == 200 and moved.json()["current_class"]["name"] == "6/2"
    assert Enrolment.objects.filter(student_id=student_id).count() == 2
    status = call(
        client,
        "POST",
        f"/api/v1/students/{student_id}/status",
        h,
        {"status": "transferred_out", "date": "2026-11-01"},
    )
    assert [e["status"] for e in status.json()["status_history"]] == ["studying", "transferred_out"]
    guardian = call(
        client,
        "POST",
        f"/api/v1/students/{student_id}/guardians",
        h,
        {"full_name": "Ngô Thị Mẹ", "phone": "0912345678"},
    )
    assert guardian.status_code == 201 and guardian.json()["is_primary"]
    gid = guardian.json()["id"]
    assert (
        call(client, "PATCH", f"/api/v1/students/{student_id}/guardians/{gid}", h, {"relation": "Mẹ"}).json()[
            "relation"
        ]
        == "Mẹ"
    )
    assert call(client, "DELETE", f"/api/v1/students/{student_id}/guardians/{gid}", h).status_code == 204
    patched = call(client, "PATCH", f"/api/v1/students/{student_id}", h, {"ethnicity": "Hoa"})
    # A name of the list is stored as its code and answered with both.
    assert (patched.json()["ethnicity"], patched.json()["ethnicity_name"]) == ("04", "Hoa")
    actions = set(
        lines_by_people().filter(actor=world.user(Role.SCHOOL_OFFICE)).values_list("object_type", "action")
    )
    assert {
        ("directory.student", "create"),
        ("directory.student", "update"),
        ("directory.enrolment", "create"),
        ("directory.studentstatusevent", "create"),
        ("directory.guardian", "create"),
        ("directory.guardian", "update"),
        ("directory.guardian", "delete"),
    } <= actions


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sex": "F"}, "sex"),
        ({"date_of_birth": "2013-04-01"}, "date_of_birth"),
        ({"personal_id": "12345"}, "personal_id"),
        ({"sex": "X"}, "sex"),
        ({"date_of_birth": "2014-02-30"}, "date_of_birth"),
        ({"class_id": 0}, "class_id"),
        ({"nickname": "Bé"}, "nickname"),
        ({"ministry_code": "abc"}, "ministry_code"),
        ({"full_name": None}, "full_name"),
    ],
)
def test_bad_student_bodies_are_422_with_fields(client, world, directory, overrides, field):
    h = bearer(world.user(Role.PRINCIPAL))
    body = {
        "school": "TA01",
        "personal_id": personal_id(Sex.MALE, 2014),
        "full_name": "A B",
        "date_of_birth": "2014-04-01",
        "sex": "M",
    }
    body.update(overrides)
    error = error_of(call(client, "POST", "/api/v1/students", h, body), 422)
    assert field in error["fields"], error
    assert not Student.objects.filter(full_name="A B").exists()
    assert not lines_by_people().filter(object_type="directory.student").exists()


def test_class_of_another_school_is_refused_for_a_student(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    error = error_of(
        call(
            client, "POST", f"/api/v1/students/{world.child.pk}/class", h, {"class_id": directory.class_b.pk}
        ),
        422,
    )
    assert "class_id" in error["fields"]
    error_of(
        call(
            client,
            "POST",
            f"/api/v1/students/{world.student_b.pk}/class",
            h,
            {"class_id": directory.class_a.pk},
        ),
        404,
    )


def test_patch_null_and_unknown_fields_are_named(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    fields = error_of(
        call(client, "PATCH", f"/api/v1/staff/{directory.teacher_a.pk}", h, {"full_name": None, "salary": 1}),
        422,
    )["fields"]
    assert "salary" in fields
    fields = error_of(
        call(client, "PATCH", f"/api/v1/staff/{directory.teacher_a.pk}", h, {"full_name": None}), 422
    )["fields"]
    assert "full_name" in fields


def test_staff_rooms_equipment_writes(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    staff_body = {
        "school": "TA01",
        "personal_id": personal_id(Sex.MALE, 1990),
        "full_name": "Lý Văn Sử",
        "sex": "M",
        "date_of_birth": "1990-01-01",
    }
    created = call(client, "POST", "/api/v1/staff", h, staff_body)
    assert created.status_code == 201 and created.json()["schools"][0]["is_main"]
    error_of(call(client, "POST", "/api/v1/staff", h, {**staff_body, "school": "TB02"}), 404)
    assert (
        "sex"
        in error_of(
            call(
                client,
                "POST",
                "/api/v1/staff",
                h,
                {**staff_body, "sex": "F", "personal_id": personal_id(Sex.MALE, 1990)},
            ),
            422,
        )["fields"]
    )
    room = call(
        client,
        "POST",
        "/api/v1/rooms",
        h,
        {"school": "TA01", "kind": "library", "name": "Thư viện", "area_m2": "48.5"},
    )
    assert room.status_code == 201 and room.json()["area_m2"] == 48.5
    assert (
        "name"
        in error_of(
            call(
                client, "POST", "/api/v1/rooms", h, {"school": "TA01", "kind": "library", "name": "thư viện"}
            ),
            422,
        )["fields"]
    )
    assert (
        call(client, "PATCH", f"/api/v1/rooms/{room.json()['id']}", h, {"area_m2": None}).json()["area_m2"]
        is None
    )
    item = call(
        client,
        "POST",
        "/api/v1/equipment",
        h,
        {"school": "TA01", "name": "Tivi", "quantity": 2, "room_id": room.json()["id"]},
    )
    assert item.status_code == 201 and item.json()["room"]["name"] == "Thư viện"
    assert (
        "room_id"
        in error_of(
            call(
                client,
                "POST",
                "/api/v1/equipment",
                h,
                {"school": "TA01", "name": "Tivi", "room_id": directory.room_b.pk},
            ),
            422,
        )["fields"]
    )
    assert (
        call(client, "PATCH", f"/api/v1/equipment/{item.json()['id']}", h, {"quantity": 3}).json()["quantity"]
        == 3
    )
    error_of(call(client, "PATCH", f"/api/v1/equipment/{directory.equipment_b.pk}", h, {"quantity": 3}), 404)
    error_of(call(client, "PATCH", f"/api/v1/rooms/{directory.room_b.pk}", h, {"name": "X"}), 404)
    types = set(
        lines_by_people().filter(actor=world.user(Role.PRINCIPAL)).values_list("object_type", flat=True)
    )
    assert {"directory.staff", "directory.staffassignment", "directory.room", "directory.equipment"} <= types


def test_session_writes_need_csrf(world, directory):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    sign_in(browser, world.user(Role.PRINCIPAL))
    response = browser.generic(
        "PATCH", "/api/v1/schools/TA01", json.dumps({"phone": "0901234567"}), content_type="application/json"
    )
    assert response.status_code == 403
    assert not lines_by_people().filter(object_type="directory.school").exists()


def test_lists_have_no_n_plus_one(client, world, directory, django_assert_max_num_queries):
    h = bearer(world.user(Role.DEPARTMENT_OFFICER))
    for n in range(2, 10):
        SchoolClass.objects.create(
            school=world.school_a,
            year=directory.year,
            grade=7,
            name=f"7/{n}",
            homeroom_teacher=directory.teacher_a,
        )
    for url in (
        "/api/v1/schools",
        "/api/v1/classes",
        "/api/v1/staff",
        "/api/v1/rooms",
        "/api/v1/equipment",
        "/api/v1/students",
    ):
        client.get(url, **h)
        with django_assert_max_num_queries(6):
            assert client.get(url, **h).status_code == 200


def test_openapi_lists_the_directory_routes(client):
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    assert sorted(paths["/api/v1/classes/{class_id}"]) == ["get", "patch"]
    assert sorted(paths["/api/v1/students/{student_id}/guardians/{guardian_id}"]) == ["delete", "patch"]
    assert "/api/v1/school-years" in paths and "/api/v1/equipment/{equipment_id}" in paths


# --- never a 500 ---------------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=8,
)
_field_names = st.sampled_from(
    [
        "school",
        "personal_id",
        "full_name",
        "date_of_birth",
        "sex",
        "class_id",
        "name",
        "room_id",
        "homeroom_teacher_id",
        "kind",
        "area_m2",
        "quantity",
        "status",
        "date",
        "note",
        "phone",
        "email",
        "year",
        "ward_code",
        "level",
    ]
)
_values = st.one_of(
    _json,
    st.sampled_from(
        ["TA01", "TB02", "6/1", "2014-04-01", "M", "F", "0901234567", "\x00", "9" * 40, "-1", "1e9"]
    ),
    st.integers(min_value=-(2**70), max_value=2**70),
)
_bodies = st.one_of(st.dictionaries(_field_names, _values, max_size=6), _json)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(
        [
            ("POST", "/api/v1/students"),
            ("PATCH", "/api/v1/students/{child}"),
            ("POST", "/api/v1/students/{child}/class"),
            ("POST", "/api/v1/students/{child}/status"),
            ("POST", "/api/v1/students/{child}/guardians"),
            ("POST", "/api/v1/classes"),
            ("PATCH", "/api/v1/classes/{cls}"),
            ("PATCH", "/api/v1/schools/TA01"),
            ("POST", "/api/v1/staff"),
            ("PATCH", "/api/v1/staff/{staff}"),
            ("POST", "/api/v1/rooms"),
            ("PATCH", "/api/v1/rooms/{room}"),
            ("POST", "/api/v1/equipment"),
        ]
    ),
    body=_bodies,
)
def test_random_bodies_never_500(client, world, directory, route, body):
    method, template = route
    url = template.format(
        child=world.child.pk, cls=directory.class_a.pk, staff=directory.teacher_a.pk, room=directory.room_a.pk
    )
    headers = bearer(world.user(Role.PRINCIPAL))
    response = client.generic(method, url, data=json.dumps(body), content_type="application/json", **headers)
    assert response.status_code < 500, (method, url, body, response.content)
    if response.status_code >= 400:
        error_of(response, response.status_code)

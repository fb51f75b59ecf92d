"""The OpenAPI document says what the server accepts: each case here was once valid by the document and
refused by the server (or the reverse), found by schemathesis (tests/test_api_fuzz.py). For every body,
the committed document and the server must agree: documented-valid ⇔ not answered 422."""

import json

import pytest
from jsonschema import Draft202012Validator

from giaoducso.core.roles import Role
from giaoducso.directory.models import Room
from giaoducso.testing.openapi import OpenApiClient, document

from .directory_fixtures import build_directory
from .test_api_directory import bearer, call, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return OpenApiClient()


@pytest.fixture
def directory(world):
    return build_directory(world)


def documented_valid(method, template, body):
    operation = document()["paths"][template][method.lower()]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document()["components"]})
    return validator.is_valid(body)


def query_schema(template, name):
    parameters = document()["paths"][template]["get"]["parameters"]
    schema = next(p["schema"] for p in parameters if p["name"] == name)
    return Draft202012Validator({**schema, "components": document()["components"]})


CASES = [
    # (method, template, body, documented and accepted?)
    ("PATCH", "/api/v1/rooms/{room_id}", {"condition": None}, False),
    ("PATCH", "/api/v1/rooms/{room_id}", {"kind": None}, False),
    ("PATCH", "/api/v1/rooms/{room_id}", {"area_m2": None}, True),  # null clears the area
    ("PATCH", "/api/v1/rooms/{room_id}", {"area_m2": 12.34}, True),  # kept as 12.3, not refused
    ("PATCH", "/api/v1/rooms/{room_id}", {"area_m2": ""}, False),
    ("PATCH", "/api/v1/rooms/{room_id}", {"area_m2": 123456789}, False),
    ("PATCH", "/api/v1/rooms/{room_id}", {"name": "   "}, False),
    ("PATCH", "/api/v1/equipment/{equipment_id}", {"name": ""}, False),
    ("PATCH", "/api/v1/equipment/{equipment_id}", {"quantity": None}, False),
    ("PATCH", "/api/v1/equipment/{equipment_id}", {"room_id": None}, True),
    ("PATCH", "/api/v1/students/{student_id}", {"sex": None}, False),
    ("PATCH", "/api/v1/students/{student_id}", {"full_name": "\u3000"}, False),
    ("PATCH", "/api/v1/students/{student_id}", {"date_of_birth": "1899-12-31"}, False),
    ("PATCH", "/api/v1/students/{student_id}", {"date_of_birth": 0}, False),  # not a Unix timestamp
    ("PATCH", "/api/v1/students/{student_id}", {"ministry_code": "٠١٢٣٤٥٦٧٨٩"}, False),
    ("PATCH", "/api/v1/students/{student_id}/guardians/{guardian_id}", {"is_primary": None}, False),
    ("PATCH", "/api/v1/students/{student_id}/guardians/{guardian_id}", {"relation": " "}, False),
    ("PATCH", "/api/v1/students/{student_id}/guardians/{guardian_id}", {"phone": "0901234567"}, True),
    ("PATCH", "/api/v1/staff/{staff_id}", {"status": None}, False),
    ("PATCH", "/api/v1/staff/{staff_id}", {"email": "co.giao@truong.edu.vn"}, True),
    ("PATCH", "/api/v1/schools/{code}", {"principal_name": "Cô\x00Hiệu"}, False),
    ("PATCH", "/api/v1/schools/{code}", {"website": "https://thcs-vanthan.edu.vn/gioi-thieu"}, True),
    ("PATCH", "/api/v1/schools/{code}", {"ward_code": None}, True),
    ("PATCH", "/api/v1/classes/{class_id}", {"name": None}, False),
    ("PATCH", "/api/v1/classes/{class_id}", {"name": "6/3"}, True),
    ("POST", "/api/v1/students/{student_id}/status", {"status": "studying", "date": "0496-04-09"}, False),
    ("POST", "/api/v1/students/{student_id}/status", {"status": "studying", "date": 0}, False),
    # fields that other branches added beside the schema work: code lists, required reasons and phone
    ("PATCH", "/api/v1/students/{student_id}", {"birth_province": "096"}, False),  # not a province code
    ("PATCH", "/api/v1/students/{student_id}", {"birth_province": "01", "ethnicity": "02"}, True),
    ("PATCH", "/api/v1/students/{student_id}", {"father_birth_year": None}, True),  # null clears it
    ("PATCH", "/api/v1/students/{student_id}", {"ward_code": None}, True),
    ("PATCH", "/api/v1/staff/{staff_id}", {"qualification": "0"}, False),
    ("PATCH", "/api/v1/staff/{staff_id}", {"qualification": "THS", "position": "GV"}, True),
    ("POST", "/api/v1/students/{student_id}/status/correct", {"reason": " "}, False),
    (
        "POST",
        "/api/v1/students/{student_id}/personal-id",
        {"personal_id": "001214000001", "reason": ""},
        False,
    ),
    ("PATCH", "/api/v1/my-classes/guardians/{guardian_id}", {"phone": ""}, False),
]


@pytest.mark.parametrize(("method", "template", "body", "accepted"), CASES)
def test_document_and_server_agree(client, world, directory, method, template, body, accepted):
    guardian = world.child.guardians.first()
    url = template.format(
        room_id=directory.room_a.pk,
        equipment_id=directory.equipment_a.pk,
        student_id=world.child.pk,
        guardian_id=guardian.pk,
        staff_id=directory.teacher_a.pk,
        code="TA01",
        class_id=directory.class_a2.pk,
    )
    assert documented_valid(method, template, body) is accepted
    response = call(client, method, url, bearer(world.user(Role.PRINCIPAL)), body)
    if accepted:
        assert response.status_code == 200, response.content
    else:
        fields = error_of(response, 422)["fields"]
        assert fields and set(fields) <= set(body), fields


def test_null_is_refused_by_name_and_an_area_is_rounded(client, world, directory):
    h = bearer(world.user(Role.PRINCIPAL))
    url = f"/api/v1/rooms/{directory.room_a.pk}"
    refused = error_of(call(client, "PATCH", url, h, {"condition": None}), 422)
    assert refused["fields"] == {"condition": ["Không được để trống (null)."]}
    assert call(client, "PATCH", url, h, {"area_m2": 48.46}).json()["area_m2"] == 48.5
    assert str(Room.objects.get(pk=directory.room_a.pk).area_m2) == "48.5"


def test_dates_are_iso_days_within_bounds(client, world):
    h = bearer(world.user(Role.DEPARTMENT_OFFICER))
    documented = query_schema("/api/v1/audit", "date_from")
    for value, ok in [("0", False), ("20260101", False), ("1899-12-31", False), ("2026-09-05", True)]:
        assert documented.is_valid(value) is ok
        response = client.get(f"/api/v1/audit?date_from={value}", **h)
        assert response.status_code == (200 if ok else 422), (value, response.content)


def test_nul_in_the_address_is_a_documented_400(client, world, directory):
    h = bearer(world.user(Role.DEPARTMENT_OFFICER))
    assert "400" in document()["paths"]["/api/v1/classes"]["get"]["responses"]
    assert not query_schema("/api/v1/classes", "q").is_valid("6\x00")
    error_of(client.get("/api/v1/classes?q=6%00", **h), 400)


def test_patch_schemas_are_nullable_only_where_null_clears(client):
    schemas = document()["components"]["schemas"]
    nullable = {
        name: sorted(
            field
            for field, prop in schemas[name]["properties"].items()
            if any(part.get("type") == "null" for part in prop.get("anyOf", []))
        )
        for name in schemas
        if name.endswith("Patch")
    }
    assert nullable == {
        "AdmissionCampaignPatch": [],
        "ClassPatch": ["homeroom_teacher_id", "room_id"],
        "EquipmentPatch": ["room_id"],
        "GuardianPatch": [],
        "RoomPatch": ["area_m2"],
        "SchoolPatch": ["ward_code"],
        "StaffPatch": [],
        # Null clears what the Ministry's sheet may leave unknown (a parent's birth year: 0 or "" would
        # be a wrong year, not none) and the ward of the address, like ClassPatch's room.
        "StudentPatch": ["father_birth_year", "mother_birth_year", "ward_code"],
    }
    assert not any("default" in prop for name in nullable for prop in schemas[name]["properties"].values()), (
        "a PATCH field offers a default the server does not apply"
    )


def test_lone_surrogate_in_a_body_is_422_not_500(client, world, directory):
    # json.dumps escapes it as \ud800, which JSON parsers turn back into a lone surrogate.
    raw = json.dumps({"full_name": "Nguyễn \ud800 An"})
    response = client.generic(
        "PATCH",
        f"/api/v1/students/{world.child.pk}",
        data=raw,
        content_type="application/json",
        **bearer(world.user(Role.PRINCIPAL)),
    )
    assert error_of(response, 422)["fields"] == {"full_name": ["Chứa ký tự không hợp lệ."]}

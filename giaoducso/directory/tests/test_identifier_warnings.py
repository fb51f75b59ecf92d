"""Issue 8.12: an unknown code in digits 1–3 of the personal identifier (a birth registered abroad carries a
country code) is a warning on the quality board, never a reason to refuse a row, a form or an API body."""

import json

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory import quality
from giaoducso.directory.importing.service import run_import
from giaoducso.directory.models import Sex, Student
from giaoducso.directory.quality import Kind
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import personal_id
from rules.identifiers import century_sex_digit

from .directory_fixtures import build_directory
from .import_helpers import setup_directory, student_row, write_csv

pytestmark = pytest.mark.django_db

# 704 is Vietnam's ISO numeric code, not a province code: a plausible code of a birth registered abroad.
ABROAD = "704"


def abroad_id(sex: str, year: int, serial: int) -> str:
    return f"{ABROAD}{century_sex_digit(sex, year)}{year % 100:02d}{serial:06d}"


def test_import_accepts_a_country_code_with_a_warning(world, tmp_path):
    setup_directory(world)
    pid = abroad_id("M", 2014, 42)
    path = write_csv(tmp_path / "hs.csv", [student_row(1, ma_dinh_danh=pid)])
    result = run_import(kind="students", path=path, actor="test")
    assert result.ok, result.errors
    assert Student.objects.filter(personal_id=pid).exists()
    assert [(w.row, w.column, w.value) for w in result.warnings if w.column == "ma_dinh_danh"] == [
        (2, "ma_dinh_danh", pid)
    ]


def test_import_still_refuses_a_sex_disagreement(world, tmp_path):
    setup_directory(world)
    pid = abroad_id("F", 2014, 43)  # digit 4 says female, the row says Nam
    path = write_csv(tmp_path / "hs.csv", [student_row(1, ma_dinh_danh=pid)])
    result = run_import(kind="students", path=path, actor="test")
    assert not result.ok
    assert [(p.column) for p in result.errors] == ["gioi_tinh"]


def test_form_accepts_a_country_code(client, world):
    build_directory(world)
    sign_in(client, world.user(Role.PRINCIPAL))
    pid = abroad_id("F", 2014, 44)
    data = {"personal_id": pid, "full_name": "Trần Thị Kiều", "date_of_birth": "02/03/2014", "sex": "F"}
    response = client.post(reverse("directory:student_create", args=["TA01"]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Student.objects.filter(personal_id=pid).exists()


def test_api_accepts_a_country_code(client, world):
    from giaoducso.testing.openapi import OpenApiClient

    from .test_api_directory import bearer

    directory = build_directory(world)
    api = OpenApiClient()
    body = {
        "school": "TA01",
        "personal_id": abroad_id("M", 2014, 45),
        "full_name": "Ngô Văn Kiều",
        "date_of_birth": "2014-04-01",
        "sex": "M",
        "class_id": directory.class_a.pk,
    }
    headers = bearer(world.user(Role.SCHOOL_OFFICE))
    response = api.post("/api/v1/students", data=json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 201, response.content


def test_quality_board_shows_the_warning(client, world, tmp_path):
    setup_directory(world)
    pid = abroad_id("M", 2014, 46)
    run_import(
        kind="students", path=write_csv(tmp_path / "hs.csv", [student_row(1, ma_dinh_danh=pid)]), actor="t"
    )
    listed = list(quality.school_problems(world.school_a, kind=Kind.UNKNOWN_PROVINCE))
    assert [p.record for p in listed] == ["Nguyễn Văn An 1"]
    assert ABROAD in listed[0].message
    sign_in(client, world.user(Role.PRINCIPAL))
    body = client.get(reverse("directory:quality_school", args=["TA01"]), {"kind": Kind.UNKNOWN_PROVINCE})
    assert "Nguyễn Văn An 1" in body.content.decode()


def test_staff_service_accepts_a_country_code(world):
    from giaoducso.directory import services

    pid = abroad_id("F", 1990, 47)
    staff = services.staff_create(
        actor=None, school=world.school_a, personal_id=pid, full_name="Lê Thị Giáo", sex=Sex.FEMALE,
        date_of_birth=__import__("datetime").date(1990, 1, 1),
    )  # fmt: skip
    assert staff.personal_id == pid
    assert personal_id(Sex.FEMALE, 1990)  # the factories' numbers stay well-formed

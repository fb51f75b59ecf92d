"""Issue 8.4: the screens, the API and the services refuse what the importer refuses (one module of checks):
a birth date in the future, a 3-year-old in grade 6, a staff member born in 2030 or 1900."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.core.tokens import SCOPES, api_token_create, usable_scopes
from giaoducso.directory import services
from giaoducso.directory.models import Sex, Staff, Student
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import personal_id
from rules import fields

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db

NEXT_YEAR = dt.date.today().year + 1


@pytest.fixture
def directory(world):
    return build_directory(world)


def _student(born: dt.date, **overrides):
    data = {
        "personal_id": personal_id(Sex.FEMALE, born.year),
        "full_name": "Trần Thị Kiểm Tra",
        "date_of_birth": born.strftime("%d/%m/%Y"),
        "sex": "F",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    }
    data.update(overrides)
    return data


def _three_year_old(directory) -> dt.date:
    return dt.date(directory.class_a.year.start_date.year - 3, 6, 1)


@pytest.mark.parametrize("case", ["future", "three_in_grade_6"])
def test_student_form_refuses_what_the_import_refuses(client, world, directory, case):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    if case == "future":
        data = _student(dt.date(NEXT_YEAR, 1, 15))
        fragment = "ở tương lai"
    else:
        data = _student(_three_year_old(directory), school_class=directory.class_a.pk)
        fragment = "không phù hợp với khối 6"
    response = client.post(reverse("directory:student_create", args=["TA01"]), data)
    assert response.status_code == 400
    messages = response.context["form"].errors["date_of_birth"]
    assert any(fragment in m for m in messages), messages
    assert not Student.objects.filter(full_name="Trần Thị Kiểm Tra").exists()


def test_student_edit_refuses_a_future_birth_date(client, world, directory):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    with pytest.raises(ValidationError) as caught:
        services.student_update(actor=None, student=world.child, date_of_birth=dt.date(NEXT_YEAR, 1, 1))
    assert caught.value.error_dict["date_of_birth"][0].code == fields.DATE_FUTURE


def _bearer(user):
    scopes = sorted(set(SCOPES) & usable_scopes(user))
    _token, raw = api_token_create(actor=None, user=user, name="thử", scopes=scopes, expires_at=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("case", ["future", "three_in_grade_6"])
def test_student_api_refuses_with_the_field_to_fix(client, world, directory, case):
    born = dt.date(NEXT_YEAR, 1, 15) if case == "future" else _three_year_old(directory)
    body = {
        "school": "TA01",
        "personal_id": personal_id(Sex.MALE, born.year),
        "full_name": "Ngô Văn Kiểm",
        "date_of_birth": born.isoformat(),
        "sex": "M",
    }
    if case == "three_in_grade_6":
        body["class_id"] = directory.class_a.pk
    response = client.post(
        "/api/v1/students",
        data=json.dumps(body),
        content_type="application/json",
        **_bearer(world.user(Role.SCHOOL_OFFICE)),
    )
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["date_of_birth"]
    assert not Student.objects.filter(full_name="Ngô Văn Kiểm").exists()


@pytest.mark.parametrize(
    ("born", "fragment"), [(dt.date(2030, 1, 1), "ở tương lai"), (dt.date(1900, 1, 1), "người lao động")]
)
def test_staff_form_refuses_born_2030_or_1900(client, world, directory, born, fragment):
    sign_in(client, world.user(Role.PRINCIPAL))
    data = {
        "personal_id": personal_id(Sex.MALE, born.year),
        "full_name": "Phan Văn Kiểm",
        "sex": "M",
        "date_of_birth": born.strftime("%d/%m/%Y"),
        "status": "working",
    }
    response = client.post(reverse("directory:staff_create", args=["TA01"]), data)
    assert response.status_code == 400
    messages = response.context["form"].errors["date_of_birth"]
    assert any(fragment in m for m in messages), messages
    assert not Staff.objects.filter(full_name="Phan Văn Kiểm").exists()


def test_staff_api_refuses_born_2030(client, world, directory):
    body = {
        "school": "TA01",
        "personal_id": personal_id(Sex.MALE, 2030),
        "full_name": "Phan Văn Kiểm",
        "sex": "M",
        "date_of_birth": "2030-01-01",
    }
    response = client.post(
        "/api/v1/staff",
        data=json.dumps(body),
        content_type="application/json",
        **_bearer(world.user(Role.PRINCIPAL)),
    )
    assert response.status_code == 422, response.content
    assert list(response.json()["error"]["fields"]) == ["date_of_birth"]


def test_an_old_staff_record_stays_editable(world, directory):
    """The working age is checked when the date of birth is set, not on every later edit."""
    Staff.objects.filter(pk=directory.teacher_a.pk).update(
        date_of_birth=dt.date(1950, 1, 1), personal_id=personal_id(Sex.FEMALE, 1950)
    )
    person = Staff.objects.get(pk=directory.teacher_a.pk)
    services.staff_update(actor=None, staff=person, subjects="Toán, Tin")


def test_school_update_refuses_a_bad_email(world, directory):
    with pytest.raises(ValidationError) as caught:
        services.school_update(actor=None, school=directory.school_a, email="x@")
    assert caught.value.error_dict["email"][0].code == fields.EMAIL

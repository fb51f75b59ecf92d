"""Staff screens: scoping (teachers see no staff records), identifier checks, second school, export."""

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory import services
from giaoducso.directory.models import Sex, Staff, StaffAssignment
from giaoducso.testing.audit import lines_by_people
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StaffFactory, personal_id

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    return build_directory(world)


def test_staff_list_scoped(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    assert [s.full_name for s in client.get(reverse("directory:staff_list")).context["page"]] == [
        "Trần Thị Chủ Nhiệm"
    ]
    assert client.get(reverse("directory:staff_detail", args=[directory.teacher_b.pk])).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    names = {s.full_name for s in client.get(reverse("directory:staff_list")).context["page"]}
    assert names == {"Trần Thị Chủ Nhiệm", "Đỗ Văn Bê"}
    # Folded search: without diacritics.
    page = client.get(reverse("directory:staff_list"), {"q": "do van"}).context["page"]
    assert [s.full_name for s in page] == ["Đỗ Văn Bê"]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.PARENT])
def test_teachers_and_parents_have_no_staff_screens(client, world, directory, role):
    sign_in(client, world.user(role))
    assert client.get(reverse("directory:staff_list")).status_code == 404
    assert client.get(reverse("directory:staff_detail", args=[directory.teacher_a.pk])).status_code == 404


def _data(**overrides):
    data = {
        "personal_id": personal_id(Sex.MALE, 1990),
        "full_name": "Phan Văn Toán",
        "sex": "M",
        "date_of_birth": "12/08/1990",
        "position": "Giáo viên",
        "subjects": "Toán",
        "phone": "0903 123 456",
        "status": "working",
    }
    data.update(overrides)
    return data


def test_create_staff_with_main_assignment(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(reverse("directory:staff_create", args=["TA01"]), _data())
    assert response.status_code == 302
    person = Staff.objects.get(full_name="Phan Văn Toán")
    assert person.search_name == "phan van toan" and person.phone == "0903123456"
    assert StaffAssignment.objects.get(staff=person).is_main
    assert (
        lines_by_people().filter(object_type="directory.staff", action="create", unit=world.school_a).exists()
    )
    assert client.get(reverse("directory:staff_create", args=["TB02"])).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"sex": "F"}, "sex"),
        ({"date_of_birth": "12/08/1991"}, "date_of_birth"),
        ({"personal_id": "0791"}, "personal_id"),
        ({"phone": "12"}, "phone"),
        ({"date_of_birth": "1990-08-12"}, "date_of_birth"),
        ({"email": "x@"}, "email"),
    ],
)
def test_create_staff_refuses_bad_input(client, world, directory, overrides, field):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(reverse("directory:staff_create", args=["TA01"]), _data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Staff.objects.filter(full_name="Phan Văn Toán").exists()


def test_edit_staff_audited(client, world, directory):
    sign_in(client, world.user(Role.SCHOOL_IT))
    url = reverse("directory:staff_edit", args=[directory.teacher_a.pk])
    data = {
        "full_name": "Trần Thị Chủ Nhiệm",
        "sex": "F",
        "date_of_birth": "02/03/1985",
        "position": "Phó Hiệu trưởng",  # a name of the list, stored as its code
        "subjects": "Toán",
        "status": "working",
    }
    assert client.post(url, data).status_code == 302
    entry = lines_by_people().get(object_type="directory.staff", action="update")
    assert entry.changes == {"position": ["GV", "PHT"]}
    assert client.get(reverse("directory:staff_edit", args=[directory.teacher_b.pk])).status_code == 404


def test_second_school_needs_reach_there(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:staff_assign", args=[directory.teacher_a.pk])
    response = client.post(url, {"assign-school": "TB02", "assign-position": "Giáo viên"})
    assert response.status_code == 400 and "school" in response.context["assign_form"].errors
    assert (
        not StaffAssignment.objects.filter(school=world.school_b).exclude(staff=directory.teacher_b).exists()
    )
    # Someone who may change staff in both schools can post a teacher to the second one.
    services.staff_assign(actor=None, staff=directory.teacher_a, school=world.school_b, position="Giáo viên")
    assert set(directory.teacher_a.assignments.values_list("school__code", flat=True)) == {"TA01", "TB02"}
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    page = client.get(reverse("directory:staff_list"), {"school": "TB02"}).context["page"]
    assert {s.full_name for s in page} == {"Đỗ Văn Bê", "Trần Thị Chủ Nhiệm"}


def test_staff_export_and_queries(client, world, directory, django_assert_max_num_queries):
    for n in range(12):
        StaffFactory(school=world.school_a, full_name=f"Giáo Viên Số {n}")
    sign_in(client, world.user(Role.PRINCIPAL))
    client.get(reverse("directory:staff_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:staff_list"))
    assert len(response.context["page"]) == 13
    response = client.get(reverse("directory:staff_export"))
    assert response.status_code == 200
    assert lines_by_people().get(action="export").changes["rows"] == 13

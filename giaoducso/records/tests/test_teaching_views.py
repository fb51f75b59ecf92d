"""Teaching assignments on screen: the school's leaders only, the school's staff only, audited."""

import pytest
from django.urls import reverse

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records.models import Subject, TeachingAssignment
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    return build_directory(world)


def test_the_principal_sees_the_school_and_assigns_a_class(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    overview = client.get(reverse("records:teaching_overview", args=[world.school_a.code]))
    body = overview.content.decode()
    assert overview.status_code == 200 and "6/1" in body and "6/2" in body and "chưa có" in body
    url = reverse("records:teaching_class", args=[directory.class_a.pk])
    page = client.get(url).content.decode()
    assert "Trần Thị Chủ Nhiệm" in page and "Đỗ Văn Bê" not in page  # only this school's staff
    toan = Subject.objects.get(code="toan_thcs")
    response = client.post(url, {f"subject-{toan.pk}": directory.teacher_a.pk})
    assert response.status_code == 302
    assignment = TeachingAssignment.objects.get(school_class=directory.class_a, subject=toan)
    assert assignment.teacher == directory.teacher_a
    assert AuditEntry.objects.filter(object_type="records.teachingassignment").exists()
    overview = client.get(reverse("records:teaching_overview", args=[world.school_a.code]) + "?grade=6")
    assert "Trần Thị Chủ Nhiệm" in overview.content.decode()
    # Emptying the picker removes the assignment.
    assert client.post(url, {f"subject-{toan.pk}": ""}).status_code == 302
    assert not TeachingAssignment.objects.exists()


def test_a_teacher_of_another_school_is_refused_in_words(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    toan = Subject.objects.get(code="toan_thcs")
    url = reverse("records:teaching_class", args=[directory.class_a.pk])
    response = client.post(url, {f"subject-{toan.pk}": directory.teacher_b.pk})
    assert response.status_code == 400 and "không thuộc trường" in response.content.decode()
    response = client.post(url, {f"subject-{toan.pk}": "abc"})
    assert response.status_code == 400
    assert not TeachingAssignment.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.TEACHER, Role.HOMEROOM_TEACHER, Role.PARENT, Role.STUDENT, Role.DEPARTMENT_OFFICER]
)
def test_others_do_not_reach_teaching_assignments(client, world, directory, role):
    sign_in(client, world.user(role))
    assert client.get(reverse("records:teaching_overview", args=[world.school_a.code])).status_code in (
        403,
        404,
    )
    assert client.get(reverse("records:teaching_class", args=[directory.class_a.pk])).status_code in (
        403,
        404,
    )


def test_another_schools_principal_gets_404(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.get(reverse("records:teaching_overview", args=[world.school_b.code])).status_code == 404
    assert client.get(reverse("records:teaching_class", args=[directory.class_b.pk])).status_code == 404
    assert client.get(reverse("records:teaching_overview", args=["KHONGCO"])).status_code == 404


def test_the_overview_of_forty_classes_takes_a_fixed_number_of_queries(
    client, world, directory, django_assert_max_num_queries
):
    from giaoducso.testing.factories import ClassFactory

    for n in range(3, 41):
        ClassFactory(school=world.school_a, year=directory.year, name=f"6/{n}")
    StaffFactory(school=world.school_a, full_name="Giáo Viên Toán")
    sign_in(client, world.user(Role.PRINCIPAL))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("records:teaching_overview", args=[world.school_a.code]))
    assert response.content.decode().count("/teaching/") >= 40

"""The grade book screens: scoped, a cell saves on its own, the no-script form saves the grid."""

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import Mark, Subject
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    directory = build_directory(world)
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    gdcd = Subject.objects.get(code="gdcd")
    services.teaching_assign(
        actor=world.user(Role.PRINCIPAL),
        school_class=directory.class_a,
        subject=gdcd,
        teacher=directory.teacher_a,
    )
    return directory, gdcd


def test_the_teacher_finds_their_class_and_subject(client, world, setup):
    directory, gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    body = client.get(reverse("records:class_list")).content.decode()
    assert "6/1" in body and "6/2" not in body
    body = client.get(reverse("records:class_detail", args=[directory.class_a.pk])).content.decode()
    assert "Giáo dục công dân" in body and "Nhập điểm" in body
    page = client.get(reverse("records:gradebook", args=[directory.class_a.pk, gdcd.pk]))
    assert page.status_code == 200 and 'data-cell-url="' in page.content.decode()


def test_a_cell_saves_on_its_own_and_answers_the_row(client, world, setup):
    directory, gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:cell_save", args=[directory.class_a.pk, gdcd.pk])
    base = {"student": world.child.pk, "term": 1}
    for kind, index, value in (("tx", 1, "6"), ("tx", 2, "7"), ("gk", 1, "5")):
        assert client.post(url, {**base, "kind": kind, "index": index, "value": value}).status_code == 200
    answer = client.post(url, {**base, "kind": "ck", "index": 1, "value": "6.5"}).json()
    assert answer["value"] == "6,5" and answer["row"]["avg1"] == "6,1"  # worked example 2
    refused = client.post(url, {**base, "kind": "ck", "index": 1, "value": "10,5"})
    assert refused.status_code == 400 and refused.json()["code"] == "out_of_range"
    assert "0 đến 10" in refused.json()["error"]
    assert Mark.objects.get(student=world.child, kind="ck").value == 6.5  # unchanged
    nonsense = client.post(url, {**base, "kind": "ck", "index": "x", "value": "5"})
    assert nonsense.status_code == 400


def test_others_get_404_and_a_reader_cannot_write(client, world, setup):
    directory, gdcd = setup
    url = reverse("records:cell_save", args=[directory.class_a.pk, gdcd.pk])
    sign_in(client, world.stranger)
    assert client.get(reverse("records:gradebook", args=[directory.class_a.pk, gdcd.pk])).status_code == 404
    assert (
        client.post(url, {"student": world.child.pk, "term": 1, "kind": "tx", "value": "5"}).status_code
        == 404
    )
    client.logout()
    sign_in(client, world.user(Role.PARENT))
    page = client.get(reverse("records:gradebook", args=[directory.class_a.pk, gdcd.pk])).content.decode()
    assert "Lê Minh Con" in page and "Phạm Thu Khác" not in page and "data-cell-url" not in page
    assert (
        client.post(url, {"student": world.child.pk, "term": 1, "kind": "tx", "value": "5"}).status_code
        == 403
    )
    assert not Mark.objects.exists()


def test_the_grid_without_script_saves_every_changed_cell(client, world, setup):
    directory, gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:gradebook", args=[directory.class_a.pk, gdcd.pk])
    child, other = world.child.pk, world.other_student_a.pk
    response = client.post(
        url, {f"c-{child}-1-tx-1": "8,5", f"c-{other}-1-gk-1": "7", f"c-{child}-2-ck-1": ""}
    )
    assert response.status_code == 302
    assert sorted(Mark.objects.values_list("value", flat=True)) == [7, 8.5]
    response = client.post(url, {f"c-{child}-1-tx-1": "11"}, follow=True)
    assert "0 đến 10" in response.content.decode()
    assert Mark.objects.get(student_id=child).value == 8.5


def test_the_summary_page(client, world, setup):
    directory, _gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    body = client.get(reverse("records:summary", args=[directory.class_a.pk])).content.decode()
    assert "Lê Minh Con" in body and "Giáo dục công dân" in body
    client.logout()
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("records:summary", args=[directory.class_a.pk])).status_code == 404

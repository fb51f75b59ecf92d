import pytest
from django.urls import reverse

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db

SCHOOL_STAFF = [
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.SCHOOL_OFFICE,
    Role.SCHOOL_IT,
    Role.TEACHER,
    Role.HOMEROOM_TEACHER,
]


@pytest.mark.parametrize("role", SCHOOL_STAFF)
def test_school_staff_get_404_for_other_school_student(client, world, role):
    sign_in(client, world.user(role))
    assert client.get(reverse("directory:student_detail", args=[world.child.pk])).status_code == 200
    response = client.get(reverse("directory:student_detail", args=[world.student_b.pk]))
    assert response.status_code == 404
    assert world.student_b.full_name not in response.content.decode()


@pytest.mark.parametrize("role", SCHOOL_STAFF)
def test_school_staff_list_shows_only_their_school(client, world, role):
    sign_in(client, world.user(role))
    body = client.get(reverse("directory:student_list")).content.decode()
    assert world.child.full_name in body and world.other_student_a.full_name in body
    assert world.student_b.full_name not in body


@pytest.mark.parametrize("role", [Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT])
def test_department_sees_both_schools(client, world, role):
    sign_in(client, world.user(role))
    body = client.get(reverse("directory:student_list")).content.decode()
    for student in (world.child, world.other_student_a, world.student_b):
        assert student.full_name in body
    assert client.get(reverse("directory:student_detail", args=[world.student_b.pk])).status_code == 200


@pytest.mark.parametrize("role", [Role.PARENT, Role.STUDENT])
def test_parent_and_student_see_only_the_child(client, world, role):
    sign_in(client, world.user(role))
    body = client.get(reverse("directory:student_list")).content.decode()
    assert world.child.full_name in body
    assert world.other_student_a.full_name not in body
    assert client.get(reverse("directory:student_detail", args=[world.child.pk])).status_code == 200
    assert client.get(reverse("directory:student_detail", args=[world.other_student_a.pk])).status_code == 404


def test_stranger_and_nobody(client, world):
    sign_in(client, world.stranger)
    assert client.get(reverse("directory:student_detail", args=[world.child.pk])).status_code == 404
    client.logout()
    sign_in(client, world.nobody)
    assert client.get(reverse("directory:student_list")).status_code == 404
    assert client.get(reverse("directory:student_detail", args=[world.child.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("directory:student_detail", args=[world.child.pk]))
    assert response.status_code == 302 and reverse("core:login") in response["Location"]


def test_edit_is_audited_and_scoped(client, world):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:student_edit", args=[world.child.pk])
    response = client.post(
        url,
        {"full_name": "Lê Minh Con Mới", "date_of_birth": "17/05/2014", "sex": "M", "ethnicity": "Kinh"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(object_type="directory.student", object_id=str(world.child.pk))
    assert entry.action == "update"
    assert entry.changes["full_name"] == ["Lê Minh Con", "Lê Minh Con Mới"]
    assert entry.actor == world.user(Role.PRINCIPAL) and entry.unit == world.school_a
    # Another school's student cannot even be opened for editing.
    assert client.get(reverse("directory:student_edit", args=[world.student_b.pk])).status_code == 404


def test_teacher_cannot_edit(client, world):
    sign_in(client, world.user(Role.TEACHER))
    response = client.post(reverse("directory:student_edit", args=[world.child.pk]), {"full_name": "X"})
    assert response.status_code == 404
    world.child.refresh_from_db()
    assert world.child.full_name == "Lê Minh Con"


@pytest.mark.parametrize(
    "payload",
    [
        {"full_name": "", "date_of_birth": "17/05/2014", "sex": "M"},
        {"full_name": "A", "date_of_birth": "31/02/2014", "sex": "M"},
        {"full_name": "A", "date_of_birth": "2014-05-17x", "sex": "X"},
        {"full_name": "A", "date_of_birth": "17/05/2014", "sex": "M", "ministry_code": "12ab"},
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, world, payload):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(reverse("directory:student_edit", args=[world.child.pk]), payload)
    assert response.status_code == 400
    assert "error-text" in response.content.decode()
    world.child.refresh_from_db()
    assert world.child.full_name == "Lê Minh Con"
    assert not AuditEntry.objects.filter(object_type="directory.student").exists()


def test_reads_from_outside_the_school_are_logged(client, world):
    """Data protection: a department officer opening a student's record leaves a trace; the school does not."""
    sign_in(client, world.user(Role.TEACHER))
    client.get(reverse("directory:student_detail", args=[world.child.pk]))
    sign_in(client, world.user(Role.PARENT))
    client.get(reverse("directory:student_detail", args=[world.child.pk]))
    assert not AuditEntry.objects.filter(action="view").exists()
    officer = world.user(Role.DEPARTMENT_OFFICER)
    sign_in(client, officer)
    assert client.get(reverse("directory:student_detail", args=[world.student_b.pk])).status_code == 200
    entry = AuditEntry.objects.get(action="view")
    assert (
        entry.actor == officer and entry.object_id == str(world.student_b.pk) and entry.unit == world.school_b
    )


def test_api_reads_from_outside_the_school_are_logged(client, world):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    sign_in(client, officer)
    assert client.get(f"/api/v1/students/{world.child.pk}").status_code == 200
    assert AuditEntry.objects.filter(action="view", actor=officer, object_id=str(world.child.pk)).count() == 1


def test_ministry_code_belongs_to_one_student(client, world):
    from giaoducso.directory.models import Student

    Student.objects.filter(pk=world.other_student_a.pk).update(ministry_code="7912345678")
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(
        reverse("directory:student_edit", args=[world.child.pk]),
        {
            "full_name": "Lê Minh Con",
            "date_of_birth": "17/05/2014",
            "sex": "M",
            "ethnicity": "Kinh",
            "ministry_code": "7912345678",
        },
    )
    assert response.status_code == 400
    assert "đã thuộc về một học sinh khác" in response.content.decode()
    world.child.refresh_from_db()
    assert world.child.ministry_code == ""

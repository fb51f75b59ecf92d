import pytest

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def test_school_it_admin_is_scoped(client, world):
    school_it = world.user(Role.SCHOOL_IT)
    sign_in(client, school_it, verified=True)
    response = client.get("/admin/directory/student/")
    assert response.status_code == 200
    body = response.content.decode()
    assert world.child.full_name in body and world.student_b.full_name not in body
    # Another school's record by URL: not found (the admin redirects away with a message, no data).
    response = client.get(f"/admin/directory/student/{world.student_b.pk}/change/")
    assert response.status_code in (302, 404)
    assert world.student_b.full_name not in client.get(response.get("Location", "/admin/")).content.decode()


def test_admin_change_goes_through_service_and_is_audited(client, world):
    sign_in(client, world.user(Role.SCHOOL_IT), verified=True)
    url = f"/admin/directory/student/{world.child.pk}/change/"
    response = client.post(
        url,
        {
            "full_name": "Lê Minh Con",
            "date_of_birth": "2014-05-17",
            "sex": "F",
            "ethnicity": "Kinh",
            "address": "",
            "ministry_code": "",
            "nationality": "VN",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(object_type="directory.student")
    assert entry.changes == {"sex": ["M", "F"]} and entry.actor == world.user(Role.SCHOOL_IT)


@pytest.mark.parametrize("role", [Role.TEACHER, Role.PRINCIPAL, Role.PARENT])
def test_roles_without_admin_permission_are_kept_out(client, world, role):
    sign_in(client, world.user(role), verified=True)
    response = client.get("/admin/directory/student/")
    assert response.status_code in (302, 403)
    assert world.child.full_name not in response.content.decode()

"""School leaders (principal, vice-principal) read their own school's audit lines — on the screen, in the
API and in the Excel export — and nothing of another school or of the department above them."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core import audit, audit_export
from giaoducso.core.models import JobStatus
from giaoducso.core.roles import Perm, Role, role_allows
from giaoducso.core.tokens import api_token_create
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db

LEADERS = [Role.PRINCIPAL, Role.VICE_PRINCIPAL]


@pytest.fixture
def lines(world):
    audit.record(actor=None, action="update", obj=world.child, changes={"full_name": ["A", "Lê Minh Con"]})
    audit.record(
        actor=None, action="update", obj=world.student_b, changes={"full_name": ["C", "Võ Thành Bê"]}
    )
    audit.record(
        actor=None,
        action="export",
        object_type="core.unit",
        object_repr="Dòng của Phòng",
        unit=world.department,
    )
    return world


def _api(client, user):
    _token, raw = api_token_create(actor=None, user=user, name="t", scopes=["audit:read"], expires_at=None)
    response = client.get("/api/v1/audit?page_size=500", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.mark.parametrize("role", LEADERS)
def test_leader_sees_own_schools_lines_on_the_screen(client, lines, role):
    sign_in(client, lines.user(role))
    response = client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert lines.child.full_name in body
    assert lines.student_b.full_name not in body
    assert "Dòng của Phòng" not in body
    assert reverse("core:audit_list") in client.get(reverse("core:home")).content.decode()


@pytest.mark.parametrize("role", LEADERS)
def test_leader_sees_own_schools_lines_in_the_api(client, lines, role):
    items = _api(client, lines.user(role))
    assert items and {item["unit_code"] for item in items} == {"TA01"}
    assert "Võ Thành Bê" not in {item["object_repr"] for item in items}


@pytest.mark.parametrize("role", LEADERS)
def test_leader_exports_only_own_schools_lines(
    lines, role, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export.job_start_audit_export(actor=lines.user(role))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    with job.result_file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))[1:]
    assert rows and {row[6] for row in rows} == {lines.school_a.name}


def test_department_still_sees_its_whole_subtree(client, lines):
    items = _api(client, lines.user(Role.DEPARTMENT_LEADER))
    assert {"TA01", "TB02", "PGD06"} <= {item["unit_code"] for item in items}


def test_other_school_roles_still_may_not_read_the_log(client, world):
    for role in (Role.SCHOOL_OFFICE, Role.SCHOOL_IT, Role.TEACHER, Role.HOMEROOM_TEACHER, Role.PARENT):
        assert not role_allows(role, Perm.VIEW_AUDIT), role
        sign_in(client, world.user(role))
        assert client.get(reverse("core:audit_list")).status_code == 404

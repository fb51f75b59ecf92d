"""Whoever may see a list exports what it shows (issue 8): the clerk, the vice-principal and the homeroom
teacher included; an export never reaches past its list's own permission; search results, transfers and
accounts export every row (a job when large) instead of stopping at 20,000."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core import exports
from giaoducso.core.models import Job, JobStatus
from giaoducso.core.roles import Perm, Role, role_allows
from giaoducso.directory.models import Transfer
from giaoducso.testing.auth import sign_in

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db

# list screen → (its export, the permission that shows the list)
LISTS = {
    "directory:student_list": ("directory:student_export", Perm.VIEW_STUDENT),
    "directory:class_list": ("directory:class_export", Perm.VIEW_SCHOOL),
    "directory:school_list": ("directory:school_export", Perm.VIEW_SCHOOL),
    "directory:staff_list": ("directory:staff_export", Perm.VIEW_STAFF),
    "directory:room_list": ("directory:room_export", Perm.VIEW_SCHOOL),
    "directory:equipment_list": ("directory:equipment_export", Perm.VIEW_SCHOOL),
    "directory:search": ("directory:search_export", Perm.VIEW_STUDENT),
    "directory:transfer_list": ("directory:transfer_export", Perm.VIEW_STUDENT),
    "core:user_list": ("core:user_export", Perm.VIEW_USER),
}
ROLES = [
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.SCHOOL_OFFICE,
    Role.HOMEROOM_TEACHER,
    Role.TEACHER,
    Role.SCHOOL_IT,
    Role.DEPARTMENT_OFFICER,
]


@pytest.fixture
def directory(world):
    directory = build_directory(world)
    Transfer.objects.create(
        student=world.other_student_a,
        from_school=world.school_a,
        to_school=world.school_b,
        requested_by_school=world.school_a,
    )
    return directory


def _rows(response):
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_school_roles_that_read_lists_may_export_them():
    for role in (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.SCHOOL_OFFICE, Role.HOMEROOM_TEACHER):
        assert role_allows(role, Perm.EXPORT_DATA), role
    assert not role_allows(Role.TEACHER, Perm.EXPORT_DATA)  # a subject teacher reads, exports nothing


@pytest.mark.parametrize("role", ROLES)
def test_export_follows_the_lists_permission(client, world, directory, role):
    sign_in(client, world.user(role))
    query = {"q": "6/1"}
    for screen, (export, view_perm) in LISTS.items():
        may_view = role_allows(role, view_perm)
        may_export = may_view and (role_allows(role, Perm.EXPORT_DATA) or screen == "core:user_list")
        response = client.get(reverse(export), query)
        assert response.status_code == (200 if may_export else 404), (role, export, response.status_code)
        page = client.get(reverse(screen), query)
        assert page.status_code == (200 if may_view else 404), (role, screen)
        if may_view:
            assert (reverse(export) in page.content.decode()) == may_export, (role, screen)


@pytest.mark.parametrize("role", [Role.SCHOOL_OFFICE, Role.VICE_PRINCIPAL, Role.HOMEROOM_TEACHER])
def test_what_a_school_role_exports_is_its_own_school(client, world, directory, role):
    sign_in(client, world.user(role))
    students = _rows(client.get(reverse("directory:student_export")))
    assert {r[0] for r in students[1:]} == {world.school_a.code}
    found = _rows(client.get(reverse("directory:search_export"), {"q": "6/1"}))
    assert world.child.full_name in {r[3] for r in found[1:]}
    assert world.student_b.full_name not in {r[3] for r in found[1:]}
    moves = _rows(client.get(reverse("directory:transfer_export")))
    assert [r[0] for r in moves[1:]] == [world.other_student_a.full_name]


def test_the_users_export_uses_the_account_lists_filters(client, world, directory):
    sign_in(client, world.user(Role.VICE_PRINCIPAL))
    everyone = {r[1] for r in _rows(client.get(reverse("core:user_export")))[1:]}
    assert world.user(Role.TEACHER).username in everyone and world.stranger.username not in everyone
    teachers = _rows(client.get(reverse("core:user_export"), {"role": Role.TEACHER}))
    assert {r[1] for r in teachers[1:]} == {world.user(Role.TEACHER).username}


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("directory:search_export", {"q": "6/1"}),
        ("directory:transfer_export", {}),
        ("core:user_export", {}),
        ("directory:my_class_export", {}),
    ],
)
def test_large_exports_run_as_a_job_with_every_row(
    client,
    world,
    directory,
    route,
    params,
    monkeypatch,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "JOB_EXPORT_THRESHOLD", 0)  # one row is already "large"
    directory.teacher_a.user = world.user(Role.HOMEROOM_TEACHER)
    directory.teacher_a.save(update_fields=["user"])
    user = world.user(Role.HOMEROOM_TEACHER if "my_class" in route else Role.PRINCIPAL)
    sign_in(client, user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(route), params)
    job = Job.objects.get(kind="table_export")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.message
    with job.result_file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))
    assert len(rows) - 1 == job.result["rows"] >= 1

"""A department-wide list is exported by a background job (issue 8.8): the request answers at once with the
job's page, the file holds every row (none cut at a limit), and the export is audited like a small one."""

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core import exports
from giaoducso.core.models import AuditEntry, Job, JobStatus
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(world, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "JOB_EXPORT_THRESHOLD", 5)
    for n in range(8):
        StudentFactory(school=world.school_a if n % 2 else world.school_b, full_name=f"Học Sinh Số {n}")
    return 11  # 8 + the world's three


def test_a_large_student_export_runs_as_a_job_with_every_row(
    client, world, many, django_capture_on_commit_callbacks
):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("directory:student_export"))
    job = Job.objects.get(kind="table_export")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == JobStatus.SUCCEEDED, job.message
    with job.result_file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))
    assert rows[0][1] == "Họ và tên"
    assert len(rows) - 1 == many
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_type == "directory.student" and entry.changes["rows"] == many
    page = client.get(reverse("core:job_detail", args=[job.pk]))
    assert reverse("core:job_download", args=[job.pk]) in page.content.decode()


def test_the_job_exports_what_the_user_may_export_not_more(
    client, world, many, django_capture_on_commit_callbacks
):
    sign_in(client, world.user(Role.PRINCIPAL))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("directory:student_export"))
    job = Job.objects.get(kind="table_export")
    with job.result_file.open("rb") as handle:
        rows = list(load_workbook(handle).active.iter_rows(values_only=True))[1:]
    assert {row[0] for row in rows} == {world.school_a.code}
    assert "Võ Thành Bê" not in {row[1] for row in rows}


def test_a_small_export_is_still_a_download(client, world):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:student_export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "route",
    ["school_export", "class_export", "staff_export", "room_export", "equipment_export", "student_export"],
)
def test_every_directory_list_exports_through_a_job_when_large(
    client, world, route, monkeypatch, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(exports, "JOB_EXPORT_THRESHOLD", -1)  # even an empty list goes through the job
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse(f"directory:{route}"), {"format": "csv"})
    job = Job.objects.get(kind="table_export")
    assert response.status_code == 302
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.result_file.name.endswith(".csv")
    assert AuditEntry.objects.filter(action="export", actor=world.user(Role.DEPARTMENT_OFFICER)).count() == 1

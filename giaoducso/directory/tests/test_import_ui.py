"""Imports in the UI: upload, background check with preview, commit; scoping and permissions."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.models import Job
from giaoducso.core.navigation import navigation_for
from giaoducso.core.roles import Role
from giaoducso.directory.importing import jobs as import_jobs
from giaoducso.directory.importing.students import COLUMNS
from giaoducso.directory.models import Student
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import UserFactory

from .import_helpers import pid, setup_directory, student_row

pytestmark = pytest.mark.django_db
START = reverse("directory:import_start")


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(row.get(c, "") for c in COLUMNS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def year(world):
    return setup_directory(world)


def upload(client, content: bytes, name: str = "hs.csv", kind: str = "students", capture=None):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content)}
    with capture(execute=True):
        return client.post(START, data)


def test_page_is_404_for_users_who_may_not_import(client, world):
    for user in (world.nobody, world.stranger, world.user(Role.TEACHER), world.user(Role.PARENT)):
        sign_in(client, user)
        assert client.get(START).status_code == 404
        assert not any(i["url"] == START for i in navigation_for(user))
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    response = client.get(START)
    assert response.status_code == 200
    assert "ma_dinh_danh" in response.content.decode()
    assert any(i["url"] == START for i in navigation_for(world.user(Role.DEPARTMENT_IT)))


def test_school_user_uploads_checks_previews_and_commits(
    client, world, year, django_capture_on_commit_callbacks
):
    user = world.user(Role.PRINCIPAL)
    sign_in(client, user)
    response = upload(
        client, csv_bytes([student_row(1), student_row(2)]), capture=django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    check = Job.objects.get(created_by=user, kind="directory_import_check")
    page = client.get(response["Location"]).content.decode()
    assert "Nhập dữ liệu" in page and 'id="commit-import"' in page
    assert check.result["new"] == 2 and check.result["classes_created"] == ["TA01 6/1"]
    assert not Student.objects.filter(personal_id=pid(1)).exists()  # the check writes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:import_commit", args=[check.pk]))
    assert response.status_code == 302
    run = Job.objects.get(created_by=user, kind="directory_import_run")
    assert run.status == "succeeded", run.message
    assert "2 mới, 0 thay đổi, 0 không đổi" in run.message
    assert Student.objects.filter(personal_id__in=[pid(1), pid(2)], school=world.school_a).count() == 2
    assert "2 mới" in client.get(reverse("directory:import_status", args=[run.pk])).content.decode()


def test_school_user_cannot_import_rows_of_another_school(
    client, world, year, django_capture_on_commit_callbacks
):
    user = world.user(Role.PRINCIPAL)
    sign_in(client, user)
    rows = [student_row(1), student_row(2, ma_truong="TB02")]
    response = upload(client, csv_bytes(rows), capture=django_capture_on_commit_callbacks)
    check = Job.objects.get(created_by=user, kind="directory_import_check")
    page = client.get(response["Location"]).content.decode()
    assert "Bạn không có quyền nhập dữ liệu cho trường TB02" in page
    assert 'id="commit-import"' not in page
    assert check.result["errors"] == [
        {
            "row": 3,
            "column": "ma_truong",
            "value": "TB02",
            "message": "Bạn không có quyền nhập dữ liệu cho trường TB02.",
        }
    ]
    # The full report downloads as XLSX: row, column, value, message.
    download = client.get(reverse("core:job_download", args=[check.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1] == (
        3,
        "ma_truong",
        "TB02",
        check.result["errors"][0]["message"],
    )
    # Committing a file with errors is refused and writes nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:import_commit", args=[check.pk]))
    assert not Job.objects.filter(kind="directory_import_run").exists()
    assert not Student.objects.filter(personal_id__in=[pid(1), pid(2)]).exists()


def test_department_imports_for_its_whole_subtree(client, world, year, django_capture_on_commit_callbacks):
    user = world.user(Role.DEPARTMENT_OFFICER)
    sign_in(client, user)
    rows = [student_row(1), student_row(2, ma_truong="TB02")]
    upload(client, csv_bytes(rows), capture=django_capture_on_commit_callbacks)
    check = Job.objects.get(created_by=user, kind="directory_import_check")
    assert check.result["error_count"] == 0 and check.result["new"] == 2


def test_another_user_cannot_see_or_commit_an_import(client, world, year, django_capture_on_commit_callbacks):
    sign_in(client, world.user(Role.PRINCIPAL))
    upload(client, csv_bytes([student_row(1)]), capture=django_capture_on_commit_callbacks)
    check = Job.objects.get(kind="directory_import_check")
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    assert client.get(reverse("directory:import_detail", args=[check.pk])).status_code == 404
    assert client.get(reverse("directory:import_status", args=[check.pk])).status_code == 404
    assert client.post(reverse("directory:import_commit", args=[check.pk])).status_code == 404
    assert not Student.objects.filter(personal_id=pid(1)).exists()


def test_staff_kind_needs_change_staff(client, world, year, django_capture_on_commit_callbacks):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))  # may change students, not staff
    response = upload(client, b"x", kind="staff", capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "Hãy chọn loại dữ liệu trong danh sách." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("hs.pdf", b"%PDF-1.4", "Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."),
        ("hs.csv", b"", "Tệp trống."),
        ("hs.csv", "ma_dinh_danh\nĐà".encode("cp1258"), "không ở mã UTF-8"),
        ("hs.xlsx", b"not a zip", "không phải tệp Excel (.xlsx) hợp lệ"),
    ],
)
def test_bad_uploads_get_vietnamese_errors(
    client, world, year, django_capture_on_commit_callbacks, name, content, message
):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = upload(client, content, name=name, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.filter(kind="directory_import_check").exists()


# --- the commit rule, beside the action it guards (importing.jobs.import_commit_check) ------------


def _check_job(user, **result):
    return Job.objects.create(
        kind=import_jobs.CHECK_KIND,
        title="Kiểm tra",
        created_by=user,
        status="succeeded",
        params={"import_kind": "students", "file": "imports/x.csv", "file_name": "x.csv"},
        result={"error_count": 0, "new": 1, "changed": 0, **result},
    )


def test_commit_check_allows_a_clean_check_with_something_to_write(world):
    user = world.user(Role.PRINCIPAL)
    job = _check_job(user)
    assert import_jobs.import_can_commit(job)
    import_jobs.import_commit_check(actor=user, check_job=job)  # no exception
    assert import_jobs.import_can_commit(_check_job(user, new=0, changed=3))


@pytest.mark.parametrize(
    "change",
    [
        {"result": {"error_count": 1, "new": 1}},
        {"result": {"error_count": 0, "new": 0, "changed": 0}},
        {"status": "running"},
        {"kind": "directory_import_run"},
    ],
)
def test_commit_check_refuses_files_not_ready(world, change):
    user = world.user(Role.PRINCIPAL)
    job = _check_job(user)
    for field, value in change.items():
        setattr(job, field, value)
    assert not import_jobs.import_can_commit(job)
    with pytest.raises(import_jobs.ImportNotReady):
        import_jobs.import_commit_check(actor=user, check_job=job)


def test_commit_check_refuses_other_users_and_missing_permission(world):
    job = _check_job(world.user(Role.PRINCIPAL))
    # Not the owner: a wider role or a superuser may look at the check, but not write it.
    for other in (world.user(Role.DEPARTMENT_OFFICER), UserFactory(is_superuser=True)):
        with pytest.raises(PermissionError):
            import_jobs.import_commit_check(actor=other, check_job=job)
    # The owner who no longer may change students.
    teacher_job = _check_job(world.user(Role.TEACHER))
    with pytest.raises(PermissionError):
        import_jobs.import_commit_check(actor=world.user(Role.TEACHER), check_job=teacher_job)

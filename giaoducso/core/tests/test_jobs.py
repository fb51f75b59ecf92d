import datetime as dt
import logging
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from giaoducso.core import audit, audit_export, jobs
from giaoducso.core.models import AuditAction, AuditEntry, Job, JobStatus, Notification
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_jobs(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(jobs, "SYSTEM_CHECK_STEP_SECONDS", 0)
    settings.MEDIA_ROOT = tmp_path


def running_job(**fields):
    defaults = {"kind": "system_check", "title": "Thử", "status": JobStatus.RUNNING}
    return Job.objects.create(**{**defaults, **fields})


def start_check(user, steps=3):
    return jobs.job_start_system_check(actor=user, steps=steps)


# --- Lifecycle ---------------------------------------------------------------------------------


def test_job_is_enqueued_only_after_commit(world, django_capture_on_commit_callbacks):
    teacher = world.user(Role.TEACHER)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_check(teacher)
    job.refresh_from_db()
    # Nothing ran inside the transaction: the worker could not have seen the row yet.
    assert job.status == JobStatus.QUEUED
    assert job.started_at is None
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED


def test_job_lifecycle_succeeds_with_full_progress(world, django_capture_on_commit_callbacks):
    teacher = world.user(Role.TEACHER)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_check(teacher, steps=7)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100
    assert job.created_by == teacher
    assert job.unit == world.school_a  # the teacher's only unit
    assert job.started_at is not None and job.finished_at >= job.started_at
    assert job.task_result_id
    assert len(job.result["checks"]) == 7
    assert all(check["ok"] for check in job.result["checks"])
    assert job.message.startswith("Hoàn thành")


def test_job_messages_follow_the_requesters_language(world, django_capture_on_commit_callbacks):
    from django.utils import translation

    teacher = world.user(Role.TEACHER)
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    # Whatever language the worker happens to be in, the job speaks the requester's.
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        job = start_check(teacher, steps=2)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.message.startswith("Completed")


def test_task_receives_only_the_job_id(world, django_capture_on_commit_callbacks, monkeypatch):
    from django_tasks import task_backends

    calls = []
    backend = task_backends["default"]
    real_enqueue = backend.enqueue

    def spy(task, args, kwargs):
        calls.append((task.name, args, kwargs))
        return real_enqueue(task, args, kwargs)

    monkeypatch.setattr(backend, "enqueue", spy)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_check(world.user(Role.TEACHER))
    assert calls == [("system_check", (str(job.pk),), {})]


def test_enqueue_failure_marks_job_failed(world, django_capture_on_commit_callbacks, monkeypatch):
    from django_tasks import task_backends

    def broken(task, args, kwargs):
        raise ConnectionError("queue down")

    monkeypatch.setattr(task_backends["default"], "enqueue", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = start_check(world.user(Role.TEACHER))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "hàng đợi" in job.message


# --- Progress ----------------------------------------------------------------------------------


def test_progress_is_clamped_and_monotonic(db):
    job = running_job()
    assert jobs.job_progress(job.pk, 40, "Đang chạy")
    assert Job.objects.get(pk=job.pk).progress == 40
    assert not jobs.job_progress(job.pk, 10)  # never backwards
    assert Job.objects.get(pk=job.pk).progress == 40
    assert jobs.job_progress(job.pk, 250)
    assert Job.objects.get(pk=job.pk).progress == 100
    assert not jobs.job_progress(job.pk, -5)
    assert not jobs.job_progress(job.pk, float("nan"))
    assert not jobs.job_progress(job.pk, "abc")
    assert Job.objects.get(pk=job.pk).progress == 100
    assert Job.objects.get(pk=job.pk).message == "Đang chạy"


def test_progress_ignored_unless_running(db):
    queued = running_job(status=JobStatus.QUEUED)
    done = running_job(status=JobStatus.SUCCEEDED, progress=100)
    failed = running_job(status=JobStatus.FAILED, progress=30)
    for job in (queued, done, failed):
        assert not jobs.job_progress(job.pk, 50)
    assert Job.objects.get(pk=queued.pk).progress == 0
    assert Job.objects.get(pk=failed.pk).progress == 30


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=32), max_size=8))
def test_progress_equals_clamped_maximum(db, values):
    job = running_job()
    expected = 0
    for value in values:
        jobs.job_progress(job.pk, value)
        if value == value and abs(value) != float("inf"):
            expected = max(expected, int(min(100, max(0, value))))
    assert Job.objects.get(pk=job.pk).progress == expected


def test_reporter_step_maps_fraction_into_range(db):
    job = running_job()
    reporter = jobs.JobReporter(job.pk)
    reporter.step(1, 4, start=20, end=60)
    assert Job.objects.get(pk=job.pk).progress == 30
    reporter.step(5, 0)  # nothing to count: done
    assert Job.objects.get(pk=job.pk).progress == 100


# --- Safe to run twice, failures ---------------------------------------------------------------


def test_finished_job_is_skipped(db):
    job = running_job(status=JobStatus.SUCCEEDED, progress=100, message="Xong", finished_at=timezone.now())
    ran = []
    outcome = jobs.run_job(job.pk, lambda j, r: ran.append(j))
    assert ran == []
    assert outcome["skipped"] is True
    refreshed = Job.objects.get(pk=job.pk)
    assert (refreshed.status, refreshed.message, refreshed.finished_at) == (
        JobStatus.SUCCEEDED,
        "Xong",
        job.finished_at,
    )


def test_missing_job_is_skipped(db):
    assert jobs.run_job(uuid.uuid4(), lambda j, r: None)["skipped"] is True


def test_rerun_of_running_job_restarts_cleanly(db):
    job = running_job(progress=60, message="Bước cũ", result={"partial": 1})
    seen = {}

    def body(j, report):
        seen["progress"], seen["message"], seen["result"] = j.progress, j.message, j.result
        report(50)
        return {"rows": 3}

    jobs.run_job(job.pk, body)
    assert seen == {"progress": 0, "message": "", "result": {}}
    job.refresh_from_db()
    assert (job.status, job.progress, job.result) == (JobStatus.SUCCEEDED, 100, {"rows": 3})
    # A second delivery of the same task changes nothing.
    jobs.run_job(job.pk, body)
    assert Job.objects.get(pk=job.pk).finished_at == job.finished_at


def test_unexpected_failure_hides_internals_and_logs_traceback(db, caplog):
    job = running_job(status=JobStatus.QUEUED)

    def body(j, report):
        report(30)
        raise RuntimeError("password=hunter2 at /srv/secret.py")

    with caplog.at_level(logging.ERROR, logger="giaoducso.core.jobs"):
        assert jobs.run_job(job.pk, body) == {"status": JobStatus.FAILED}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == str(jobs.GENERIC_FAILURE)
    assert "hunter2" not in job.message
    assert job.progress == 30  # where it stopped
    assert any("hunter2" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_job_error_message_is_shown(db):
    job = running_job(status=JobStatus.QUEUED)

    def body(j, report):
        raise jobs.JobError("Không có dữ liệu để xuất.")

    jobs.run_job(job.pk, body)
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "Không có dữ liệu để xuất.")


# --- Audit export ------------------------------------------------------------------------------


def audit_line(unit, note, *, at=None, action=AuditAction.UPDATE, object_type="directory.student"):
    return AuditEntry.objects.create(
        at=at or timezone.now(),
        actor_label="tester",
        action=action,
        object_type=object_type,
        object_id="1",
        object_repr=note,
        unit=unit,
        unit_path=unit.path if unit else "",
        changes={"full_name": ["Lê Văn A", "Lê Văn Á"]},
        note=note,
    )


def export_rows(job):
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    with job.result_file.open("rb") as handle:
        sheet = load_workbook(handle, read_only=False).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()], sheet


def run_export(user, django_capture_on_commit_callbacks, **filters):
    with django_capture_on_commit_callbacks(execute=True):
        return audit_export.job_start_audit_export(actor=user, **filters)


def it_officer_of(*units):
    user = UserFactory()
    memberships = [MembershipFactory(user=user, unit=unit, role=Role.DEPARTMENT_IT) for unit in units]
    return user, memberships


def test_audit_export_contains_only_the_users_school(world, django_capture_on_commit_callbacks):
    audit_line(world.school_a, "dòng trường A")
    audit_line(world.school_b, "dòng trường B")
    audit_line(world.department, "dòng của Phòng")
    user, _ = it_officer_of(world.school_a)
    job = run_export(user, django_capture_on_commit_callbacks)
    rows, _sheet = export_rows(job)
    assert rows[0][0] == "Thời điểm"
    assert {row[9] for row in rows[1:] if row[3] == "Học sinh"} == {"dòng trường A"}
    # Every line of the file, the world's own set-up lines included, belongs to school A.
    assert {row[6] for row in rows[1:]} == {world.school_a.name}
    assert job.result["rows"] == len(rows) - 1


def test_department_export_covers_its_subtree(world, django_capture_on_commit_callbacks):
    audit_line(world.school_a, "dòng trường A")
    audit_line(world.school_b, "dòng trường B")
    audit_line(world.province, "dòng của Sở")
    job = run_export(world.user(Role.DEPARTMENT_OFFICER), django_capture_on_commit_callbacks)
    rows, _sheet = export_rows(job)
    notes = {row[9] for row in rows[1:]}
    assert {"dòng trường A", "dòng trường B"} <= notes
    assert "dòng của Sở" not in notes


def test_audit_export_follows_the_unit_switcher(world, django_capture_on_commit_callbacks):
    audit_line(world.school_a, "dòng trường A")
    audit_line(world.school_b, "dòng trường B")
    user, (_a, membership_b) = it_officer_of(world.school_a, world.school_b)
    user.active_membership = membership_b
    job = run_export(user, django_capture_on_commit_callbacks, object_type="directory.student")
    rows, _sheet = export_rows(job)
    assert [row[9] for row in rows[1:]] == ["dòng trường B"]
    assert job.unit == world.school_b


def test_audit_export_refused_when_membership_revoked_meanwhile(world, django_capture_on_commit_callbacks):
    user, (membership,) = it_officer_of(world.school_a)
    user.active_membership = membership
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = audit_export.job_start_audit_export(actor=user)
    membership.is_active = False
    membership.save()
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "không còn hiệu lực" in job.message
    assert not job.result_file


def test_audit_export_filters_and_content(world, django_capture_on_commit_callbacks):
    tz = timezone.get_current_timezone()
    audit_line(world.school_a, "trước", at=dt.datetime(2025, 8, 31, 23, 59, tzinfo=tz))
    audit_line(world.school_a, "đầu kì", at=dt.datetime(2025, 9, 1, 0, 0, tzinfo=tz))
    audit_line(world.school_a, "cuối kì", at=dt.datetime(2025, 9, 30, 23, 59, tzinfo=tz))
    audit_line(world.school_a, "xuất", at=dt.datetime(2025, 9, 15, tzinfo=tz), action=AuditAction.EXPORT)
    audit_line(world.school_a, "sau", at=dt.datetime(2025, 10, 1, 0, 0, tzinfo=tz))
    audit_line(world.school_a, '=HYPERLINK("http://x")', at=dt.datetime(2025, 9, 2, tzinfo=tz))
    user = world.user(Role.DEPARTMENT_OFFICER)
    job = run_export(
        user,
        django_capture_on_commit_callbacks,
        date_from=dt.date(2025, 9, 1),
        date_to=dt.date(2025, 9, 30),
        action=AuditAction.UPDATE,
    )
    assert job.params["date_from"] == "01/09/2025"
    rows, sheet = export_rows(job)
    assert [row[9] for row in rows[1:]] == ["đầu kì", '=HYPERLINK("http://x")', "cuối kì"]
    assert rows[1][0] == "01/09/2025 00:00:00"
    assert rows[1][2] == "Sửa"
    assert rows[1][6] == world.school_a.name
    # Read as people read it (audit.describe_changes): the field's name, not "full_name", and no JSON.
    assert rows[1][8] == "Họ và tên: Lê Văn A → Lê Văn Á"
    # Logged text stays text: a spreadsheet must never evaluate it as a formula.
    assert sheet.cell(row=3, column=10).data_type == "s"


def test_audit_export_is_recorded_and_notifies(world, django_capture_on_commit_callbacks):
    audit_line(world.school_a, "một dòng")
    user = world.user(Role.DEPARTMENT_OFFICER)
    job = run_export(user, django_capture_on_commit_callbacks, object_type="directory.student")
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="core.auditentry").get()
    assert export.actor == user
    assert export.changes == {"rows": 1, "format": "xlsx"}
    assert "Loại đối tượng: Học sinh" in export.note
    notification = Notification.objects.get(recipient=user, kind="job_finished")
    assert notification.url == reverse("core:job_detail", args=[job.pk])


def test_audit_export_reports_progress_every_n_rows(world, django_capture_on_commit_callbacks, monkeypatch):
    for i in range(7):
        audit_line(world.school_a, f"dòng {i}")
    monkeypatch.setattr(audit_export, "AUDIT_EXPORT_PROGRESS_EVERY", 2)
    seen = []
    original = jobs.job_progress

    def spy(job_id, percent, message=""):
        seen.append(int(percent))
        return original(job_id, percent, message)

    monkeypatch.setattr(jobs, "job_progress", spy)
    run_export(
        world.user(Role.DEPARTMENT_OFFICER),
        django_capture_on_commit_callbacks,
        object_type="directory.student",
    )
    # Start, rows 2, 4 and 6, then the file: strictly growing, never 100 before success.
    assert len(seen) == 5
    assert seen == sorted(seen) and seen[-1] < 100


def test_audit_export_rejects_bad_filters(world):
    user = world.user(Role.DEPARTMENT_OFFICER)
    with pytest.raises(audit_export.ValidationError):
        audit_export.job_start_audit_export(
            actor=user, date_from=dt.date(2025, 9, 2), date_to=dt.date(2025, 9, 1)
        )
    with pytest.raises(audit_export.ValidationError):
        audit_export.job_start_audit_export(actor=user, action="steal")
    assert not Job.objects.exists()


# --- Screens -----------------------------------------------------------------------------------


def finished_export_job(user):
    job = Job.objects.create(
        kind="audit_export",
        title="Xuất nhật ký hệ thống ra Excel",
        created_by=user,
        status=JobStatus.SUCCEEDED,
        progress=100,
        result={"rows": 2, "filename": "nhat-ky.xlsx"},
    )
    job.result_file.save("nhat-ky.xlsx", ContentFile(b"PK fake xlsx"), save=True)
    return job


def test_owner_sees_detail_progress_and_download(client, world):
    teacher = world.user(Role.TEACHER)
    job = finished_export_job(teacher)
    sign_in(client, teacher)
    detail = client.get(reverse("core:job_detail", args=[job.pk]))
    assert detail.status_code == 200
    assert b'<progress max="100" value="100"' in detail.content
    assert "100 %" in detail.content.decode()
    assert "Hoàn thành" in detail.content.decode()
    assert reverse("core:job_download", args=[job.pk]) in detail.content.decode()
    response = client.get(reverse("core:job_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK fake xlsx"
    assert 'attachment; filename="nhat-ky.xlsx"' in response["Content-Disposition"]
    line = AuditEntry.objects.filter(action=AuditAction.EXPORT, object_type="core.job").get()
    assert (line.actor, line.object_id) == (teacher, str(job.pk))


@pytest.mark.parametrize("name", ["core:job_detail", "core:job_progress", "core:job_download"])
def test_other_users_get_404(client, world, name):
    job = finished_export_job(world.user(Role.TEACHER))
    sign_in(client, world.stranger)
    assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert not AuditEntry.objects.filter(object_type="core.job").exists()


def test_superuser_may_see_any_job(client, world):
    job = finished_export_job(world.user(Role.TEACHER))
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, admin, verified=True)
    assert client.get(reverse("core:job_detail", args=[job.pk])).status_code == 200


def test_download_of_unfinished_job_is_404(client, world):
    teacher = world.user(Role.TEACHER)
    job = running_job(created_by=teacher, kind="audit_export")
    sign_in(client, teacher)
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404


def test_job_list_shows_only_own_jobs(client, world):
    teacher = world.user(Role.TEACHER)
    running_job(created_by=teacher, title="Việc của tôi")
    running_job(created_by=world.stranger, title="Việc của người khác")
    sign_in(client, teacher)
    page = client.get(reverse("core:job_list")).content.decode()
    assert "Việc của tôi" in page
    assert "Việc của người khác" not in page
    # Teachers may not read the audit log, so they are not offered its export.
    assert reverse("core:job_start_audit_export") not in page
    assert reverse("core:job_start_system_check") in page


def test_unfinished_partial_polls_and_finished_one_stops(client, world):
    teacher = world.user(Role.TEACHER)
    job = running_job(created_by=teacher, progress=42, message="Bước 2/5")
    sign_in(client, teacher)
    url = reverse("core:job_progress", args=[job.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert f'hx-get="{url}"' in html
    assert 'hx-swap="outerHTML"' in html
    assert '<progress max="100" value="42"' in html
    assert "42 %" in html and "Bước 2/5" in html
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress=100)
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html
    assert '<progress max="100" value="100"' in html


def test_start_system_check_from_the_screen(client, world, django_capture_on_commit_callbacks):
    teacher = world.user(Role.TEACHER)
    sign_in(client, teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:job_start_system_check"), {"steps": "4"})
    job = Job.objects.get(created_by=teacher)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert (job.status, job.kind, job.params) == (JobStatus.SUCCEEDED, "system_check", {"steps": 4})


@pytest.mark.parametrize(
    ("steps", "message"),
    [("abc", "Số bước phải là một số nguyên."), ("0", "Số bước ít nhất là 1."), ("999", "nhiều nhất là 50")],
)
def test_bad_system_check_input_is_400(client, world, steps, message):
    sign_in(client, world.user(Role.TEACHER))
    response = client.post(reverse("core:job_start_system_check"), {"steps": steps})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_start_endpoints_refuse_get_and_anonymous(client, world):
    assert client.post(reverse("core:job_start_system_check")).status_code == 302  # to the login page
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("core:job_start_system_check")).status_code == 405


def test_start_audit_export_from_the_screen(client, world, django_capture_on_commit_callbacks):
    officer = world.user(Role.DEPARTMENT_OFFICER)
    audit.record(actor=None, action=AuditAction.UPDATE, object_type="x", unit=world.school_a)
    sign_in(client, officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:job_start_audit_export"),
            {"date_from": "01/01/2020", "date_to": "", "action": "", "object_type": ""},
        )
    job = Job.objects.get(created_by=officer)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.params["date_from"] == "01/01/2020"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date_from": "31/02/2025"}, "dd/mm/yyyy"),
        ({"date_from": "2025-09-01"}, "dd/mm/yyyy"),
        ({"date_from": "02/09/2025", "date_to": "01/09/2025"}, "“Từ ngày” phải trước"),
        ({"action": "drop"}, "Hành động không hợp lệ."),
        ({"object_type": "x" * 101}, "100"),
    ],
)
def test_bad_audit_export_input_is_400(client, world, data, message):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    response = client.post(reverse("core:job_start_audit_export"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_audit_export_not_offered_without_permission(client, world):
    # School leaders read their school's log (test_audit_school_leaders.py); the school office does not.
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    assert client.post(reverse("core:job_start_audit_export"), {}).status_code == 404
    assert not Job.objects.exists()

"""Imports from the UI: a background job checks the uploaded file (the preview), a second one writes it.

Both jobs act as the user who uploaded, with the unit they had chosen, so rows outside their scope are
errors. The file lives under MEDIA_ROOT/imports/ until it is imported or replaced.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import jobs as core_jobs
from giaoducso.core.jobs import JOB_KINDS, JobError, JobKind, JobReporter
from giaoducso.core.models import Job, JobStatus, Unit, User
from giaoducso.core.numbers import grouped
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import has_perm

from .report import Problem, write_problems_xlsx
from .service import run_import

CHECK_KIND = "directory_import_check"
RUN_KIND = "directory_import_run"
MINISTRY_KIND = "directory_ministry_codes"
IMPORT_JOB_KINDS = (CHECK_KIND, RUN_KIND, MINISTRY_KIND)
MINISTRY_LABEL = gettext_lazy("Mã học sinh do Bộ cấp (C1-HocSinh)")
JOB_KINDS.setdefault(CHECK_KIND, JobKind(gettext_lazy("Kiểm tra tệp nhập dữ liệu")))
JOB_KINDS.setdefault(RUN_KIND, JobKind(gettext_lazy("Nhập dữ liệu từ tệp"), notify_on_finish=True))
JOB_KINDS.setdefault(
    MINISTRY_KIND, JobKind(gettext_lazy("Nhập mã học sinh do Bộ cấp"), notify_on_finish=True)
)

PERMS = {"students": Perm.CHANGE_STUDENT, "schools": Perm.CHANGE_SCHOOL, "staff": Perm.CHANGE_STAFF}
UPLOAD_DIR = "imports"
PHASE_SPAN = {"reading": (2, 60), "checking": (60, 90), "writing": (90, 99)}
RUN_SPAN = {"reading": (2, 40), "checking": (40, 50), "writing": (50, 99)}
MINISTRY_SPAN = {"reading": (2, 70), "checking": (70, 75), "writing": (75, 99)}


def kinds_for(user: Any) -> list[str]:
    return [kind for kind, perm in PERMS.items() if has_perm(user, perm)]


def job_start_import_check(*, actor: User | Any, kind: str, stored_name: str, file_name: str) -> Job:
    if kind not in PERMS or not has_perm(actor, PERMS[kind]):
        raise PermissionError("The user may not import this kind of data.")
    from .tasks import check_import

    active = getattr(actor, "active_membership", None)
    return core_jobs.job_start(
        actor=actor,
        kind=CHECK_KIND,
        title=_("Kiểm tra tệp %(file)s") % {"file": file_name},
        unit=core_jobs.job_unit_for(actor),
        task=check_import,
        params={
            "import_kind": kind,
            "file": stored_name,
            "file_name": file_name,
            "membership_id": active.pk if active is not None else None,
        },
    )


def job_start_ministry_codes(
    *, actor: User | Any, school: Unit, stored_name: str, file_name: str, dry_run: bool
) -> Job:
    """The Ministry's returned C1-HocSinh file, checked and (unless dry_run) written in the background."""
    from ..transfers import schools_where
    from .tasks import ministry_codes_task

    if not schools_where(actor, Perm.CHANGE_STUDENT).filter(pk=school.pk).exists():
        raise PermissionError("The user may not change this school's students.")
    if dry_run:
        title = _("Kiểm tra mã học sinh của Bộ từ tệp %(file)s") % {"file": file_name}
    else:
        title = _("Nhập mã học sinh của Bộ từ tệp %(file)s") % {"file": file_name}
    return core_jobs.job_start(
        actor=actor,
        kind=MINISTRY_KIND,
        title=title,
        unit=school,
        task=ministry_codes_task,
        params={
            "import_kind": "ministry_codes",
            "file": stored_name,
            "file_name": file_name,
            "school_id": school.pk,
            "dry_run": bool(dry_run),
            "membership_id": core_jobs.membership_param(actor),
        },
    )


class ImportNotReady(Exception):
    """The checked file may not be written (yet): it had errors, nothing to write, or no finished check."""


def import_can_commit(check_job: Job) -> bool:
    """Whether a check job's file may be written: a finished check, no error, something new or changed."""
    result = check_job.result or {}
    return bool(
        check_job.kind == CHECK_KIND
        and check_job.status == JobStatus.SUCCEEDED
        and result.get("error_count") == 0
        and (result.get("new") or result.get("changed"))
    )


def import_commit_check(*, actor: User | Any, check_job: Job) -> None:
    """The check() before job_start_import_run(): PermissionError when `actor` may not write this file,
    ImportNotReady when the file is not ready to be written."""
    # Only the person who checked the file commits it: the run acts with the role they chose for the check.
    if check_job.created_by_id is None or check_job.created_by_id != getattr(actor, "pk", None):
        raise PermissionError("Only the owner of the check may commit it.")
    if not import_can_commit(check_job):
        raise ImportNotReady
    if not has_perm(actor, PERMS[check_job.params["import_kind"]]):
        raise PermissionError("The user may not import this kind of data.")


def job_start_import_run(*, actor: User | Any, check_job: Job) -> Job:
    import_commit_check(actor=actor, check_job=check_job)
    params = check_job.params
    from .tasks import run_import_task

    return core_jobs.job_start(
        actor=actor,
        kind=RUN_KIND,
        title=_("Nhập dữ liệu từ tệp %(file)s") % {"file": params["file_name"]},
        unit=check_job.unit,
        task=run_import_task,
        params={**params, "check_job": str(check_job.pk)},
    )


@contextmanager
def local_copy(stored_name: str) -> Iterator[Path]:
    """A local path of the stored upload (storage may be remote when there are several app servers)."""
    try:
        yield Path(default_storage.path(stored_name))
        return
    except NotImplementedError:
        pass
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / Path(stored_name).name
        with default_storage.open(stored_name, "rb") as source, open(target, "wb") as handle:
            shutil.copyfileobj(source, handle)
        yield target


def _progress(report: JobReporter, spans: dict[str, tuple[int, int]]) -> Any:
    labels = {
        "reading": _("Đang đọc và kiểm tra %(done)s/%(total)s dòng"),
        "checking": _("Đang đối chiếu %(done)s/%(total)s dòng với dữ liệu có sẵn"),
        "writing": _("Đang ghi %(done)s/%(total)s dòng"),
    }

    def progress(phase: str, done: int, total: int) -> None:
        start, end = spans.get(phase, (0, 99))
        report.step(
            min(done, total) if total else 0,
            total or 1,
            labels[phase] % {"done": grouped(done), "total": grouped(total)},
            start=start,
            end=end,
        )

    return progress


def _body(job: Job, report: JobReporter, *, dry_run: bool) -> dict[str, Any]:
    user = core_jobs._acting_user(job)
    kind = job.params.get("import_kind")
    if kind not in PERMS or not has_perm(user, PERMS[kind]):
        raise JobError(_("Bạn không có quyền nhập loại dữ liệu này."))
    stored = job.params["file"]
    if not default_storage.exists(stored):
        raise JobError(_("Không còn tệp đã tải lên; hãy tải lại tệp."))
    report(1, _("Đang mở tệp…"))
    with local_copy(stored) as path:
        result = run_import(
            kind=kind,
            path=path,
            file_name=job.params["file_name"],
            actor=user,
            dry_run=dry_run,
            scope_user=user,
            parent=job.unit,
            progress=_progress(report, PHASE_SPAN if dry_run else RUN_SPAN),
        )
    preview = result.as_preview()
    if result.errors or result.warnings:
        preview.update(attach_report(job, result.errors, result.warnings, note=result.limits_note()))
    preview["data_rows"] = result.rows
    if not result.ok:
        preview["message"] = _("Tệp có %(count)d lỗi; chưa ghi dữ liệu nào.") % {"count": result.errors.total}
        if result.stopped_at_row:
            preview["message"] += " " + _("Đã dừng kiểm tra ở dòng %(row)d.") % {"row": result.stopped_at_row}
    else:
        preview["message"] = result.summary()
        if not dry_run:
            default_storage.delete(stored)  # imported: the upload has done its work
    return preview


def attach_report(
    job: Job, errors: list[Problem], warnings: list[Problem], *, note: str = ""
) -> dict[str, Any]:
    """Saves the XLSX report on the job; returns what the job's result says about that file."""
    filename = f"bao-cao-nhap-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        write_problems_xlsx(errors, warnings, handle, note=note)
        handle.seek(0)
        job.result_file.save(filename, File(handle), save=False)
    Job.objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    return {"filename": filename, "rows": len(errors) + len(warnings)}


def check_body(job: Job, report: JobReporter) -> dict[str, Any]:
    return _body(job, report, dry_run=True)


def run_body(job: Job, report: JobReporter) -> dict[str, Any]:
    return _body(job, report, dry_run=False)


def ministry_body(job: Job, report: JobReporter) -> dict[str, Any]:
    from .. import ministry
    from ..transfers import schools_where
    from .service import estimate_rows

    user = core_jobs._acting_user(job)
    school = schools_where(user, Perm.CHANGE_STUDENT).filter(pk=job.params.get("school_id")).first()
    if school is None:
        raise JobError(_("Bạn không có quyền sửa hồ sơ học sinh của trường này."))
    stored = job.params["file"]
    if not default_storage.exists(stored):
        raise JobError(_("Không còn tệp đã tải lên; hãy tải lại tệp."))
    dry_run = bool(job.params.get("dry_run"))
    report(1, _("Đang mở tệp…"))
    with local_copy(stored) as path:
        result = ministry.ministry_codes_import(
            actor=user,
            upload=path,
            school=school,
            user=user,
            dry_run=dry_run,
            progress=_progress(report, MINISTRY_SPAN),
            estimate=estimate_rows(path, job.params.get("file_name", "")),
        )
    # No second step reads the upload (a dry run is uploaded again to be written): it has done its work.
    default_storage.delete(stored)
    errors = [Problem(p.row, p.column, "", p.message) for p in result.problems]
    preview: dict[str, Any] = {
        "kind": "ministry_codes",
        "file_name": job.params.get("file_name", ""),
        "data_rows": result.rows,
        "changed": len(result.changed),
        "unchanged": result.unchanged,
        "skipped": result.skipped,
        "error_count": result.problems.total,
        "errors": [p.as_dict() for p in errors],
        "warning_count": 0,
        "warnings": [],
        "stopped_at_row": result.stopped_at_row,
        "limits_note": result.limits_note(),
        "written": result.ok and not dry_run,
        "dry_run": dry_run,
    }
    if errors:
        preview.update(attach_report(job, errors, [], note=result.limits_note()))
        preview["message"] = _("Không ghi gì: tệp có %(n)d lỗi.") % {"n": result.problems.total}
    else:
        preview["message"] = result.summary()
    return preview

"""Background jobs as people see them: a `Job` row with status, progress, message and a result.

A job is started with `job_start()`, which writes the row and enqueues a django-tasks task that receives
the job id only, after the transaction commits (a worker must never look for a row that is not there yet).
The task calls `run_job(job_id, body)`; the body reports progress through a `JobReporter` and returns a
JSON-able result. Re-delivery is harmless: a finished job is skipped and a half-run one starts over.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Job, JobStatus, Membership, Unit, User

if TYPE_CHECKING:
    from django_tasks.base import Task

logger = logging.getLogger(__name__)

# Shown when a body fails for a reason it did not explain itself; the details go to the log only.
GENERIC_FAILURE = gettext_lazy(
    "Công việc gặp lỗi và đã dừng. Hãy thử lại; nếu lỗi lặp lại, hãy báo cán bộ CNTT của đơn vị."
)


class JobError(Exception):
    """A failure whose message is meant for the user (Vietnamese, no internals)."""


@dataclass(frozen=True)
class JobKind:
    label: str | Promise
    # Long jobs tell their owner when they are done; quick demo jobs need not.
    notify_on_finish: bool = False


JOB_KINDS: dict[str, JobKind] = {
    "system_check": JobKind(gettext_lazy("Kiểm tra hệ thống")),
    "audit_export": JobKind(gettext_lazy("Xuất nhật ký hệ thống ra Excel"), notify_on_finish=True),
    "table_export": JobKind(gettext_lazy("Xuất danh sách ra Excel"), notify_on_finish=True),
}


# --- Starting a job ---------------------------------------------------------------------------


def job_start(
    *,
    actor: User | Any,
    kind: str,
    title: str,
    unit: Unit | None,
    task: Task[[str], Any],
    params: dict[str, Any] | None = None,
) -> Job:
    """Creates the job and enqueues `task(job_id)` once the surrounding transaction has committed."""
    if kind not in JOB_KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        title=title[:255],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        params=params or {},
    )
    job_id = str(job.pk)

    def enqueue() -> None:
        try:
            result = task.enqueue(job_id)
        except Exception:
            # The queue itself is down: say so on the job instead of leaving it "queued" forever.
            logger.exception("Could not enqueue job %s", job_id)
            Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
                status=JobStatus.FAILED,
                message=str(_("Không đưa được công việc vào hàng đợi. Hãy thử lại sau ít phút.")),
                finished_at=timezone.now(),
            )
            return
        Job.objects.filter(pk=job_id).update(task_result_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return job


def job_unit_for(user: User | Any) -> Unit | None:
    """The unit a job started now works for: the active one, else the user's only one."""
    active = getattr(user, "active_membership", None)
    if active is not None:
        return active.unit
    units = {m.unit_id: m.unit for m in user.memberships.filter(is_active=True).select_related("unit")}
    return next(iter(units.values())) if len(units) == 1 else None


def membership_param(user: User | Any) -> int | None:
    """The chosen membership's id, for a job's params: the worker must act with the unit the screen showed."""
    active = getattr(user, "active_membership", None)
    return active.pk if active is not None else None


def job_start_system_check(*, actor: User | Any, steps: int = 5) -> Job:
    from .tasks import system_check

    return job_start(
        actor=actor,
        kind="system_check",
        title=str(_("Kiểm tra hệ thống")),
        unit=job_unit_for(actor),
        task=system_check,
        params={"steps": steps},
    )


# --- Running a job ----------------------------------------------------------------------------


def _clamp(percent: float) -> int | None:
    try:
        value = float(percent)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value):
        return None
    return int(min(100, max(0, value)))


def job_progress(job_id: Any, percent: float, message: str = "") -> bool:
    """Records progress of a running job. Never goes backwards; returns whether the row changed.

    A direct UPDATE outside any model instance, so that the polling page sees it at once and a stale
    instance in the body cannot overwrite the status.
    """
    value = _clamp(percent)
    if value is None:
        return False
    fields: dict[str, Any] = {"progress": value}
    if message:
        fields["message"] = str(message)[:500]
    return bool(Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, progress__lte=value).update(**fields))


def _page_size() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 4096


_PAGE_SIZE = _page_size()


def resident_memory() -> int | None:
    """This process's resident memory in bytes, where the system tells it cheaply (Linux); else None."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


class JobMemoryExceeded(JobError):
    """The job grew its worker past JOB_MAX_MEMORY_MB: stopped before the machine runs out."""


class JobReporter:
    """What a job body holds to report progress: `reporter(percent, message)` or `reporter.step(...)`.

    Each report also checks the worker's memory: a job that has grown it by more than JOB_MAX_MEMORY_MB
    since it started is stopped (JobMemoryExceeded), since one worker runs every queued job in turn and a
    machine out of memory kills them all. Growth, not the total, because a worker keeps what earlier jobs
    freed and reuses it."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        self.memory_limit = max(0, int(getattr(settings, "JOB_MAX_MEMORY_MB", 0))) * 1024 * 1024
        self.memory_start = resident_memory() if self.memory_limit else None
        self.memory_peak = self.memory_start or 0

    def check_memory(self) -> None:
        if self.memory_start is None:
            return
        now = resident_memory()
        if now is None:
            return
        self.memory_peak = max(self.memory_peak, now)
        if now - self.memory_start > self.memory_limit:
            logger.warning(
                "Job %s stopped: resident memory grew by %d MB (limit %d MB)",
                self.job_id,
                (now - self.memory_start) // (1024 * 1024),
                self.memory_limit // (1024 * 1024),
            )
            raise JobMemoryExceeded(
                _(
                    "Công việc cần quá %(limit)d MB bộ nhớ nên đã dừng. "
                    "Hãy chia dữ liệu thành nhiều phần nhỏ hơn rồi thử lại."
                )
                % {"limit": self.memory_limit // (1024 * 1024)}
            )

    def __call__(self, percent: float, message: str = "") -> bool:
        self.check_memory()
        return job_progress(self.job_id, percent, message)

    def step(self, done: int, total: int, message: str = "", *, start: int = 0, end: int = 100) -> bool:
        """Progress as `done` of `total`, mapped into [start, end] percent."""
        fraction = done / total if total > 0 else 1.0
        return self(start + (end - start) * fraction, message)


JobBody = Callable[[Job, JobReporter], dict[str, Any] | None]


def run_job(job_id: Any, body: JobBody) -> dict[str, Any]:
    """Runs `body` for the job, marking it running, then succeeded or failed. Safe to call twice."""
    now = timezone.now()
    # Claiming is one conditional UPDATE: a finished job stays finished, a running one starts over.
    claimed = Job.objects.filter(pk=job_id, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).update(
        status=JobStatus.RUNNING,
        progress=0,
        message="",
        result={},
        result_file="",
        started_at=now,
        finished_at=None,
    )
    if not claimed:
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
        logger.info("Job %s not run: status %s", job_id, status or "missing")
        return {"skipped": True, "status": status}
    job = Job.objects.select_related("created_by", "unit").get(pk=job_id)
    # A worker has no request: messages and files are written in the language of the person who asked.
    language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            result = body(job, JobReporter(job.pk)) or {}
        except JobError as exc:
            _finish(job, JobStatus.FAILED, str(exc))
            return {"status": JobStatus.FAILED}
        except Exception:
            logger.exception("Job %s (%s) failed", job_id, job.kind)
            _finish(job, JobStatus.FAILED, str(GENERIC_FAILURE))
            return {"status": JobStatus.FAILED}
        message = str(result.pop("message", "")) or str(_("Hoàn thành."))
        _finish(job, JobStatus.SUCCEEDED, message, result=result, progress=100)
    return {"status": JobStatus.SUCCEEDED}


def _finish(
    job: Job, status: str, message: str, *, result: dict[str, Any] | None = None, progress: int | None = None
) -> None:
    fields: dict[str, Any] = {"status": status, "message": message[:500], "finished_at": timezone.now()}
    if result is not None:
        fields["result"] = result
    if progress is not None:
        fields["progress"] = progress
    if not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields):
        return  # another run finished it meanwhile; it has told the owner already
    kind = JOB_KINDS.get(job.kind)
    if kind and kind.notify_on_finish and job.created_by_id:
        from django.urls import reverse

        from .notifications import notify

        title = (
            _("Đã xong: %(title)s") if status == JobStatus.SUCCEEDED else _("Không thực hiện được: %(title)s")
        ) % {"title": job.title}
        notify(
            recipients=[job.created_by],
            kind="job_finished",
            title=title,
            body=message,
            url=reverse("core:job_detail", args=[job.pk]),
            unit=job.unit,
        )


def _acting_user(job: Job) -> User:
    """The job's owner as they were when they started it, with the unit they had chosen."""
    user = job.created_by
    if user is None or not user.is_active:
        raise JobError(_("Tài khoản đã tạo công việc này không còn hoạt động."))
    membership_id = job.params.get("membership_id")
    if membership_id:
        active = (
            Membership.objects.filter(pk=membership_id, user=user, is_active=True)
            .select_related("unit")
            .first()
        )
        if active is None:
            raise JobError(_("Vai trò dùng khi tạo công việc này không còn hiệu lực."))
        user.active_membership = active  # type: ignore[attr-defined]
    return user


# --- Job bodies -------------------------------------------------------------------------------

# Seconds each system-check step lasts, so that a person watching sees the bar move.
SYSTEM_CHECK_STEP_SECONDS = 1.0
SYSTEM_CHECK_MAX_STEPS = 50


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _check_cache() -> bool:
    key = "giaoducso:system-check"
    cache.set(key, "ok", 10)
    return cache.get(key) == "ok"


def _check_media() -> bool:
    from django.core.files.storage import default_storage

    name = default_storage.save("system-check/probe.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return True


def _check_email() -> bool:
    return bool(settings.EMAIL_BACKEND and settings.DEFAULT_FROM_EMAIL)


def _check_sms() -> bool:
    from .sms import get_sms_backend

    return get_sms_backend() is not None


SYSTEM_CHECKS: list[tuple[Promise, Callable[[], bool]]] = [
    (gettext_lazy("Kết nối cơ sở dữ liệu"), _check_database),
    (gettext_lazy("Bộ nhớ đệm"), _check_cache),
    (gettext_lazy("Thư mục lưu tệp"), _check_media),
    (gettext_lazy("Cấu hình thư điện tử"), _check_email),
    (gettext_lazy("Cấu hình tin nhắn SMS"), _check_sms),
]


def system_check_body(job: Job, report: JobReporter) -> dict[str, Any]:
    """Walks `steps` steps, one small check each, reporting progress after every step."""
    try:
        steps = int(job.params.get("steps", 5))
    except (TypeError, ValueError) as exc:
        raise JobError(_("Số bước kiểm tra không hợp lệ.")) from exc
    steps = max(1, min(SYSTEM_CHECK_MAX_STEPS, steps))
    results = []
    for index in range(steps):
        label, check = SYSTEM_CHECKS[index % len(SYSTEM_CHECKS)]
        try:
            ok = check()
        except Exception:
            logger.warning("System check %r failed", str(label), exc_info=True)
            ok = False
        results.append({"check": str(label), "ok": ok})
        if SYSTEM_CHECK_STEP_SECONDS:
            time.sleep(SYSTEM_CHECK_STEP_SECONDS)
        report.step(
            index + 1,
            steps,
            _("Bước %(done)d/%(total)d: %(label)s") % {"done": index + 1, "total": steps, "label": label},
        )
    failed = [r["check"] for r in results if not r["ok"]]
    message = (
        _("Hoàn thành: mọi mục kiểm tra đều đạt.")
        if not failed
        else _("Hoàn thành, có mục chưa đạt: %(items)s.") % {"items": ", ".join(failed)}
    )
    return {"checks": results, "message": message}

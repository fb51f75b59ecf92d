"""The assignment and the publication as background jobs (core.jobs): 200,000 applications take longer than
a request may, so the department's buttons start a job and follow its progress. Both are safe to run twice:
the same inputs and seed give the same assignment, and a campaign already published stays as it is."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from giaoducso.core import jobs
from giaoducso.core.jobs import JOB_KINDS, JobError, JobKind
from giaoducso.core.models import Job

from . import services
from .models import Campaign, CampaignState

ASSIGN = "admissions_assign"
PUBLISH = "admissions_publish"
JOB_KINDS.setdefault(ASSIGN, JobKind(gettext_lazy("Phân tuyến tuyển sinh"), notify_on_finish=True))
JOB_KINDS.setdefault(PUBLISH, JobKind(gettext_lazy("Công bố kết quả tuyển sinh"), notify_on_finish=True))


def job_start_assignment(*, actor: Any, campaign: Campaign, seed: str) -> Job:
    return jobs.job_start(
        actor=actor,
        kind=ASSIGN,
        title=_("Phân tuyến: %(name)s") % {"name": campaign.name},
        unit=campaign.unit,
        task=assign_task,
        params={"campaign_id": campaign.pk, "seed": seed[:64], "membership_id": jobs.membership_param(actor)},
    )


def job_start_publication(*, actor: Any, campaign: Campaign) -> Job:
    return jobs.job_start(
        actor=actor,
        kind=PUBLISH,
        title=_("Công bố kết quả: %(name)s") % {"name": campaign.name},
        unit=campaign.unit,
        task=publish_task,
        params={"campaign_id": campaign.pk, "membership_id": jobs.membership_param(actor)},
    )


def _campaign(job: Job) -> Campaign:
    campaign = Campaign.objects.select_related("unit").filter(pk=job.params.get("campaign_id")).first()
    if campaign is None:
        raise JobError(_("Kì tuyển sinh không còn tồn tại."))
    return campaign


def assign_body(job: Job, report: jobs.JobReporter) -> dict[str, Any]:
    actor = jobs._acting_user(job)
    campaign = _campaign(job)
    report(5, _("Đang lập danh sách nguyện vọng và nhóm ưu tiên…"))
    try:
        run = services.assignment_run(
            actor=actor, campaign=campaign, seed=job.params.get("seed", ""), progress=report
        )
    except (ValidationError, PermissionDenied) as error:
        raise JobError(" ".join(getattr(error, "messages", [str(error)]))) from error
    return {
        "rows": run.counts.get("assigned", 0) + run.counts.get("unassigned", 0),
        "message": _(
            "%(a)s trúng tuyển, %(u)s chưa được xếp trường; hạt giống %(seed)s; mã kiểm tra %(sha)s."
        )
        % {
            "a": run.counts.get("assigned", 0),
            "u": run.counts.get("unassigned", 0),
            "seed": run.seed,
            "sha": run.result_sha256[:16],
        },
    }


def publish_body(job: Job, report: jobs.JobReporter) -> dict[str, Any]:
    actor = jobs._acting_user(job)
    campaign = _campaign(job)
    if campaign.state == CampaignState.PUBLISHED:
        return {"message": _("Kết quả đã được công bố trước đó.")}
    try:
        total = services.campaign_publish(actor=actor, campaign=campaign, progress=report)
    except (ValidationError, PermissionDenied) as error:
        raise JobError(" ".join(getattr(error, "messages", [str(error)]))) from error
    return {"rows": total, "message": _("Đã công bố %(n)s kết quả.") % {"n": total}}


@task()
def assign_task(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, assign_body)


@task()
def publish_task(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, publish_body)

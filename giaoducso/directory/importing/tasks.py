"""django-tasks entry points of the imports: ids in, the shared job runner does the rest."""

from typing import Any

from django_tasks import task

from giaoducso.core.jobs import run_job

from . import jobs


@task()
def check_import(job_id: str) -> dict[str, Any]:
    return run_job(job_id, jobs.check_body)


@task()
def run_import_task(job_id: str) -> dict[str, Any]:
    return run_job(job_id, jobs.run_body)


@task()
def ministry_codes_task(job_id: str) -> dict[str, Any]:
    return run_job(job_id, jobs.ministry_body)

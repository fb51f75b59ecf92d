"""django-tasks entry points of the records: ids in, the shared job runner does the rest."""

from typing import Any

from django_tasks import task

from giaoducso.core.jobs import run_job

from . import importing


@task()
def check_gradebook_import(job_id: str) -> dict[str, Any]:
    return run_job(job_id, importing.check_body)


@task()
def run_gradebook_import(job_id: str) -> dict[str, Any]:
    return run_job(job_id, importing.run_body)

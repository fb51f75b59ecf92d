"""django-tasks entry points. Each takes ids only and hands over to a service; all are safe to run twice."""

from typing import Any

from django_tasks import task

from . import audit_export, exports, jobs, notifications


@task()
def system_check(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, jobs.system_check_body)


@task()
def export_audit_log(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, audit_export.audit_export_body)


@task()
def export_table(job_id: str) -> dict[str, Any]:
    return jobs.run_job(job_id, exports.table_export_body)


@task()
def deliver_notification_email(notification_id: int) -> bool:
    return notifications.deliver_email(notification_id)


@task()
def deliver_notification_sms(notification_id: int) -> bool:
    return notifications.deliver_sms(notification_id)


@task()
def run_periodic(name: str, day: str) -> dict[str, Any]:
    """One registered daily entry (core.periodic) for the day given as YYYY-MM-DD; idempotent."""
    import datetime as dt

    from . import periodic

    return periodic.run_one(name, dt.date.fromisoformat(day))

"""Core's own cards on the home page (the apps register theirs in their AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from .models import Membership
from .roles import Role
from .selectors import job_list
from .widgets import register_widget

RECENT_JOBS = 5


def recent_jobs(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    return {"jobs": list(job_list(user=user)[:RECENT_JOBS])}


def register() -> None:
    register_widget(
        "core.recent_jobs",
        roles=(Role.DEPARTMENT_LEADER, Role.DEPARTMENT_OFFICER, Role.DEPARTMENT_IT),
        template="core/widgets/recent_jobs.html",
        context_fn=recent_jobs,
        order=40,
    )

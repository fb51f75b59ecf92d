"""Core's own cards on the home page and its public feature (the apps register theirs in their ready())."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from .features import register_feature
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
    register_feature(
        "core.accounts",
        title=_("Tài khoản theo đơn vị và vai trò"),
        description=_(
            "Mỗi cán bộ, giáo viên, cha mẹ và học sinh chỉ thấy dữ liệu của đơn vị, lớp hoặc con em mình; "
            "mọi thay đổi dữ liệu cá nhân được ghi nhật ký."
        ),
        order=90,
    )

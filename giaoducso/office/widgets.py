"""The office card on the home page: what waits for the person (queue, approvals, due and overdue)."""

from __future__ import annotations

from typing import Any

from giaoducso.core.models import Membership
from giaoducso.core.roles import Role
from giaoducso.core.widgets import register_widget

OFFICE_ROLES = (
    Role.DEPARTMENT_LEADER,
    Role.DEPARTMENT_OFFICER,
    Role.DEPARTMENT_IT,
    Role.PRINCIPAL,
    Role.VICE_PRINCIPAL,
    Role.SCHOOL_OFFICE,
    Role.SCHOOL_IT,
)


def pending_card(user: Any, memberships: list[Membership]) -> dict[str, Any] | None:
    from .selectors import pending_counts

    return {"counts": pending_counts(user)}


def register() -> None:
    register_widget(
        "office.pending",
        roles=OFFICE_ROLES,
        template="office/widgets/pending.html",
        context_fn=pending_card,
        order=15,
    )

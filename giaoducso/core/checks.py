"""System checks of a deployment that only the database can answer."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError, connections

AUDIT_TABLE = "core_auditentry"


def connected_as_audit_owner(alias: str = "default") -> bool | None:
    """True when the connection's role owns the audit table (or is in the owning role, or a superuser):
    such a role may drop or disable the triggers that keep the log append-only. None when unknown
    (not PostgreSQL, not migrated yet, or the database does not answer)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'MEMBER')
                FROM pg_class c JOIN pg_roles r ON r.rolname = current_user
                WHERE c.oid = to_regclass(%s)
                """,
                [AUDIT_TABLE],
            )
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return None if row is None else bool(row[0])


@register(Tags.security, deploy=True)
def check_app_role_cannot_disable_audit_triggers(
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    if connected_as_audit_owner() is not True:
        return []
    return [
        Warning(
            "The application connects to PostgreSQL as the owner of the audit table (or as a superuser), "
            "so it could disable or drop the triggers that keep the audit log append-only.",
            hint=(
                "Migrate as the owner, then run `python manage.py grant_app_role APP_ROLE` as the owner and "
                "point the application's DATABASE_URL at APP_ROLE (README, Production: database roles)."
            ),
            id="giaoducso.W001",
        )
    ]

"""Database triggers that make the audit log append-only, whatever code or tool connects.

The migration installs them. The test settings turn them off (AUDIT_DB_TRIGGERS=False) only because the
test runner empties every table between transactional tests; a test installs them inside its own
transaction to prove they hold.
"""

from typing import Any

SQL: dict[str, list[str]] = {
    "sqlite": [
        """CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
        """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
           BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    ],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
        """CREATE TRIGGER core_auditentry_no_change BEFORE UPDATE OR DELETE ON core_auditentry
           FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only();""",
        # TRUNCATE skips row triggers; refuse it too.
        """CREATE TRIGGER core_auditentry_no_truncate BEFORE TRUNCATE ON core_auditentry
           FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only();""",
    ],
}
REVERSE_SQL: dict[str, list[str]] = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_update;",
        "DROP TRIGGER IF EXISTS core_auditentry_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS core_auditentry_no_change ON core_auditentry;",
        "DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;",
        "DROP FUNCTION IF EXISTS core_auditentry_append_only();",
    ],
}


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in SQL.get(connection.vendor, []):
            cursor.execute(sql)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        for sql in REVERSE_SQL.get(connection.vendor, []):
            cursor.execute(sql)

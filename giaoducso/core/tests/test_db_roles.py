"""Two PostgreSQL roles: the owner migrates; the app role reads and writes rows, may only add audit lines,
and cannot disable the triggers that keep the audit log append-only."""

import secrets
import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from giaoducso.core.checks import check_app_role_cannot_disable_audit_triggers, connected_as_audit_owner
from giaoducso.testing.factories import UnitFactory

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles and privileges are PostgreSQL's"
)


@pytest.fixture
def app_role(transactional_db: None):  # type: ignore[no-untyped-def]
    """A fresh login role (roles are cluster-wide: a random name, dropped afterwards)."""
    name = f"gds_app_{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(16)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [password])
    yield name, password
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


def _connect_as(name: str, password: str):  # type: ignore[no-untyped-def]
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        dbname=params["NAME"],
        user=name,
        password=password,
        autocommit=True,
    )


INSERT_AUDIT = """
    INSERT INTO core_auditentry (at, actor_label, user_agent, request_id, action, object_type, object_id,
                                 object_repr, unit_path, changes, note)
    VALUES (now(), 'app', '', '', 'view', 'core.unit', '1', 'x', '', '{}'::jsonb, 'test')
    RETURNING id
"""


@postgresql_only
def test_the_app_role_appends_to_the_audit_log_and_can_do_nothing_else_to_it(app_role) -> None:  # type: ignore[no-untyped-def]
    import psycopg

    name, password = app_role
    call_command("grant_app_role", name, stdout=StringIO())
    with _connect_as(name, password) as conn:
        # What the application needs: audit lines in, rows of other tables read and written.
        audit_id = conn.execute(INSERT_AUDIT).fetchone()[0]
        assert conn.execute("SELECT note FROM core_auditentry WHERE id = %s", [audit_id]).fetchone() == (
            "test",
        )
        unit = UnitFactory(code="DBR1", name="Đơn vị thử")
        conn.execute("UPDATE core_unit SET name = 'Đổi tên' WHERE id = %s", [unit.pk])
        assert conn.execute("SELECT has_table_privilege('core_unit', 'INSERT')").fetchone() == (True,)
        conn.execute("DELETE FROM core_unit WHERE id = %s", [unit.pk])
        # What it must never do, whatever code or person holds its password.
        refused = [
            ("UPDATE core_auditentry SET note = 'sửa' WHERE id = %s", [audit_id]),
            ("DELETE FROM core_auditentry WHERE id = %s", [audit_id]),
            ("TRUNCATE core_auditentry", None),
            ("ALTER TABLE core_auditentry DISABLE TRIGGER ALL", None),
            ("DROP TABLE core_auditentry", None),
            (
                "CREATE TRIGGER x BEFORE UPDATE ON core_unit FOR EACH ROW"
                " EXECUTE FUNCTION suppress_redundant_updates_trigger()",
                None,
            ),
            ("ALTER TABLE core_unit ADD COLUMN x integer", None),
        ]
        for statement, params in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement, params)
        assert conn.execute("SELECT note FROM core_auditentry WHERE id = %s", [audit_id]).fetchone() == (
            "test",
        )


@postgresql_only
def test_grant_app_role_refuses_an_owner_or_an_unknown_role(app_role) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="superuser hoặc sở hữu"):
        call_command("grant_app_role", connection.settings_dict["USER"] or "postgres", stdout=StringIO())
    with pytest.raises(CommandError, match="Không có vai trò"):
        call_command("grant_app_role", "khong_co_vai_tro_nay", stdout=StringIO())
    with pytest.raises(CommandError, match="Tên vai trò"):
        call_command("grant_app_role", 'x"; DROP TABLE core_unit; --', stdout=StringIO())


@postgresql_only
def test_check_deploy_warns_when_the_app_connects_as_the_owner(app_role) -> None:  # type: ignore[no-untyped-def]
    name, _password = app_role
    assert connected_as_audit_owner() is True  # the test suite connects as the owner
    warnings = check_app_role_cannot_disable_audit_triggers()
    assert [w.id for w in warnings] == ["giaoducso.W001"]
    call_command("grant_app_role", name, stdout=StringIO())
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {name}")
    try:
        assert check_app_role_cannot_disable_audit_triggers() == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def test_the_check_is_silent_where_it_cannot_tell(db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL the tests above cover it")
    assert connected_as_audit_owner() is None
    assert check_app_role_cannot_disable_audit_triggers() == []


def test_grant_app_role_is_for_postgresql_only(db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL runs the command for real above")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_app_role", "gds_app", stdout=StringIO())

"""Grants the application's PostgreSQL role what it needs, and nothing that could rewrite history.

Run as the owner of the tables (the role that migrates), after every `migrate`: new tables get no
privileges by themselves. The app role may read and write rows; on the audit log it may only add and
read lines. It owns nothing, so it can neither ALTER/DROP tables nor disable the audit triggers.
"""

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from giaoducso.core.checks import AUDIT_TABLE

_ROLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


class Command(BaseCommand):
    help = (
        "Cấp cho vai trò PostgreSQL của ứng dụng quyền đọc/ghi dữ liệu (không DDL, không TRIGGER); "
        "nhật ký hệ thống chỉ được thêm và đọc. Chạy bằng vai trò sở hữu bảng, sau mỗi lần migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="Tên vai trò PostgreSQL mà ứng dụng dùng để kết nối.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        role: str = options["role"]
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("Lệnh này chỉ dùng cho PostgreSQL.")
        if not _ROLE_RE.match(role):
            raise CommandError("Tên vai trò chỉ gồm chữ cái không dấu, chữ số và dấu gạch dưới.")
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT r.rolsuper, pg_has_role(r.oid, c.relowner, 'MEMBER')
                FROM pg_roles r LEFT JOIN pg_class c ON c.oid = to_regclass(%s)
                WHERE r.rolname = %s
                """,
                [AUDIT_TABLE, role],
            )
            row = cursor.fetchone()
            if row is None:
                raise CommandError(
                    f"Không có vai trò '{role}'. Tạo trước: CREATE ROLE {role} LOGIN PASSWORD '...';"
                )
            superuser, owner = row
            if superuser or owner:
                raise CommandError(
                    f"Vai trò '{role}' là superuser hoặc sở hữu bảng nhật ký: nó tắt được trigger. "
                    "Ứng dụng cần một vai trò riêng, không sở hữu bảng nào."
                )
            cursor.execute("SELECT current_schema()")
            schema = connection.ops.quote_name(cursor.fetchone()[0])
        quoted = connection.ops.quote_name(role)
        audit = connection.ops.quote_name(AUDIT_TABLE)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
            # From a clean slate, so that a privilege granted by hand earlier (TRIGGER, TRUNCATE) goes.
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
            # The audit log: add and read lines, never change or remove them.
            f"REVOKE UPDATE, DELETE ON {audit} FROM {quoted}",
            f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {quoted}",
            f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
        ]
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
            cursor.execute(
                "SELECT count(*) FROM information_schema.role_table_grants "
                "WHERE grantee = %s AND privilege_type = 'SELECT'",
                [role],
            )
            tables = cursor.fetchone()[0]
        self.stdout.write(
            f"Đã cấp quyền cho '{role}' trên {tables} bảng (SELECT/INSERT/UPDATE/DELETE; "
            f"{AUDIT_TABLE}: chỉ SELECT/INSERT) và dùng các sequence. Chạy lại sau mỗi lần migrate."
        )

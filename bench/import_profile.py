"""Where an import's seconds go: per phase and per statement, then per table and per constraint trigger.

Used by bench/import_students.py --profile (and by hand for the staff and school imports):

- `StatementClock` times every statement of the import as it runs (Django's execute wrapper for SQL, the
  COPY helpers of core.bulk by table, the COMMIT), so the write phase is split without changing it.
- `replay` inserts the rows an import wrote a second time, table by table, under
  `EXPLAIN (ANALYZE, BUFFERS, WAL)` with the constraints IMMEDIATE (a deferred foreign key fires at COMMIT,
  where EXPLAIN cannot see it), inside a transaction that is rolled back: execution time, the time of each
  constraint trigger, WAL records and bytes, buffers dirtied.
- `index_costs` copies a table's rows into an unindexed twin and adds its indexes one at a time: what each
  index costs an insert of those rows.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_TABLE = re.compile(r'(?:FROM|INTO|UPDATE|COPY)\s+"?([a-z_]+)"?', re.IGNORECASE)


class StatementClock:
    """Seconds and calls per kind of statement ("COPY directory_student", "SELECT core_unit", "COMMIT")."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def add(self, key: str, seconds: float) -> None:
        self.seconds[key] += seconds
        self.calls[key] += 1

    def _sql(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"
        found = _TABLE.search(sql)
        key = f"{verb} {found.group(1) if found else ''}".strip()
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.add(key, time.perf_counter() - started)

    @contextmanager
    def watching(self) -> Iterator[StatementClock]:
        """Times statements, COPYs (by table, Python's share included) and the COMMIT while active."""
        from django.db import connection

        from giaoducso.core import audit, bulk

        originals = {name: getattr(bulk, name) for name in ("_copy", "insert_rows")}
        audit_insert, audit_many = audit.insert_rows, audit.record_create_many

        def timed_audit(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return audit_many(*args, **kwargs)
            finally:
                self.add("audit.record_create_many (lines built and sent)", time.perf_counter() - started)

        def timed(name: str) -> Callable[..., Any]:
            def run(model: Any, *args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return originals[name](model, *args, **kwargs)
                finally:
                    self.add(
                        f"COPY {model._meta.db_table} (rows built and sent)", time.perf_counter() - started
                    )

            return run

        commit = connection.commit

        def timed_commit() -> None:
            started = time.perf_counter()
            try:
                commit()
            finally:
                self.add("COMMIT (deferred constraint triggers)", time.perf_counter() - started)

        for name in originals:
            setattr(bulk, name, timed(name))
        audit.insert_rows, audit.record_create_many = timed("insert_rows"), timed_audit
        connection.commit = timed_commit  # type: ignore[method-assign]
        try:
            with connection.execute_wrapper(self._sql):
                yield self
        finally:
            for name, original in originals.items():
                setattr(bulk, name, original)
            audit.insert_rows, audit.record_create_many = audit_insert, audit_many
            del connection.commit

    def lines(self, total: float) -> list[str]:
        out = []
        for key, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1]):
            if seconds >= 0.005:
                out.append(
                    f"    {seconds:7.2f} s {100 * seconds / total:5.1f}%  {self.calls[key]:6d}×  {key}"
                )
        return out


def _constraint_names(cursor: Any) -> dict[str, str]:
    cursor.execute(
        "SELECT t.tgname, c.conname FROM pg_trigger t JOIN pg_constraint c ON c.oid = t.tgconstraint"
        " WHERE t.tgisinternal"
    )
    return dict(cursor.fetchall())


def replay(tables: list[str], *, where: dict[str, str] | None = None) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS, WAL) of inserting again what `tables` hold (in this order, parents first),
    constraints immediate, rolled back. `where`: a filter per table (the audit lines of the import)."""
    import json

    from django.db import connection, transaction

    where = where or {}
    out = []
    with connection.cursor() as cursor:
        names = _constraint_names(cursor)
        copies = {}
        for table in tables:
            copy = f"profile_{table}"
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
            cursor.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table} {where.get(table, '')}")
            cursor.execute(f"SELECT count(*) FROM {copy}")
            copies[table] = (copy, cursor.fetchone()[0])
        kept = [t for t in tables if not where.get(t)]
        try:
            with transaction.atomic():
                # Make room for the same rows (same ids, same unique values) inside the rolled-back transaction.
                cursor.execute(f"TRUNCATE {', '.join(kept)} CASCADE")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                for table in tables:
                    copy, rows = copies[table]
                    columns = "*"
                    if where.get(table):  # an append-only table: the lines again under new ids
                        cursor.execute(
                            "SELECT string_agg(quote_ident(attname), ', ') FROM pg_attribute WHERE attrelid = %s::regclass"
                            " AND attnum > 0 AND NOT attisdropped AND attname <> 'id'",
                            [table],
                        )
                        columns = cursor.fetchone()[0]
                    target = f"{table} ({columns})" if columns != "*" else table
                    cursor.execute(
                        f"EXPLAIN (ANALYZE, BUFFERS, WAL, FORMAT JSON) INSERT INTO {target} SELECT {columns} FROM {copy}"
                    )
                    plan = cursor.fetchone()[0]
                    plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
                    node = plan["Plan"]
                    triggers = plan.get("Triggers", [])
                    trigger_ms = sum(t["Time"] for t in triggers)
                    insert_ms = plan["Execution Time"] - trigger_ms
                    out.append(
                        f"  {table}: {rows} rows, insert and indexes {insert_ms / 1000:.2f} s, "
                        f"constraint triggers {trigger_ms / 1000:.2f} s; WAL {node.get('WAL Records', 0)} records, "
                        f"{node.get('WAL Bytes', 0) / 1e6:.1f} MB, FPI {node.get('WAL FPI', 0)}; "
                        f"buffers dirtied {node.get('Shared Dirtied Blocks', 0)}"
                    )
                    for trig in sorted(triggers, key=lambda t: -t["Time"]):
                        name = names.get(trig["Trigger Name"], trig["Trigger Name"])
                        per_row = 1000 * trig["Time"] / max(1, trig["Calls"])
                        out.append(
                            f"      {trig['Time'] / 1000:6.2f} s {trig['Calls']:7d} calls {per_row:5.1f} µs  {name}"
                        )
                raise _Rollback
        except _Rollback:
            pass
        for copy, _rows in copies.values():
            cursor.execute(f"DROP TABLE IF EXISTS {copy}")
    return out


def index_costs(table: str) -> list[str]:
    """Seconds to insert `table`'s rows into an unindexed (logged) copy, then the extra seconds of each index alone."""
    from django.db import connection

    out = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = %s::regclass ORDER BY 1",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(f"CREATE TEMP TABLE profile_src AS SELECT * FROM {table}")

        def insert_seconds() -> float:
            started = time.perf_counter()
            cursor.execute("INSERT INTO profile_dst SELECT * FROM profile_src")
            return time.perf_counter() - started

        cursor.execute("CREATE TABLE profile_dst (LIKE profile_src)")
        insert_seconds()  # a first pass warms the cache: the figures below compare like with like
        cursor.execute("TRUNCATE profile_dst")
        bare = insert_seconds()
        out.append(f"  {table}: insert with no index {bare:.2f} s")
        for name, definition in indexes:
            cursor.execute("DROP TABLE profile_dst")
            cursor.execute("CREATE TABLE profile_dst (LIKE profile_src)")
            sql = re.sub(
                r" ON [^ ]+ ", " ON profile_dst ", definition.replace(name, "profile_idx", 1), count=1
            )
            cursor.execute(sql)
            extra = insert_seconds() - bare
            out.append(f"      +{extra:5.2f} s  {name}")
        cursor.execute("DROP TABLE profile_dst")
        cursor.execute("DROP TABLE profile_src")
    return out


class _Rollback(Exception):
    pass


if __name__ == "__main__":  # `make bench` runs every script here; this one is a helper
    print("import_profile: used by `bench/import_students.py --profile`; nothing to run on its own.")

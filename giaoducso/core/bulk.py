"""Inserting many rows of a model at once, ids filled in: the one insert of every bulk write path.

On PostgreSQL the ids are drawn from the table's sequence in one statement and the rows go through COPY,
several times faster than INSERT for tens of thousands of rows; elsewhere through bulk_create. Either way the
instances come back with their pk set, so the caller links related rows and audits them the same way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection, models

BATCH_SIZE = 2000


class RawJSON(str):
    """A JSON document already serialised by the caller, for a JSONField column of insert_rows: sent as it
    is (PostgreSQL parses it), so a bulk writer that builds the text itself pays for it once."""


def constraints_at_each_statement() -> None:
    """For the rest of the current transaction, PostgreSQL checks the deferred foreign keys at the end of
    each statement (each COPY) instead of all of them at COMMIT. The same checks, in the same transaction:
    a violation still rolls everything back. But at COMMIT the queued checks of 10^5 rows revisit pages
    long since evicted, and cost about twice as much (bench/README.md). Parents must be inserted before
    their children, as the bulk paths do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Inserts `objs` (unsaved instances of `model`) and sets each one's pk."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        if any(obj.pk is None for obj in objs):
            raise RuntimeError(f"{model._meta.label}: the database returned no ids from bulk_create")
        return
    _copy(model, objs)


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Inserts plain rows (values of the fields `names`, by attname) when no instance is needed afterwards:
    no model instance is built on PostgreSQL, which is most of the cost of a large insert."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [
                model(
                    **{
                        n: json.loads(v) if isinstance(v, RawJSON) else v
                        for n, v in zip(names, row, strict=True)
                    }
                )
                for row in rows
            ],
            batch_size=BATCH_SIZE,
        )
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    prepared = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)  # type: ignore[union-attr]
    with (
        connection.cursor() as cursor,
        cursor.connection.cursor() as pg,
        pg.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if prepared:
                values = list(row)
                for index, json_field in prepared:
                    if not isinstance(values[index], RawJSON):
                        values[index] = json_field.get_db_prep_save(values[index], connection)
                row = values
            copy.write_row(row)


def insert_rows_with_ids(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[Any]:
    """insert_rows, and the ids the rows were given, in their order: for a bulk writer that links or audits
    rows it never makes instances of. `names` must not hold the primary key."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        if any(obj.pk is None for obj in objs):
            raise RuntimeError(f"{model._meta.label}: the database returned no ids from bulk_create")
        return [obj.pk for obj in objs]
    pk = model._meta.pk
    assert pk is not None and pk.attname not in names
    ids = _next_ids(model, len(rows))
    insert_rows(
        model, (pk.attname, *names), [(pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)]
    )
    return ids


def _next_ids(model: type[models.Model], count: int) -> list[Any]:
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def _copy(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    table = meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, pk.column, len(objs)],
        )
        for obj, (pk_value,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk_value
        fields = list(meta.concrete_fields)
        # auto_now(_add) dates and the like are set as save() would; JSON and other adapted types are
        # prepared by their field; plain values go as they are.
        stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        attnames = [f.attname for f in fields]
        prepared = [(i, f) for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with (
            cursor.connection.cursor() as pg,
            pg.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy,
        ):
            for obj in objs:
                for field in stamped:
                    field.pre_save(obj, add=True)
                values: list[Any] = [getattr(obj, name) for name in attnames]
                for index, json_field in prepared:
                    values[index] = json_field.get_db_prep_save(values[index], connection)
                copy.write_row(values)
        for obj in objs:
            obj._state.adding = False
            obj._state.db = connection.alias

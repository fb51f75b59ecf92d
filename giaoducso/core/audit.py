"""The audit log's one write path. Services call these after every change to personal data or grades,
every export and every bulk download; nothing ever updates or deletes a line (triggers enforce it)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone

from . import context
from .bulk import insert_rows
from .models import AuditAction, AuditEntry, Unit, User

# Who does a write: a signed-in user, the anonymous user of a public form, or a label for the system
# ("import", a command's name); None is the system itself. Every service takes one, keyword-only.
Actor: TypeAlias = "User | AnonymousUser | str | None"

# Never copied into the log, even as "changed": secrets stay out of a table many people read.
SECRET_FIELDS = frozenset({"password", "key_hash", "key", "secret", "otp_secret"})


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited values of an instance: concrete fields, foreign keys as ids."""
    data: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in SECRET_FIELDS or f.name in ("created_at", "updated_at"):
            continue
        data[f.name] = _jsonable(getattr(instance, f.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def owning_unit(instance: models.Model) -> Unit | None:
    """The unit that owns an object, from its declared Scope, so that the line is scoped like it."""
    if isinstance(instance, Unit):
        return instance
    spec = getattr(type(instance), "scope", None)
    if spec is None or not spec.unit_field:
        return None
    target: Any = instance
    for part in spec.unit_field.split("__"):
        target = getattr(target, part, None)
        if target is None:
            return None
    return target if isinstance(target, Unit) else None


def _who(actor: Actor) -> dict[str, Any]:
    """Who wrote a line and from where: the actor and the request's context."""
    ctx = context.current()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return {
        "actor": actor if is_user else None,
        "actor_label": (str(actor.username) if is_user else (str(actor) if actor else "hệ thống"))[:255],  # type: ignore[union-attr]
        "ip_address": ctx.ip_address,
        "user_agent": ctx.user_agent,
        "request_id": ctx.request_id,
    }


def record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    unit: Unit | None = None,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
        unit = unit or owning_unit(obj)
    return AuditEntry.objects.create(
        **_who(actor),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        unit=unit,
        unit_path=unit.path if unit else "",
        changes=_jsonable(changes or {}),
        note=note[:255],
    )


def record_create(*, actor: Any, obj: models.Model, note: str = "") -> AuditEntry:
    return record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=obj,
        changes={k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")},
        note=note,
    )


_ROW_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "ip_address",
    "user_agent",
    "request_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "unit_id",
    "unit_path",
    "changes",
    "note",
)


def record_create_many(
    *,
    actor: Actor,
    objs: Iterable[models.Model],
    note: str = "",
    unit_of: Callable[[Any], Unit | None] = owning_unit,
) -> int:
    """The lines record_create writes, one per object, for objects a bulk path has just inserted, written
    as plain rows in one bulk insert (core.bulk). `unit_of` saves a query per line where the caller already
    holds the units."""
    who = _who(actor)
    actor_id = who["actor"].pk if who["actor"] is not None else None
    head = (timezone.now(), actor_id, who["actor_label"], who["ip_address"], who["user_agent"])
    request_id, note = who["request_id"], note[:255]
    rows = []
    for obj in objs:
        unit = unit_of(obj)
        changes = {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")}
        rows.append(
            (
                *head,
                request_id,
                AuditAction.CREATE,
                obj._meta.label_lower,
                str(obj.pk),
                str(obj)[:255],
                unit.pk if unit else None,
                unit.path if unit else "",
                changes,
                note,
            )
        )
    insert_rows(AuditEntry, _ROW_FIELDS, rows)
    return len(rows)


def record_update(
    *, actor: Any, obj: models.Model, before: dict[str, Any], note: str = ""
) -> AuditEntry | None:
    """Logs the changed fields; returns None (and logs nothing) when nothing changed."""
    changes = diff(before, snapshot(obj, before.keys()))
    if not changes:
        return None
    return record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes, note=note)


def record_delete(*, actor: Any, obj: models.Model, note: str = "") -> AuditEntry:
    return record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=obj,
        changes={k: [v, None] for k, v in snapshot(obj).items() if v not in (None, "")},
        note=note,
    )


def record_export(
    *, actor: Any, what: str, unit: Unit | None, rows: int, fmt: str, note: str = ""
) -> AuditEntry:
    return record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type=what,
        object_repr=f"{what} ({rows} dòng, {fmt})",
        unit=unit,
        changes={"rows": rows, "format": fmt},
        note=note,
    )

"""The audit log's one write path. Services call these after every change to personal data or grades,
every export and every bulk download; nothing ever updates or deletes a line (triggers enforce it)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy

from . import context
from .bulk import RawJSON, insert_rows
from .models import AuditAction, AuditEntry, Unit, User
from .numbers import grouped

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


def record(*, actor: Actor, action: str, **details: Any) -> AuditEntry:
    """Writes one line; `details` are those of :func:`entry` (obj or object_type/id/repr, unit, changes, note)."""
    line = entry(actor=actor, action=action, **details)
    line.save()
    return line


def entry(
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
    """The line `record` writes, unsaved."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
        unit = unit or owning_unit(obj)
    return AuditEntry(
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


# Values a snapshot keeps as they are; anything else goes through _jsonable.
_PLAIN = frozenset({str, int, bool, float})


def _create_fields(model: type[models.Model]) -> list[tuple[str, str]]:
    """(name, attname) of the fields snapshot() reads, once per model for a bulk write."""
    return [
        (f.name, f.attname)
        for f in model._meta.concrete_fields
        if f.name not in SECRET_FIELDS and f.name not in ("created_at", "updated_at")
    ]


class _CreateLines:
    """The audit lines of a bulk write, filed by one actor with one note: the part of each line that does
    not depend on the row is worked out once; `add` takes what does."""

    def __init__(self, actor: Actor, note: str) -> None:
        who = _who(actor)
        actor_id = who["actor"].pk if who["actor"] is not None else None
        self.head = (
            timezone.now(),
            actor_id,
            who["actor_label"],
            who["ip_address"],
            who["user_agent"],
            who["request_id"],
            AuditAction.CREATE,
        )
        self.note = note[:255]
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
        self.rows: list[tuple[Any, ...]] = []

    def add(self, label: str, pk: Any, text: str, unit: Unit | None, changes: dict[str, Any]) -> None:
        self.rows.append(
            (
                *self.head,
                label,
                str(pk),
                text[:255],
                unit.pk if unit else None,
                unit.path if unit else "",
                RawJSON(self.dumps(changes)),
                self.note,
            )
        )

    def write(self) -> int:
        insert_rows(AuditEntry, _ROW_FIELDS, self.rows)
        return len(self.rows)


def record_create_many(
    *,
    actor: Actor,
    objs: Iterable[models.Model],
    note: str = "",
    unit_of: Callable[[Any], Unit | None] = owning_unit,
) -> int:
    """The lines record_create writes, one per object, for objects a bulk path has just inserted, written
    as plain rows in one bulk insert (core.bulk). `unit_of` saves a query per line where the caller already
    holds the units. Per object this is the work of a dict: the fields are listed once per model and the
    JSON is serialised here, not by the field, which is most of the cost of 100,000 lines."""
    lines = _CreateLines(actor, note)
    plans: dict[type[models.Model], tuple[str, list[tuple[str, str]]]] = {}
    for obj in objs:
        model = type(obj)
        plan = plans.get(model)
        if plan is None:
            plan = plans[model] = (model._meta.label_lower, _create_fields(model))
        label, fields = plan
        values = obj.__dict__
        changes = {}
        for name, attname in fields:
            value = values[attname] if attname in values else getattr(obj, attname)
            if type(value) not in _PLAIN:
                value = _jsonable(value)
            if value is not None and value != "":
                changes[name] = [None, value]
        lines.add(label, obj.pk, str(obj), unit_of(obj), changes)
    return lines.write()


def record_create_rows(
    *,
    actor: Actor,
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    ids: Iterable[Any],
    reprs: Iterable[str],
    units: Iterable[Unit | None],
    note: str = "",
) -> int:
    """The lines record_create_many writes for instances of `model`, for rows a bulk path inserted without
    making instances (core.bulk.insert_rows_with_ids): `rows` hold the values of the fields `names` (by
    attname; every field the line lists but the primary key), `ids` their primary keys, `reprs` what str()
    of each instance gives, `units` the unit each line is filed under."""
    lines = _CreateLines(actor, note)
    label = model._meta.label_lower
    pk_name = model._meta.pk.attname  # type: ignore[union-attr]
    at = {attname: i for i, attname in enumerate(names)}
    plan = [(name, -1 if attname == pk_name else at[attname]) for name, attname in _create_fields(model)]
    for row, pk, text, unit in zip(rows, ids, reprs, units, strict=True):
        changes = {}
        for name, i in plan:
            value = pk if i < 0 else row[i]
            if type(value) not in _PLAIN:
                value = _jsonable(value)
            if value is not None and value != "":
                changes[name] = [None, value]
        lines.add(label, pk, text, unit, changes)
    return lines.write()


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
        object_repr=f"{object_type_label(what, plural=True)} ({grouped(rows)} dòng, {fmt.upper()})",
        unit=unit,
        changes={"rows": rows, "format": fmt},
        note=note,
    )


# Actions whose changes are [old, new] pairs.
_DIFF_ACTIONS = frozenset({AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE})


# --- reading a line back, in the reader's language --------------------------------------------------
# The log stores field names, raw values and model labels (stable, language-free); people read verbose
# names, choice labels and the objects' names. The audit screen and the audit export both go through
# `describe_changes`, so that they say the same thing.

# Keys of lines that are not a model's fields (exports, sign-ins…).
_EXTRA_LABELS = {
    "rows": gettext_lazy("Số dòng"),
    "format": gettext_lazy("Định dạng"),
}
EMPTY = "∅"


def model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str, *, plural: bool = False) -> str:
    """ "directory.student" → "Học sinh"; a type that is no model (a named export) stays as written."""
    model = model_for(object_type)
    if model is None:
        return object_type
    name = model._meta.verbose_name_plural if plural else model._meta.verbose_name
    return str(capfirst(name))


class NameCache:
    """Names of objects that lines point to by id, looked up once per (model, id) for a page or a file."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._names: dict[tuple[type[models.Model], str], str] = {}

    def name(self, model: type[models.Model], pk: Any) -> str:
        key = (model, str(pk))
        if key not in self._names:
            if len(self._names) >= self.LIMIT:
                self._names.clear()
            obj = model._default_manager.filter(pk=pk).first()
            self._names[key] = str(obj) if obj is not None else f"#{pk}"
        return self._names[key]


def _value_text(field: Any, value: Any, names: NameCache) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list):
        return ", ".join(_value_text(field, v, names) for v in value) or EMPTY
    if field is not None:
        if getattr(field, "flatchoices", None):
            label = dict(field.flatchoices).get(value)
            if label is not None:
                return str(label)
        if field.is_relation and field.related_model is not None:
            return names.name(field.related_model, value)
        if isinstance(field, models.DateTimeField):
            try:
                return timezone.localtime(dt.datetime.fromisoformat(str(value))).strftime("%d/%m/%Y %H:%M")
            except ValueError:
                return str(value)
        if isinstance(field, models.DateField):
            try:
                return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
            except ValueError:
                return str(value)
    if isinstance(value, bool):
        return str(gettext("Có") if value else gettext("Không"))
    if isinstance(value, int):
        return grouped(value)
    return str(value)


def _field_of(model: type[models.Model] | None, key: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def describe_changes(line: AuditEntry, names: NameCache | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs for a line's changes: "Lớp hiện tại", "6/1 → 7/1" — never a field name or a
    raw value, whatever the app that wrote it. `names` shares the objects' names across many lines."""
    names = names or NameCache()
    model = model_for(line.object_type)
    described = []
    for key, value in (line.changes or {}).items():
        field = _field_of(model, key)
        label = str(capfirst(field.verbose_name) if field is not None else _EXTRA_LABELS.get(key, key))
        if isinstance(value, list) and len(value) == 2 and line.action in _DIFF_ACTIONS:
            old, new = (_value_text(field, v, names) for v in value)
            described.append((label, f"{old} → {new}"))
        else:
            described.append((label, _value_text(field, value, names)))
    return described


def describe_changes_text(line: AuditEntry, names: NameCache | None = None) -> str:
    """The same, as one text: for a spreadsheet cell."""
    return "; ".join(f"{label}: {text}" for label, text in describe_changes(line, names))

"""Report forms as data: the schema a department builds in the browser, and the answers a school gives.

A schema is JSON: ``{"sections": [{"title": ..., "fields": [field, ...]}, ...]}``. A field has a ``key``
(stable, names the answer and the export column), a ``label``, a ``type`` from :data:`FIELD_TYPES` and the
options its type reads (``unit``, ``min``, ``max``, ``integer`` for numbers; ``choices`` for choice and multi;
``columns``, ``rows`` and ``max_rows`` for tables; ``formula`` for computed fields; ``prefill`` for a value
the platform already knows; ``kinds`` for files). Answers are JSON too, one value per key.

Pure and typed: every write path (the screens, the API, the bench) checks through here. Problems carry a
machine-readable ``code``, the ``field`` key and the ``params`` a message needs; the Vietnamese wording is
the Django layer's (``giaoducso.reporting.messages``).
"""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

FIELD_TYPES: Final = ("text", "number", "date", "choice", "multi", "yesno", "file", "table", "computed")
COLUMN_TYPES: Final = ("text", "number")
# What the platform can fill in from the shared database and the asset inventory; the Django layer
# resolves each name for a school.
PREFILL_SOURCES: Final = (
    "students",
    "classes",
    "staff",
    "teachers",
    "computers",
    "computers_working",
    "cameras",
    "websites",
    "bandwidth_mbps",
    "has_fibre",
    "it_leader",
)
FILE_KINDS: Final = ("pdf", "docx", "xlsx", "odt", "png", "jpeg")
TEXT_MAX: Final = 4000
MAX_FIELDS: Final = 400
MAX_TABLE_ROWS: Final = 200
KEY_RE: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_DATE_VN: Final = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_DATE_ISO: Final = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


@dataclass(frozen=True)
class Problem:
    code: str
    field: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str = "text"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    unit: str = ""
    min: float | None = None
    max: float | None = None
    integer: bool = False
    choices: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    rows: tuple[str, ...] = ()  # fixed rows when not empty; free rows (up to max_rows) otherwise
    max_rows: int = 50
    formula: str = ""
    prefill: str = ""
    kinds: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        return self.type in ("number", "computed")


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class FormSchema:
    sections: tuple[Section, ...]

    def fields(self) -> list[FieldSpec]:
        return [f for s in self.sections for f in s.fields]

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields() if f.key == key), None)


# --- the schema ---------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    try:
        parsed = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return parsed if math.isfinite(parsed) else None


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list | tuple):
        return ()
    return tuple(t for t in (str(v).strip()[:200] for v in value) if t)


def formula_names(formula: str) -> set[str] | None:
    """The field keys a formula reads, or None when it is not plain arithmetic."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.UAdd
            | ast.Load
            | ast.Constant,
        ):
            return None
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, int | float)
        ):
            return None
    return names


def parse_schema(data: Any) -> tuple[FormSchema | None, list[Problem]]:
    """The schema read from JSON, or None and every problem found."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("sections"), list):
        return None, [Problem("schema_shape")]
    sections: list[Section] = []
    seen: set[str] = set()
    numeric_keys: list[str] = []
    count = 0
    for raw_section in data["sections"]:
        if not isinstance(raw_section, Mapping) or not isinstance(raw_section.get("fields", []), list):
            problems.append(Problem("schema_shape"))
            continue
        fields: list[FieldSpec] = []
        for raw in raw_section.get("fields", []):
            count += 1
            spec = _parse_field(raw, problems)
            if spec is None:
                continue
            if spec.key in seen:
                problems.append(Problem("duplicate_key", spec.key, {"key": spec.key}))
                continue
            seen.add(spec.key)
            if spec.type == "computed":
                names = formula_names(spec.formula) or set()
                # Only earlier numbers: a formula never reads itself or a later field, so no cycle exists.
                unknown = sorted(names - set(numeric_keys))
                if unknown:
                    problems.append(
                        Problem("formula_names", spec.key, {"label": spec.label, "names": ", ".join(unknown)})
                    )
            if spec.numeric:
                numeric_keys.append(spec.key)
            fields.append(spec)
        sections.append(Section(title=str(raw_section.get("title", "")).strip()[:200], fields=tuple(fields)))
    if count == 0:
        problems.append(Problem("no_fields"))
    if count > MAX_FIELDS:
        problems.append(Problem("too_many_fields", "", {"limit": MAX_FIELDS}))
    if problems:
        return None, problems
    return FormSchema(sections=tuple(sections)), []


def _parse_field(raw: Any, problems: list[Problem]) -> FieldSpec | None:
    if not isinstance(raw, Mapping):
        problems.append(Problem("schema_shape"))
        return None
    key = str(raw.get("key", "")).strip()
    label = str(raw.get("label", "")).strip()[:300]
    kind = str(raw.get("type", "")).strip()
    ref = key or label
    start = len(problems)
    if not KEY_RE.match(key):
        problems.append(Problem("bad_key", ref, {"key": key[:40]}))
    if not label:
        problems.append(Problem("no_label", ref, {"key": key[:40]}))
    if kind not in FIELD_TYPES:
        problems.append(Problem("bad_type", ref, {"label": label, "type": kind[:20]}))
    low, high = _number(raw.get("min")), _number(raw.get("max"))
    if low is not None and high is not None and low > high:
        problems.append(Problem("bad_range", ref, {"label": label}))
    choices = _texts(raw.get("choices"))
    if kind in ("choice", "multi") and len(choices) < 2:
        problems.append(Problem("no_choices", ref, {"label": label}))
    if len(set(choices)) != len(choices):
        problems.append(Problem("duplicate_choice", ref, {"label": label}))
    columns: list[Column] = []
    for raw_column in raw.get("columns") or []:
        if isinstance(raw_column, Mapping):
            ckey, clabel = str(raw_column.get("key", "")).strip(), str(raw_column.get("label", "")).strip()
            ctype = str(raw_column.get("type", "text"))
            if not KEY_RE.match(ckey) or not clabel or ctype not in COLUMN_TYPES:
                problems.append(Problem("bad_column", ref, {"label": label}))
                continue
            columns.append(Column(key=ckey, label=clabel[:200], type=ctype))
    if kind == "table" and not columns:
        problems.append(Problem("no_columns", ref, {"label": label}))
    if len({c.key for c in columns}) != len(columns):
        problems.append(Problem("bad_column", ref, {"label": label}))
    formula = str(raw.get("formula", "")).strip()[:500]
    if kind == "computed" and (not formula or formula_names(formula) is None):
        problems.append(Problem("bad_formula", ref, {"label": label}))
    prefill = str(raw.get("prefill", "") or "").strip()
    if prefill and prefill not in PREFILL_SOURCES:
        problems.append(Problem("bad_prefill", ref, {"label": label, "source": prefill[:40]}))
    kinds = _texts(raw.get("kinds"))
    if kind == "file" and (not kinds or set(kinds) - set(FILE_KINDS)):
        problems.append(Problem("bad_kinds", ref, {"label": label}))
    try:
        max_rows = int(raw.get("max_rows") or 50)
    except (TypeError, ValueError):
        max_rows = 0
    if not 1 <= max_rows <= MAX_TABLE_ROWS:
        problems.append(Problem("bad_max_rows", ref, {"label": label, "limit": MAX_TABLE_ROWS}))
    if len(problems) > start:
        return None
    return FieldSpec(
        key=key,
        label=label,
        type=kind,
        required=bool(raw.get("required", False)) and kind != "computed",
        help=str(raw.get("help", "")).strip()[:500],
        unit=str(raw.get("unit", "")).strip()[:30],
        min=low,
        max=high,
        integer=bool(raw.get("integer", False)),
        choices=choices,
        columns=tuple(columns),
        rows=_texts(raw.get("rows")) if kind == "table" else (),
        max_rows=max_rows,
        formula=formula,
        prefill=prefill,
        kinds=kinds,
    )


def schema_to_json(schema: FormSchema) -> dict[str, Any]:
    """The canonical JSON of a schema (what is stored): defaults left out."""
    sections = []
    for section in schema.sections:
        fields = []
        for f in section.fields:
            item: dict[str, Any] = {"key": f.key, "label": f.label, "type": f.type}
            if f.required:
                item["required"] = True
            for name in ("help", "unit", "formula", "prefill"):
                if getattr(f, name):
                    item[name] = getattr(f, name)
            for name in ("min", "max"):
                if getattr(f, name) is not None:
                    item[name] = getattr(f, name)
            if f.integer:
                item["integer"] = True
            if f.choices:
                item["choices"] = list(f.choices)
            if f.columns:
                item["columns"] = [{"key": c.key, "label": c.label, "type": c.type} for c in f.columns]
            if f.rows:
                item["rows"] = list(f.rows)
            if f.type == "table" and not f.rows:
                item["max_rows"] = f.max_rows
            if f.kinds:
                item["kinds"] = list(f.kinds)
            fields.append(item)
        sections.append({"title": section.title, "fields": fields})
    return {"sections": sections}


# --- the answers ----------------------------------------------------------------------------------------


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "")
    match = _DATE_ISO.match(text)
    parts = (int(match[1]), int(match[2]), int(match[3])) if match else None
    if parts is None:
        vn = _DATE_VN.match(text)
        parts = (int(vn[3]), int(vn[2]), int(vn[1])) if vn else None
    if parts is None:
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def evaluate(formula: str, values: Mapping[str, Any]) -> float | None:
    """A computed field's value; None when an operand is missing or a division is by zero."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError:
        return None

    def walk(node: ast.AST) -> float | None:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name):
            return _number(values.get(node.id))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = walk(node.operand)
            return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            if isinstance(node.op, ast.Div):
                return None if right == 0 else left / right
        return None

    result = walk(tree)
    return None if result is None or not math.isfinite(result) else round(result, 4)


def _clean_number(spec: FieldSpec | Column, value: Any, where: str, problems: list[Problem]) -> Any:
    number = _number(value)
    label = spec.label
    if number is None:
        problems.append(Problem("not_number", where, {"label": label, "value": str(value)[:30]}))
        return None
    if isinstance(spec, FieldSpec):
        if spec.integer and number != int(number):
            problems.append(Problem("not_integer", where, {"label": label}))
            return None
        if spec.min is not None and number < spec.min:
            problems.append(Problem("below_min", where, {"label": label, "min": _shown(spec.min)}))
            return None
        if spec.max is not None and number > spec.max:
            problems.append(Problem("above_max", where, {"label": label, "max": _shown(spec.max)}))
            return None
    return int(number) if number == int(number) and abs(number) < 2**53 else number


def _shown(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def _clean_one(spec: FieldSpec, value: Any, problems: list[Problem]) -> Any:
    label, key = spec.label, spec.key
    if spec.type == "text":
        text = str(value).strip()
        if len(text) > TEXT_MAX:
            problems.append(Problem("too_long", key, {"label": label, "limit": TEXT_MAX}))
            return None
        return text
    if spec.type == "number":
        return _clean_number(spec, value, key, problems)
    if spec.type == "date":
        day = parse_date(value)
        if day is None:
            problems.append(Problem("bad_date", key, {"label": label, "value": str(value)[:20]}))
            return None
        return day.isoformat()
    if spec.type == "choice":
        if str(value) not in spec.choices:
            problems.append(Problem("bad_choice", key, {"label": label}))
            return None
        return str(value)
    if spec.type == "multi":
        picked = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        if any(p not in spec.choices for p in picked):
            problems.append(Problem("bad_choice", key, {"label": label}))
            return None
        return [c for c in spec.choices if c in picked]
    if spec.type == "yesno":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "co", "có", "on"):
            return True
        if text in ("0", "false", "no", "khong", "không", "off"):
            return False
        problems.append(Problem("not_bool", key, {"label": label}))
        return None
    if spec.type == "file":
        if (
            isinstance(value, Mapping)
            and isinstance(value.get("id"), int)
            and not isinstance(value["id"], bool)
        ):
            return {"id": value["id"], "name": str(value.get("name", ""))[:200]}
        problems.append(Problem("bad_file", key, {"label": label}))
        return None
    if spec.type == "table":
        return _clean_table(spec, value, problems)
    return None


def _clean_table(spec: FieldSpec, value: Any, problems: list[Problem]) -> Any:
    if not isinstance(value, list | tuple) or not all(isinstance(r, Mapping) for r in value):
        problems.append(Problem("bad_table", spec.key, {"label": spec.label}))
        return None
    limit = len(spec.rows) if spec.rows else spec.max_rows
    if len(value) > limit:
        problems.append(Problem("too_many_rows", spec.key, {"label": spec.label, "limit": limit}))
        return None
    rows: list[dict[str, Any]] = []
    for index, raw in enumerate(value):
        row: dict[str, Any] = {}
        for column in spec.columns:
            cell = raw.get(column.key)
            if _empty(cell):
                continue
            where = f"{spec.key}.{index}.{column.key}"
            if column.type == "number":
                row[column.key] = _clean_number(column, cell, where, problems)
            else:
                row[column.key] = str(cell).strip()[:500]
        # Free rows that are wholly empty are dropped; fixed rows keep their place.
        if row or spec.rows:
            rows.append(row)
    while spec.rows and len(rows) < len(spec.rows):
        rows.append({})
    return rows


def clean_answers(
    schema: FormSchema, raw: Mapping[str, Any], *, complete: bool
) -> tuple[dict[str, Any], list[Problem]]:
    """The answers as stored, computed fields filled in. `complete` (a submission, not a draft) also
    requires every required field. Keys the schema does not know are dropped."""
    problems: list[Problem] = []
    answers: dict[str, Any] = {}
    for spec in schema.fields():
        if spec.type == "computed":
            answers[spec.key] = evaluate(spec.formula, answers)
            continue
        value = raw.get(spec.key)
        cleaned = None if _empty(value) else _clean_one(spec, value, problems)
        if spec.type == "table" and cleaned is not None and not any(cleaned):
            cleaned = None
        if spec.type == "text" and cleaned == "":
            cleaned = None
        if cleaned is not None:
            answers[spec.key] = cleaned
        elif complete and spec.required and not any(p.field.split(".")[0] == spec.key for p in problems):
            problems.append(Problem("required", spec.key, {"label": spec.label}))
    return answers, problems

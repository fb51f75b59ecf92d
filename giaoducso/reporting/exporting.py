"""The columns of a campaign's XLSX: the school, its status, then one column per field (a table's cells as
"row: column = value" lines, a multiple choice joined by "; ", a file by its name)."""

from __future__ import annotations

import re
from typing import Any

from giaoducso.core.exports import Column
from rules.report_forms import FieldSpec, FormSchema, parse_date

from .models import Submission

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def cell(spec: FieldSpec, value: Any) -> Any:
    if value is None:
        return ""
    if spec.type == "multi":
        return "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if spec.type == "yesno":
        return {True: "Có", False: "Không"}.get(value, "") if isinstance(value, bool) else ""
    if spec.type == "file":
        return value.get("name", "") if isinstance(value, dict) else ""
    if spec.type == "date":
        # Answers hold ISO days; a refused form shows back what was typed.
        day = parse_date(value) if _ISO.match(str(value)) else None
        return day.strftime("%d/%m/%Y") if day else str(value)
    if spec.type == "table":
        if not isinstance(value, list):
            return ""
        lines = []
        for index, row in enumerate(value):
            head = spec.rows[index] if index < len(spec.rows) else str(index + 1)
            parts = [
                f"{c.label} = {row[c.key]}"
                for c in spec.columns
                if isinstance(row, dict) and row.get(c.key) not in (None, "")
            ]
            if parts:
                lines.append(f"{head}: " + ", ".join(parts))
        return "\n".join(lines)
    return value


def answer_columns(schema: FormSchema) -> list[Column]:
    columns: list[Column] = [
        ("Mã trường", lambda s: s.school.code),
        ("Tên trường", lambda s: s.school.name),
        ("Trạng thái", lambda s: s.get_status_display()),
        ("Nộp lúc", lambda s: s.submitted_at),
        ("Nộp muộn", lambda s: "Có" if s.late else ""),
    ]
    for spec in schema.fields():
        label = f"{spec.label} ({spec.unit})" if spec.unit else spec.label

        def getter(s: Submission, spec: FieldSpec = spec) -> Any:
            return cell(spec, s.answers.get(spec.key))

        columns.append((label, getter))
    return columns

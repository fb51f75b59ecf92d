"""The columns of a campaign's XLSX: the school, its status, then one column per field (a table's cells as
"row: column = value" lines, a multiple choice joined by "; ", a file by its name)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model

from giaoducso.core.exports import Column
from rules.report_forms import FieldSpec, FormSchema, parse_date

from .models import AssetProfile, CameraSystem, Computer, MailDomain, Submission, Website

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


# --- the IT asset inventory, one sheet per kind (the columns `importing.SHEETS` reads back) --------------


def _yes(value: bool | None) -> str:
    return "" if value is None else ("Có" if value else "Không")


def _camera_columns() -> list[Column]:
    from .selectors import camera_meets, camera_standard_for

    standards: dict[int, Any] = {}  # one standard per school, looked up once

    def meets(c: CameraSystem) -> str:
        if c.school_id not in standards:
            standards[c.school_id] = camera_standard_for(c.school)
        return _yes(camera_meets(c, standards[c.school_id]))

    return [
        ("vi_tri", lambda c: c.location),
        ("so_camera", lambda c: c.count),
        ("do_phan_giai_mp", lambda c: c.resolution_mp),
        ("so_ngay_luu_tru", lambda c: c.storage_days),
        ("dat_chuan", meets),
    ]


@dataclass(frozen=True)
class InventoryExport:
    model: type[Model]
    what: str  # the audit log's object type
    filename: str
    columns: Callable[[], list[Column]]
    related: tuple[str, ...] = ("school",)


INVENTORY: dict[str, InventoryExport] = {
    "computers": InventoryExport(
        Computer,
        "reporting.computer",
        "may-tinh",
        lambda: [
            ("loai_may", lambda c: c.get_kind_display()),
            ("cau_hinh", lambda c: c.specification),
            ("nam", lambda c: c.year),
            ("tinh_trang", lambda c: c.get_condition_display()),
            ("phong", lambda c: c.room),
            ("so_luong", lambda c: c.quantity),
        ],
    ),
    "cameras": InventoryExport(CameraSystem, "reporting.camerasystem", "camera", _camera_columns),
    "network": InventoryExport(
        AssetProfile,
        "reporting.assetprofile",
        "ket-noi-mang",
        lambda: [
            ("nha_cung_cap", lambda p: p.network_provider),
            ("cap_quang", lambda p: _yes(p.has_fibre)),
            ("bang_thong_mbps", lambda p: p.bandwidth_mbps),
            ("lanh_dao_cntt", lambda p: p.it_leader_name),
            ("nhan_vien_cntt", lambda p: p.it_staff_name),
        ],
    ),
    "websites": InventoryExport(
        Website,
        "reporting.website",
        "website",
        lambda: [
            ("dia_chi", lambda w: w.url),
            ("ten_mien_nganh", lambda w: _yes(w.is_official)),
            ("chung_chi_hop_le", lambda w: _yes(w.last_check.valid) if w.last_check else ""),
            ("so_ngay_con_lai", lambda w: w.last_check.days_to_expiry if w.last_check else ""),
            ("loi", lambda w: w.last_check.error if w.last_check else ""),
            ("kiem_tra_luc", lambda w: w.last_check.checked_at if w.last_check else ""),
        ],
        ("school", "last_check"),
    ),
    "domains": InventoryExport(
        MailDomain,
        "reporting.maildomain",
        "ten-mien-thu",
        lambda: [
            ("ten_mien", lambda d: d.domain),
            ("ten_mien_nganh", lambda d: _yes(d.is_official)),
        ],
    ),
}


def inventory_columns(kind: str) -> list[Column]:
    """The school's code and name, then the kind's own columns."""
    school: list[Column] = [("ma_truong", lambda r: r.school.code), ("ten_truong", lambda r: r.school.name)]
    return school + INVENTORY[kind].columns()

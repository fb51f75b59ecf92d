"""The computers of a school from an XLSX sheet (header row; Vietnamese or code values): all rows or none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from giaoducso.core.audit import Actor
from giaoducso.core.models import Unit
from giaoducso.core.uploads import check_upload

from .models import AssetCondition, ComputerKind
from .services.assets import computer_add

COLUMNS = ("loai_may", "cau_hinh", "nam", "tinh_trang", "phong", "so_luong")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000


def _code(value: Any, choices: type[ComputerKind] | type[AssetCondition]) -> str:
    text = str(value or "").strip()
    for code, label in choices.choices:
        if text.lower() in (code, str(label).lower()):
            return code
    return text


def computers_import(*, actor: Actor, school: Unit, upload: UploadedFile) -> int:
    """Adds every row as a computer line; refuses the whole file with each bad row named."""
    check_upload(upload, kinds={"xlsx"}, max_bytes=MAX_BYTES)
    upload.seek(0)
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:
        raise ValidationError(_("Không đọc được tệp Excel.")) from None
    if not rows:
        raise ValidationError(_("Tệp không có dòng nào."))
    header = [str(h or "").strip().lower() for h in rows[0]]
    missing = [c for c in ("loai_may", "tinh_trang") if c not in header]
    if missing:
        raise ValidationError(
            _("Thiếu cột %(columns)s. Các cột: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(COLUMNS)}
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationError(_("Tệp có nhiều hơn %(n)s dòng máy tính.") % {"n": MAX_ROWS})
    problems: list[str] = []
    count = 0
    with transaction.atomic():
        for number, raw in enumerate(rows[1:], start=2):
            values = dict(zip(header, raw, strict=False))
            if not any(v not in (None, "") for v in values.values()):
                continue
            try:
                computer_add(
                    actor=actor,
                    school=school,
                    kind=_code(values.get("loai_may"), ComputerKind),
                    condition=_code(values.get("tinh_trang"), AssetCondition),
                    specification=str(values.get("cau_hinh") or ""),
                    year=values.get("nam"),
                    room=str(values.get("phong") or ""),
                    quantity=values.get("so_luong") or 1,
                    today_year=dt.date.today().year + 1,
                )
                count += 1
            except ValidationError as error:
                for messages in error.message_dict.values():
                    problems.extend(f"Dòng {number}: {m}" for m in messages)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ValidationError(problems[:50])
    return count

"""Shared set-up of the import tests: school records for the world's schools, a current year, files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from giaoducso.core.models import UnitKind
from giaoducso.directory.importing.students import COLUMNS as STUDENT_COLUMNS
from giaoducso.directory.models import School, SchoolLevel, SchoolYear
from giaoducso.testing.factories import UnitFactory
from giaoducso.testing.world import World
from rules.identifiers import make_personal_id


def setup_directory(world: World) -> SchoolYear:
    School.objects.create(unit=world.school_a, level=SchoolLevel.LOWER_SECONDARY, ownership="public")
    School.objects.create(unit=world.school_b, level=SchoolLevel.LOWER_SECONDARY, ownership="public")
    UnitFactory(kind=UnitKind.WARD, code="P07Q6", name="Phường 7", parent=world.department)
    # The calendar is the Sở's (issue 7.8).
    SchoolYear.objects.create(
        unit=world.province, name="2024-2025", start_date=dt.date(2024, 9, 5), end_date=dt.date(2025, 5, 31)
    )
    return SchoolYear.objects.create(
        unit=world.province,
        name="2025-2026",
        start_date=dt.date(2025, 9, 5),
        end_date=dt.date(2026, 5, 31),
        is_current=True,
    )


def pid(serial: int, sex: str = "M", year: int = 2014) -> str:
    # Far from the serials the world's StudentFactory uses.
    return make_personal_id("079", sex, year, 500_000 + serial)


def student_row(serial: int, **overrides: Any) -> dict[str, str]:
    row = {
        "ma_dinh_danh": pid(serial),
        "ho_ten": f"Nguyễn Văn An {serial}",
        "ngay_sinh": "15/03/2014",
        "gioi_tinh": "Nam",
        "dan_toc": "Kinh",
        "ma_truong": "TA01",
        "lop": "6/1",
        "dia_chi": "12 Hậu Giang",
        "phuong_xa": "Phường 7",
        "ho_ten_cha_me": "Nguyễn Văn Bố",
        "dien_thoai": "0901234567",
    }
    row.update(overrides)
    return row


def write_csv(
    path: Path,
    rows: list[dict[str, str]],
    columns: tuple[str, ...] | list[str] = STUDENT_COLUMNS,
    bom: bool = False,
) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def write_xlsx(
    path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] | list[str] = STUDENT_COLUMNS
) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    workbook.save(path)
    return path

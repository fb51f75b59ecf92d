"""Tables to Excel. Small lists stream straight into the response; large ones go through a job."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from io import BytesIO, StringIO
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import audit
from .models import Unit

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Above this many rows the screen offers a background export instead of building the file in-request.
SYNC_EXPORT_LIMIT = 20_000

Column = tuple[str, Callable[[Any], Any]]


def _cell_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return ""
    text = str(value) if not isinstance(value, int | float) else value
    # A leading =, +, - or @ would make a spreadsheet run the cell as a formula (CSV/Excel injection).
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return text


def write_xlsx(title: str, columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header = []
    for label, _getter in columns:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_cell_value(getter(row)) for _label, getter in columns])
        count += 1
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(
    *, actor: Any, what: str, filename: str, columns: list[Column], rows: Iterable[Any], unit: Unit | None
) -> HttpResponse:
    """An XLSX download, recorded in the audit log as an export."""
    content, count = write_xlsx(what, columns, rows)
    audit.record_export(actor=actor, what=what, unit=unit, rows=count, fmt="xlsx")
    response = HttpResponse(content, content_type=XLSX_MIME)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response


CSV_MIME = "text/csv; charset=utf-8"


def write_csv(columns: list[Column], rows: Iterable[Any]) -> tuple[bytes, int]:
    """UTF-8 with a byte-order mark, so that Excel opens Vietnamese text correctly; same formula guard."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(label) for label, _getter in columns])
    count = 0
    for row in rows:
        writer.writerow([_cell_value(getter(row)) for _label, getter in columns])
        count += 1
    return buffer.getvalue().encode("utf-8-sig"), count


def csv_response(
    *, actor: Any, what: str, filename: str, columns: list[Column], rows: Iterable[Any], unit: Unit | None
) -> HttpResponse:
    """A CSV download, recorded in the audit log as an export."""
    content, count = write_csv(columns, rows)
    audit.record_export(actor=actor, what=what, unit=unit, rows=count, fmt="csv")
    response = HttpResponse(content, content_type=CSV_MIME)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.csv"'
    return response


def table_response(*, fmt: str, **kwargs: Any) -> HttpResponse:
    """XLSX or CSV by name (the `format` query parameter of list pages); anything else is XLSX."""
    return csv_response(**kwargs) if fmt == "csv" else xlsx_response(**kwargs)

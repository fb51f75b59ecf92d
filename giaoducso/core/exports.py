"""Tables to Excel. Small lists stream straight into the response; large ones go through a job."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from io import BytesIO, StringIO
from typing import Any

from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import audit
from .models import Unit
from .numbers import grouped

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
    # The sheet is named for people ("Trường học"), not by the log's model label ("directory.school").
    content, count = write_xlsx(audit.object_type_label(what, plural=True), columns, rows)
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


# --- Tables that any list screen exports: small ones in the request, large ones as a job ------------

# Above this many rows the file is built by a background job with a progress bar: a department-wide
# list of 30,000 pupils took 5–8 s inside the request, and a worker may take its time.
JOB_EXPORT_THRESHOLD = 5_000
PROGRESS_EVERY = 1_000
FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Table:
    """What one export holds for one user: built the same way in the request and in the worker."""

    what: str  # the audit log's object type, e.g. "directory.student"
    title: str  # the sheet's and the job's name, in the user's language
    filename: str
    columns: list[Column]
    rows: Any  # a queryset (counted, then read in chunks) or a list
    unit: Unit | None = None


# A table from the exporting user and the list's filters (the query string, as a plain dict of text).
TableBuilder = Callable[[Any, dict[str, str]], Table]
_tables: dict[str, TableBuilder] = {}


def register_table(key: str, builder: TableBuilder) -> None:
    """Apps register their exportable lists from AppConfig.ready(), so that a worker can rebuild them."""
    _tables[key] = builder


def table_builder(key: str) -> TableBuilder:
    return _tables[key]


def _count(rows: Any) -> int:
    return rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)


def table_export(*, actor: Any, key: str, params: dict[str, str], fmt: str = "xlsx") -> HttpResponse | Any:
    """The download itself when the table is small; otherwise the started Job, which the caller shows."""
    table = _tables[key](actor, params)
    fmt = fmt if fmt in FORMATS else "xlsx"
    if _count(table.rows) <= JOB_EXPORT_THRESHOLD:
        respond = csv_response if fmt == "csv" else xlsx_response
        return respond(
            actor=actor,
            what=table.what,
            filename=table.filename,
            columns=table.columns,
            rows=table.rows,
            unit=table.unit,
        )
    from . import jobs
    from .tasks import export_table

    return jobs.job_start(
        actor=actor,
        kind="table_export",
        title=str(table.title),
        unit=table.unit or jobs.job_unit_for(actor),
        task=export_table,
        params={
            "table": key,
            "filters": dict(params),
            "format": fmt,
            "membership_id": jobs.membership_param(actor),
        },
    )


def table_export_body(job: Any, report: Any) -> dict[str, Any]:
    """The worker's half of `table_export`: the same table for the same user, written with progress."""
    from . import jobs

    user = jobs._acting_user(job)
    key = job.params.get("table", "")
    if key not in _tables:
        raise jobs.JobError(_("Không còn danh sách này để xuất."))
    table = _tables[key](user, job.params.get("filters") or {})
    total = _count(table.rows)
    report(2, _("Đang chuẩn bị %(total)s dòng…") % {"total": grouped(total)})
    rows = table.rows.iterator(chunk_size=2000) if hasattr(table.rows, "iterator") else iter(table.rows)

    def counted() -> Iterable[Any]:
        for number, row in enumerate(rows, start=1):
            if number % PROGRESS_EVERY == 0:
                report.step(
                    number,
                    total,
                    _("Đã ghi %(rows)s/%(total)s dòng") % {"rows": number, "total": total},
                    start=2,
                    end=95,
                )
            yield row

    fmt = job.params.get("format", "xlsx")
    if fmt == "csv":
        content, count = write_csv(table.columns, counted())
    else:
        content, count = write_xlsx(str(table.title), table.columns, counted())
    filename = f"{table.filename}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"
    job.result_file.save(filename, ContentFile(content), save=False)
    type(job).objects.filter(pk=job.pk).update(result_file=job.result_file.name)
    audit.record_export(actor=user, what=table.what, unit=table.unit, rows=count, fmt=fmt)
    return {
        "rows": count,
        "filename": filename,
        "message": _("Đã xuất %(rows)s dòng.") % {"rows": grouped(count)},
    }

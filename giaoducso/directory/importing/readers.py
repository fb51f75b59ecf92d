"""Reading an import file row by row: CSV (UTF-8, with or without BOM, comma or semicolon) or XLSX.

Rows stream; nothing holds the whole file. Columns are found by header name (trimmed, case- and
diacritic-insensitive), in any order; other columns are ignored and listed. Every value comes out as a
trimmed str, so that both formats go through the same checks.

A file may have at most IMPORT_MAX_ROWS rows besides its header, blank rows included: reading stops at the
first row past it and the whole file is refused, so that an over-long file costs the worker that many rows
at most, not the whole file. An XLSX sheet's declared size is not trusted (a sheet can claim a million rows
and sixteen thousand columns): rows come as the file has them, never wider than MAX_COLUMNS.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from rules.text import fold

from .report import FileProblem

CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
# Cells read from each XLSX row: far more than any template has, and a bound on the work per row.
MAX_COLUMNS = 100


class TooManyRows(FileProblem):
    """The file has more rows than IMPORT_MAX_ROWS allows: refused as a whole, at the first row past it."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            _(
                "Tệp có nhiều hơn %(limit)s dòng dưới dòng tiêu đề (kể cả dòng trống); đã dừng đọc. "
                "Hãy chia thành nhiều tệp, mỗi tệp tối đa %(limit)s dòng, hoặc xoá các dòng trống thừa ở cuối."
            )
            % {"limit": f"{limit:,}".replace(",", ".")}
        )
        self.limit = limit


def max_rows() -> int:
    return int(settings.IMPORT_MAX_ROWS)


def limit_rows(numbered: Iterator[tuple[int, Any]], limit: int | None = None) -> Iterator[tuple[int, Any]]:
    """`numbered` (row number from 1, the header's row included) until a row past the limit: TooManyRows."""
    limit = max_rows() if limit is None else limit
    last = limit + 1  # the header
    for item in numbered:
        if item[0] > last:
            raise TooManyRows(limit)
        yield item


def header_key(text: Any) -> str:
    """ "Mã định danh " → "ma_dinh_danh": how a header cell is compared with a column name."""
    return fold(str(text or "")).replace(" ", "_").replace("-", "_")


@dataclass
class Table:
    columns: tuple[str, ...]  # the spec's columns, in the spec's order
    extra_columns: list[str]
    rows: Iterator[tuple[int, tuple[str, ...]]]  # (spreadsheet row number, values in `columns` order)
    # Optional columns the header lacks: their values read as "", and an importer may leave such fields
    # of existing records as they are.
    absent: frozenset[str] = frozenset()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _match_header(
    header: Sequence[Any], columns: Sequence[str], required: Sequence[str]
) -> tuple[tuple[int, ...], list[str]]:
    positions: dict[str, int] = {}
    extra: list[str] = []
    wanted = set(columns)
    for index, cell in enumerate(header):
        key = header_key(cell)
        if not key:
            continue
        if key in wanted:
            if key in positions:
                raise FileProblem(_("Cột %(column)s xuất hiện hai lần ở dòng tiêu đề.") % {"column": key})
            positions[key] = index
        else:
            extra.append(str(cell).strip())
    missing = [c for c in required if c not in positions]
    if missing:
        raise FileProblem(
            _("Thiếu cột bắt buộc ở dòng tiêu đề: %(columns)s. Các cột cần có: %(all)s.")
            % {"columns": ", ".join(missing), "all": ", ".join(columns)}
        )
    return tuple(positions.get(c, -1) for c in columns), extra


def _project(
    numbered: Iterator[tuple[int, Sequence[Any]]], positions: tuple[int, ...]
) -> Iterator[tuple[int, tuple[str, ...]]]:
    # The common case (a full-width row of text, as CSV gives) takes one C-level pass per row.
    present = [p for p in positions if p >= 0]
    need = max(present) + 1 if present else 0
    getter = itemgetter(*present) if len(present) > 1 else None
    full = len(present) == len(positions) and getter is not None
    strip = str.strip
    for number, raw in numbered:
        if full and len(raw) >= need:
            try:
                values = tuple(map(strip, getter(raw)))  # type: ignore[misc]
            except TypeError:  # XLSX cells: numbers, dates, None
                values = tuple(_cell_text(raw[p]) for p in positions)
        else:
            width = len(raw)
            values = tuple(_cell_text(raw[p]) if 0 <= p < width else "" for p in positions)
        if any(values):
            yield number, values


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with open(path, "rb") as probe:
        head = probe.read(64 * 1024)
    if b"\x00" in head:
        raise FileProblem(
            _("Tệp không phải văn bản CSV (có vẻ là tệp nhị phân). Hãy lưu lại dạng CSV UTF-8.")
        )
    first_line = head.split(b"\n", 1)[0]
    delimiter = ";" if first_line.count(b",") == 0 and first_line.count(b";") > 0 else ","
    # utf-8-sig drops a byte-order mark when there is one and reads plain UTF-8 otherwise.
    with open(path, encoding="utf-8-sig", errors="strict", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise FileProblem(
                _(
                    "Tệp không ở mã UTF-8 (sau dòng %(row)d). Hãy lưu lại tệp dạng “CSV UTF-8” "
                    "hoặc dùng tệp Excel (.xlsx)."
                )
                % {"row": reader.line_num}
            ) from exc
        except csv.Error as exc:
            raise FileProblem(
                _("Tệp CSV hỏng ở dòng %(row)d: %(error)s") % {"row": reader.line_num, "error": exc}
            ) from exc


_OPEN_LOCK = threading.Lock()


def _no_size(sheet: Any) -> None:
    return None


def open_workbook(source: Path | Any) -> Any:
    """openpyxl's read-only workbook, without the pass it makes over every sheet at load.

    To learn a sheet's size, openpyxl looks for its <dimension> element and, when the writer left none out
    (openpyxl's own write-only mode does), parses the whole sheet to find that out: a second full read of
    a large file before the first row. The rows are read without that size anyway (see xlsx_rows)."""
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    with _OPEN_LOCK:
        original = ReadOnlyWorksheet._get_size
        ReadOnlyWorksheet._get_size = _no_size  # type: ignore[method-assign]
        try:
            return load_workbook(source, read_only=True, data_only=True)
        finally:
            ReadOnlyWorksheet._get_size = original  # type: ignore[method-assign]


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')


def xlsx_row_estimate(path: Path) -> int:
    """Roughly how many rows the first sheet has, for a progress bar: its <dimension> when it sits at the
    start of the sheet, else a guess from the sheet's uncompressed size; 0 when the file cannot be read."""
    try:
        workbook = open_workbook(path)
    except Exception:
        return 0
    try:
        sheet = workbook.worksheets[0]
        with sheet._get_source() as handle:
            head = handle.read(64 * 1024)
        match = _DIMENSION.search(head)
        if match:
            return max(0, int(match.group(1)) - 1)
        return int(workbook._archive.getinfo(sheet._worksheet_path).file_size // 100)
    except Exception:
        return 0
    finally:
        workbook.close()


def xlsx_rows(
    source: Path | Any, sheet_name: str | None = None, *, invalid: str | None = None
) -> Iterator[Sequence[Any]]:
    """The rows of the sheet named `sheet_name` (else the first), streamed, each at most MAX_COLUMNS wide.

    The sheet's <dimension> is ignored: openpyxl would otherwise pad every row to the width it claims and
    yield empty rows down to the height it claims. Missing rows between two real ones still come out as
    empty rows, so a sparse sheet counts its gaps against the row limit at the cost of a tuple each."""
    try:
        workbook = open_workbook(source)
    except Exception as exc:  # openpyxl raises many types (zip, XML, KeyError…) for a non-workbook
        raise FileProblem(invalid or _("Tệp không phải tệp Excel (.xlsx) hợp lệ.")) from exc
    try:
        if not workbook.worksheets:
            raise FileProblem(_("Tệp Excel không có trang tính nào."))
        if sheet_name is not None and sheet_name in workbook.sheetnames:
            sheet = workbook[sheet_name]
        else:
            sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a damaged sheet (bad XML, a cell openpyxl cannot convert)
                raise FileProblem(invalid or _("Tệp không phải tệp Excel (.xlsx) hợp lệ.")) from exc
            yield row
    finally:
        workbook.close()


def open_table(path: Path, file_name: str, columns: Sequence[str], required: Sequence[str]) -> Table:
    """The table in the file, its header checked; FileProblem when the file cannot be used at all."""
    suffix = Path(file_name).suffix.lower()
    if suffix in XLSX_EXTENSIONS:
        raw: Iterator[Sequence[Any]] = xlsx_rows(path)
    elif suffix in CSV_EXTENSIONS:
        raw = _csv_rows(path)
    else:
        raise FileProblem(_("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."))
    numbered = limit_rows(enumerate(raw, start=1))
    header: Sequence[Any] | None = None
    for _number, cells in numbered:
        if any(_cell_text(c) for c in cells):
            header = cells
            break
    if header is None:
        raise FileProblem(_("Tệp trống: không có dòng tiêu đề."))
    positions, extra = _match_header(header, columns, required)
    absent = frozenset(c for c, p in zip(columns, positions, strict=True) if p < 0)
    return Table(
        columns=tuple(columns), extra_columns=extra, rows=_project(numbered, positions), absent=absent
    )


def looks_like_text(sample: bytes) -> bool:
    """Whether a CSV upload's first bytes decode as UTF-8 (the form refuses others at once)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return b"\x00" not in sample

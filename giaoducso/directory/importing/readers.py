"""Reading an import file row by row: CSV (UTF-8, with or without BOM, comma or semicolon) or XLSX.

Rows stream; nothing holds the whole file. Columns are found by header name (trimmed, case- and
diacritic-insensitive), in any order; other columns are ignored and listed. Every value comes out as a
trimmed str, so that both formats go through the same checks.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from rules.text import fold

from .report import FileProblem

CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")


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


def _xlsx_rows(path: Path) -> Iterator[Sequence[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileProblem(_("Tệp không phải tệp Excel (.xlsx) hợp lệ.")) from exc
    try:
        if not workbook.worksheets:
            raise FileProblem(_("Tệp Excel không có trang tính nào."))
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def open_table(path: Path, file_name: str, columns: Sequence[str], required: Sequence[str]) -> Table:
    """The table in the file, its header checked; FileProblem when the file cannot be used at all."""
    suffix = Path(file_name).suffix.lower()
    if suffix in XLSX_EXTENSIONS:
        raw: Iterator[Sequence[Any]] = _xlsx_rows(path)
    elif suffix in CSV_EXTENSIONS:
        raw = _csv_rows(path)
    else:
        raise FileProblem(_("Chỉ nhận tệp CSV (.csv) hoặc Excel (.xlsx)."))
    numbered = enumerate(raw, start=1)
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

"""The one entry point of every import, shared by the commands and the background jobs of the UI.

Two passes: the whole file is checked first (nothing written, every problem collected); only a file
without errors is then written, in one transaction. `dry_run` stops after the check.

The work a file can cause is bounded here, around each kind's check: the reader refuses a file past
IMPORT_MAX_ROWS rows, and the rows stop coming once IMPORT_MAX_ERRORS errors have been found (the result
says at which row), since a file that bad is to be fixed, not checked to its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import schools, staff, students
from .common import ImportContext, Progress, no_progress
from .readers import XLSX_EXTENSIONS, file_sha256, max_rows, open_table, xlsx_row_estimate
from .report import FileProblem, ImportResult, Problem, max_errors

KINDS: dict[str, ModuleType] = {"students": students, "schools": schools, "staff": staff}
KIND_LABELS = {
    "students": gettext_lazy("Học sinh"),
    "schools": gettext_lazy("Trường"),
    "staff": gettext_lazy("Cán bộ, giáo viên, nhân viên"),
}


def estimate_rows(path: Path, file_name: str) -> int:
    """Roughly how many data rows the file has, for the progress bar only (never more than the limit)."""
    return min(_estimate_rows(path, file_name), max_rows())


def _estimate_rows(path: Path, file_name: str) -> int:
    if Path(file_name).suffix.lower() in XLSX_EXTENSIONS:
        return xlsx_row_estimate(path)
    count = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(0, count - 1)


def until_too_many_errors(
    rows: Iterator[tuple[int, Any]], result: ImportResult, limit: int | None = None
) -> Iterator[tuple[int, Any]]:
    """`rows` until the result holds `limit` errors; then records the row it stopped at and ends."""
    limit = max_errors() if limit is None else limit
    errors = result.errors
    for item in rows:
        if errors.total >= limit:
            result.stopped_at_row = item[0]
            return
        yield item


def run_import(
    *,
    kind: str,
    path: Path | str,
    file_name: str | None = None,
    actor: Any,
    dry_run: bool = False,
    scope_user: Any = None,
    parent: Any = None,
    progress: Progress = no_progress,
) -> ImportResult:
    """Checks `path`, then (unless dry_run or any error) writes it; the result says what happened."""
    module = KINDS[kind]
    path = Path(path)
    file_name = file_name or path.name
    sha = file_sha256(path)
    result = ImportResult(kind=kind, file_name=file_name, sha256=sha, dry_run=dry_run)
    ctx = ImportContext(
        actor=actor,
        file_name=file_name,
        sha256=sha,
        dry_run=dry_run,
        scope_user=scope_user,
        parent=parent,
        progress=progress,
    )
    try:
        table = open_table(path, file_name, module.COLUMNS, module.REQUIRED)
        result.extra_columns = table.extra_columns
        table.rows = until_too_many_errors(table.rows, result)
        plan = module.check(ctx, table, result, estimate_rows(path, file_name))
    except FileProblem as exc:
        # First: with it, the rows' problems found before are beside the point (a file too long, say).
        result.errors.insert(0, Problem(0, "", "", str(exc)))
        return result
    if result.rows == 0 and not result.errors:
        result.errors.append(Problem(0, "", "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")))
    if result.errors or dry_run:
        return result
    module.write(ctx, plan, result)
    return result

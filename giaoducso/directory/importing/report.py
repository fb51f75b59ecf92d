"""What an import found and did: problems by row and column, counts, and their Vietnamese wording."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, SupportsIndex, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from giaoducso.core.numbers import grouped

T = TypeVar("T")


def max_errors() -> int:
    return max(1, int(settings.IMPORT_MAX_ERRORS))


class ProblemList(list[T]):
    """A list that keeps its first `limit` items and only counts the others.

    The checks append every problem they find; memory, the job's stored result and the XLSX report stay
    bounded whatever the file, while `total` still says how many there were."""

    def __init__(self, limit: int | None = None) -> None:
        super().__init__()
        self.limit = max_errors() if limit is None else limit
        self.total = 0

    def append(self, item: T) -> None:
        self.total += 1
        if len(self) < self.limit:
            super().append(item)

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    def __iadd__(self, items: Iterable[T]) -> ProblemList[T]:  # type: ignore[override,misc]
        self.extend(items)
        return self

    def insert(self, index: SupportsIndex, item: T) -> None:
        """Puts `item` at `index` even when full (a problem with the whole file goes first)."""
        self.total += 1
        super().insert(index, item)
        if len(self) > self.limit:
            super().pop()

    @property
    def omitted(self) -> int:
        return self.total - len(self)


def _problems() -> ProblemList[Problem]:
    return ProblemList()


class FileProblem(Exception):
    """The file as a whole cannot be read (type, encoding, header): no row is looked at."""


@dataclass(frozen=True, slots=True)
class Problem:
    row: int  # the spreadsheet's row number, header = 1; 0 for the whole file
    column: str
    value: str
    message: str

    def text(self) -> str:
        if self.row == 0:
            return self.message
        if not self.column:
            return _("Dòng %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Dòng %(row)d, cột %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    file_name: str
    sha256: str = ""
    rows: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: ProblemList[Problem] = field(default_factory=_problems)
    warnings: ProblemList[Problem] = field(default_factory=_problems)
    # The row at which checking stopped because IMPORT_MAX_ERRORS errors had been found (0: it did not).
    stopped_at_row: int = 0
    extra_columns: list[str] = field(default_factory=list)
    classes_created: list[str] = field(default_factory=list)  # "TA01 6/1"
    written: bool = False
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """The one-paragraph Vietnamese summary of a successful (or dry) run."""
        counts = _("%(new)s mới, %(changed)s thay đổi, %(unchanged)s không đổi") % {
            "new": grouped(self.new),
            "changed": grouped(self.changed),
            "unchanged": grouped(self.unchanged),
        }
        if self.dry_run:
            head = _("Kiểm tra xong tệp %(file)s (%(rows)s dòng, chưa ghi gì): %(counts)s.")
        else:
            head = _("Đã nhập tệp %(file)s (%(rows)s dòng): %(counts)s.")
        parts = [head % {"file": self.file_name, "rows": grouped(self.rows), "counts": counts}]
        if self.classes_created:
            verb = _("Lớp sẽ được tạo") if self.dry_run else _("Lớp mới tạo")
            parts.append(
                _("%(verb)s (%(count)d): %(classes)s.")
                % {
                    "verb": verb,
                    "count": len(self.classes_created),
                    "classes": ", ".join(self.classes_created),
                }
            )
        if self.warnings:
            parts.append(
                _("Có %(count)s cảnh báo chất lượng dữ liệu (không chặn việc nhập).")
                % {"count": grouped(self.warnings.total)}
            )
        if self.extra_columns:
            parts.append(
                _("Các cột không dùng đến đã bỏ qua: %(columns)s.")
                % {"columns": ", ".join(self.extra_columns)}
            )
        return " ".join(parts)

    def limits_note(self) -> str:
        """What the report leaves out: where checking stopped, how many problems are not listed."""
        return limits_note(
            stopped_at_row=self.stopped_at_row,
            errors_omitted=self.errors.omitted,
            warnings_omitted=self.warnings.omitted,
        )

    def error_report(self) -> str:
        """The row-by-row text report of a refused file."""
        lines = [
            _("Không nhập tệp %(file)s: có %(count)s lỗi, chưa ghi dữ liệu nào.")
            % {"file": self.file_name, "count": grouped(self.errors.total)}
        ]
        lines += [problem.text() for problem in self.errors]
        note = self.limits_note()
        if note:
            lines.append(note)
        return "\n".join(lines)

    def as_preview(self) -> dict[str, Any]:
        """What the preview page needs, JSON-able (stored on the job)."""
        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "rows": grouped(self.rows),
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "error_count": self.errors.total,
            "errors": [p.as_dict() for p in self.errors],
            "warning_count": self.warnings.total,
            "warnings": [p.as_dict() for p in self.warnings],
            "stopped_at_row": self.stopped_at_row,
            "limits_note": self.limits_note(),
            "extra_columns": self.extra_columns,
            "classes_created": self.classes_created,
            "written": self.written,
            "summary": self.summary() if self.ok else "",
        }


def limits_note(*, stopped_at_row: int = 0, errors_omitted: int = 0, warnings_omitted: int = 0) -> str:
    parts = []
    if stopped_at_row:
        parts.append(
            _(
                "Đã dừng kiểm tra ở dòng %(row)d vì đã gặp %(limit)d lỗi; các dòng từ dòng %(row)d trở đi "
                "chưa được kiểm tra. Hãy sửa các lỗi trên rồi tải lại tệp."
            )
            % {"row": stopped_at_row, "limit": max_errors()}
        )
    if errors_omitted:
        parts.append(
            _("Còn %(count)d lỗi nữa không liệt kê ở đây (chỉ giữ %(limit)d lỗi đầu tiên).")
            % {"count": errors_omitted, "limit": max_errors()}
        )
    if warnings_omitted:
        parts.append(
            _("Còn %(count)d cảnh báo nữa không liệt kê ở đây (chỉ giữ %(limit)d cảnh báo đầu tiên).")
            % {"count": warnings_omitted, "limit": max_errors()}
        )
    return " ".join(parts)


def write_problems_xlsx(
    problems: Iterable[Problem], warnings: Iterable[Problem], target: Path | Any, note: str = ""
) -> None:
    """The report as XLSX (row, column, value, message), errors first, then warnings; `note` (what the
    limits left out) as the last line of the errors sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)

    def cell(sheet: Any, value: Any) -> Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        result = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            result.data_type = "s"  # a value from the file is data, never a formula
        return result

    for title, items in ((_("Lỗi"), problems), (_("Cảnh báo"), warnings)):
        sheet = workbook.create_sheet(title=str(title))
        sheet.append([cell(sheet, str(h)) for h in (_("Dòng"), _("Cột"), _("Giá trị"), _("Nội dung"))])
        for p in items:
            sheet.append(
                [cell(sheet, p.row), cell(sheet, p.column), cell(sheet, p.value), cell(sheet, p.message)]
            )
        if note and title == _("Lỗi"):
            sheet.append([cell(sheet, ""), cell(sheet, ""), cell(sheet, ""), cell(sheet, note)])
    workbook.save(target)

"""Exchange with the Ministry's education database: the student template "C1-HocSinh", both ways.

Export: one sheet named C1-HocSinh, one row per student of a school, written with openpyxl's write-only
mode into a temporary file so that a large school never sits in memory as a workbook.

Reverse import: the Ministry sends the same template back with its student codes (mã học sinh) filled in.
Rows are matched by personal identification number; headers by name (any order, case and diacritics
ignored). All or nothing: any problem in any row → nothing is written and every problem is reported by row
and column. A stored code that differs from the file is an error, never silently overwritten. The file is
read as the other imports read theirs (importing.readers): streamed, at most IMPORT_MAX_ROWS rows, and
checking stops after IMPORT_MAX_ERRORS problems. The screen runs it as a background job.
"""

from __future__ import annotations

import datetime as dt
import operator
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from giaoducso.core import audit
from giaoducso.core.bulk import bulk_insert
from giaoducso.core.exports import _cell_value
from giaoducso.core.models import AuditAction, AuditEntry, Unit
from giaoducso.core.roles import Perm
from giaoducso.core.scoping import scoped
from rules.identifiers import is_ministry_student_code, is_personal_id_format
from rules.text import fold

from .importing.common import Progress, no_progress
from .importing.readers import limit_rows, xlsx_rows
from .importing.report import FileProblem, ProblemList, limits_note, max_errors
from .models import Student, StudentStatusEvent

SHEET_NAME = "C1-HocSinh"

COL_CLASS = "Mã lớp"
COL_CODE = "Mã học sinh"
COL_NAME = "Họ và tên"
COL_DOB = "Ngày sinh"
COL_SEX = "Giới tính"
COL_STATUS = "Trạng thái"
COL_STATUS_DATE = "Ngày trạng thái"
COL_ETHNICITY = "Dân tộc"
COL_DISABILITY = "Khuyết tật"
COL_PERSONAL_ID = "Số định danh cá nhân"
COL_NATIONALITY = "Quốc tịch"
COL_BIRTH_PROVINCE = "Nơi sinh: Tỉnh/Thành phố"
COL_BIRTH_COMMUNE = "Nơi sinh: Xã/Phường"
COL_FATHER = "Họ tên cha"
COL_FATHER_YEAR = "Năm sinh cha"
COL_MOTHER = "Họ tên mẹ"
COL_MOTHER_YEAR = "Năm sinh mẹ"
COL_OTHER_KIND = "Loại giấy tờ"
COL_OTHER_NUMBER = "Số giấy tờ"

# The template's columns in the template's order; labels stay Vietnamese whatever the user's language,
# because the Ministry's system reads them.
EXPORT_COLUMNS: list[tuple[str, Callable[[Any], Any]]] = [
    (COL_CLASS, lambda s: s.current_class.name if s.current_class else ""),
    (COL_CODE, lambda s: s.ministry_code),
    (COL_NAME, lambda s: s.full_name),
    (COL_DOB, lambda s: s.date_of_birth),
    (COL_SEX, lambda s: s.get_sex_display()),
    (COL_STATUS, lambda s: s.get_status_display()),
    (COL_STATUS_DATE, lambda s: s.status_date),
    # Coded fields are written as the names of the Ministry's lists (DAN_TOC, QUOC_TICH, TINH), which is
    # what its template's pick lists hold.
    (COL_ETHNICITY, lambda s: s.ethnicity_name),
    (COL_DISABILITY, lambda s: s.disability),
    (COL_PERSONAL_ID, lambda s: s.personal_id),
    (COL_NATIONALITY, lambda s: s.nationality_name),
    (COL_BIRTH_PROVINCE, lambda s: s.birth_province_name),
    (COL_BIRTH_COMMUNE, lambda s: s.birth_commune),
    (COL_FATHER, lambda s: s.father_name),
    (COL_FATHER_YEAR, lambda s: s.father_birth_year),
    (COL_MOTHER, lambda s: s.mother_name),
    (COL_MOTHER_YEAR, lambda s: s.mother_birth_year),
    (COL_OTHER_KIND, lambda s: s.get_other_document_kind_display() if s.other_document_kind else ""),
    (COL_OTHER_NUMBER, lambda s: s.other_document_number),
]


# --- export ---------------------------------------------------------------------------------------


def ministry_students(*, user: Any, school: Unit) -> QuerySet[Student]:
    """The school's students the user may see, with the date of their latest status event."""
    latest = (
        StudentStatusEvent.objects.filter(student=OuterRef("pk")).order_by("-date", "-id").values("date")[:1]
    )
    return (
        scoped(Student.objects.filter(school=school), user, Perm.VIEW_STUDENT)
        .select_related("current_class")
        .annotate(status_date=Subquery(latest))
        .order_by("current_class__grade", "current_class__name", "sort_key", "id")
    )


def write_ministry_xlsx(students: Iterable[Student], target: IO[bytes]) -> int:
    """Writes the C1-HocSinh workbook into `target`; returns the number of student rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=SHEET_NAME)
    header = []
    for label, _getter in EXPORT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    with translation.override("vi"):
        for student in students:
            sheet.append([_cell_value(getter(student)) for _label, getter in EXPORT_COLUMNS])
            count += 1
    workbook.save(target)
    return count


def ministry_export(*, actor: Any, school: Unit) -> tuple[IO[bytes], int]:
    """The export file (a temporary file, rewound) and its row count; recorded in the audit log."""
    if not export_schools(actor).filter(pk=school.pk).exists():
        # The file is complete or not written at all (see export_schools).
        raise PermissionDenied
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it after sending
    count = write_ministry_xlsx(
        ministry_students(user=actor, school=school).iterator(chunk_size=2000), target
    )
    target.seek(0)
    audit.record_export(actor=actor, what="directory.ministry_c1", unit=school, rows=count, fmt="xlsx")
    return target, count


# --- reverse import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int  # the spreadsheet's row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str

    def text(self) -> str:
        if not self.row:
            return self.message
        return _("Dòng %(row)d, cột «%(column)s»: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _problems() -> ProblemList[RowProblem]:
    return ProblemList()


@dataclass
class CodeImportResult:
    changed: list[tuple[int, str, str]] = field(default_factory=list)  # (student id, old, new)
    unchanged: int = 0
    skipped: int = 0  # rows without a code: the Ministry has not assigned one yet
    problems: ProblemList[RowProblem] = field(default_factory=_problems)
    dry_run: bool = False
    rows: int = 0  # data rows read (blank ones included)
    stopped_at_row: int = 0  # checking stopped here after IMPORT_MAX_ERRORS problems (0: it did not)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verb = _("sẽ cập nhật") if self.dry_run else _("đã cập nhật")
        return _(
            "%(verb)s %(changed)d mã học sinh, %(unchanged)d không đổi, %(skipped)d dòng chưa có mã."
        ) % {
            "verb": verb.capitalize(),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }

    def limits_note(self) -> str:
        return limits_note(stopped_at_row=self.stopped_at_row, errors_omitted=self.problems.omitted)

    def report(self) -> str:
        lines = [_("Không ghi gì: tệp có %(n)d lỗi.") % {"n": self.problems.total}]
        lines += [p.text() for p in self.problems]
        note = self.limits_note()
        if note:
            lines.append(note)
        return "\n".join(lines)


def _text(value: Any, width: int) -> str:
    """A cell as text; a number that Excel stored without its leading zeros gets them back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value)).zfill(width)
    return str(value).strip()


def _rows(
    upload: IO[bytes] | str | Any,
) -> tuple[dict[str, int], Iterator[tuple[int, tuple[Any, ...]]]]:
    numbered = limit_rows(
        enumerate(
            xlsx_rows(
                upload,
                SHEET_NAME,
                invalid=_("Không đọc được tệp: hãy tải lên tệp Excel (.xlsx) theo mẫu C1-HocSinh."),
            ),
            start=1,
        )
    )
    header = next(numbered, (1, ()))[1] or ()
    wanted = {fold(name): name for name, _getter in EXPORT_COLUMNS}
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = wanted.get(fold(str(cell or "")))
        if name is not None and name not in positions:
            positions[name] = index
    missing = [name for name in (COL_PERSONAL_ID, COL_CODE) if name not in positions]
    if missing:
        raise ValueError(
            _("Dòng tiêu đề thiếu cột: %(columns)s.") % {"columns": ", ".join(f"«{m}»" for m in missing)}
        )
    return positions, numbered


def _checked_rows(
    rows: Iterator[tuple[int, tuple[Any, ...]]],
    result: CodeImportResult,
    progress: Progress,
    estimate: int,
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The data rows, counted, with progress, until IMPORT_MAX_ERRORS problems have been found."""
    limit = max_errors()
    for number, row in rows:
        if result.problems.total >= limit:
            result.stopped_at_row = number
            return
        result.rows += 1
        if result.rows % 5000 == 0:
            progress("reading", result.rows, max(estimate, result.rows))
        yield number, row


def ministry_codes_import(
    *,
    actor: Any,
    upload: IO[bytes] | str | Any,
    school: Unit | None = None,
    user: Any = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
    estimate: int = 0,
) -> CodeImportResult:
    """Fills in Ministry codes from the returned template (a file object or a path).

    `school` limits the rows to one school; `user` limits them to what that user may change (the screen);
    the command passes neither and may touch any student."""
    result = CodeImportResult(dry_run=dry_run)
    try:
        positions, numbered = _rows(upload)
        rows = _checked_rows(numbered, result, progress, estimate)
        return _import(actor, positions, rows, result, school, user, dry_run, progress)
    except (ValueError, FileProblem) as exc:
        # First: the file as a whole cannot be used (unreadable, too long), whatever its rows said.
        result.problems.insert(0, RowProblem(0, "", str(exc)))
        result.changed = []
        return result


def _import(
    actor: Any,
    positions: dict[str, int],
    rows: Iterator[tuple[int, tuple[Any, ...]]],
    result: CodeImportResult,
    school: Unit | None,
    user: Any,
    dry_run: bool,
    progress: Progress,
) -> CodeImportResult:
    id_at, code_at = positions[COL_PERSONAL_ID], positions[COL_CODE]

    wanted: list[tuple[int, str, str]] = []  # (row, personal id, code)
    seen_ids: dict[str, int] = {}
    seen_codes: dict[str, tuple[int, str]] = {}
    for number, row in rows:
        personal_id = _text(row[id_at] if id_at < len(row) else None, 12)
        code = _text(row[code_at] if code_at < len(row) else None, 10)
        if not personal_id and not code and not any(v not in (None, "") for v in row):
            continue  # a blank line
        if not personal_id:
            other_at = positions.get(COL_OTHER_NUMBER)
            if other_at is not None and other_at < len(row) and _text(row[other_at], 0):
                # A pupil without a personal identifier (another document instead): not matched here yet,
                # the school enters that code on the student's record.
                result.skipped += 1
                continue
            result.problems.append(RowProblem(number, COL_PERSONAL_ID, _("Thiếu số định danh cá nhân.")))
            continue
        if not is_personal_id_format(personal_id):
            result.problems.append(
                RowProblem(number, COL_PERSONAL_ID, _("Số định danh cá nhân phải gồm đúng 12 chữ số."))
            )
            continue
        if personal_id in seen_ids:
            result.problems.append(
                RowProblem(
                    number,
                    COL_PERSONAL_ID,
                    _("Số định danh trùng với dòng %(row)d.") % {"row": seen_ids[personal_id]},
                )
            )
            continue
        seen_ids[personal_id] = number
        if not code:
            result.skipped += 1
            continue
        if not is_ministry_student_code(code):
            result.problems.append(
                RowProblem(number, COL_CODE, _("Mã học sinh của Bộ phải gồm đúng 10 chữ số."))
            )
            continue
        if code in seen_codes and seen_codes[code][1] != personal_id:
            result.problems.append(
                RowProblem(
                    number,
                    COL_CODE,
                    _("Mã học sinh %(code)s đã dùng cho học sinh khác ở dòng %(row)d.")
                    % {"code": code, "row": seen_codes[code][0]},
                )
            )
            continue
        seen_codes[code] = (number, personal_id)
        wanted.append((number, personal_id, code))

    students = {
        s.personal_id: s
        # The school: each audit line is filed under it (audit.owning_unit), one query instead of one a row.
        for s in Student.objects.select_related("school").filter(personal_id__in=[w[1] for w in wanted])
    }
    allowed: set[int] | None = None
    if user is not None:
        allowed = set(
            scoped(
                Student.objects.filter(pk__in=[s.pk for s in students.values()]), user, Perm.CHANGE_STUDENT
            ).values_list("pk", flat=True)
        )
    holders = dict(
        Student.objects.filter(ministry_code__in=[w[2] for w in wanted]).values_list("ministry_code", "pk")
    )
    updates: list[tuple[Student, str]] = []
    for number, personal_id, code in wanted:
        student = students.get(personal_id)
        if student is None:
            result.problems.append(
                RowProblem(number, COL_PERSONAL_ID, _("Không có học sinh nào với số định danh này."))
            )
            continue
        if (school is not None and student.school_id != school.pk) or (
            allowed is not None and student.pk not in allowed
        ):
            result.problems.append(
                RowProblem(number, COL_PERSONAL_ID, _("Số định danh này là của học sinh trường khác."))
            )
            continue
        holder = holders.get(code)
        if holder is not None and holder != student.pk:
            result.problems.append(
                RowProblem(
                    number,
                    COL_CODE,
                    _("Mã học sinh %(code)s đã được dùng cho một học sinh khác.") % {"code": code},
                )
            )
            continue
        if student.ministry_code == code:
            result.unchanged += 1
            continue
        if student.ministry_code:
            result.problems.append(
                RowProblem(
                    number,
                    COL_CODE,
                    _(
                        "Học sinh đã có mã %(old)s, khác mã %(new)s trong tệp; hệ thống không ghi đè. Hãy kiểm tra với Bộ."
                    )
                    % {"old": student.ministry_code, "new": code},
                )
            )
            continue
        updates.append((student, code))

    result.changed = [(s.pk, s.ministry_code, code) for s, code in updates]
    if result.problems or dry_run:
        return result
    _write_codes(updates, actor, progress)
    return result


WRITE_BATCH = 500


def _write_codes(updates: list[tuple[Student, str]], actor: Any, progress: Progress) -> None:
    """The codes and their audit lines (those record_update writes), WRITE_BATCH students per UPDATE and
    per insert of lines instead of two statements a student: a city's file is 10^5 rows."""
    total = len(updates)
    note = "Nhập mã học sinh từ CSDL của Bộ"
    with transaction.atomic():
        for start in range(0, total, WRITE_BATCH):
            batch = updates[start : start + WRITE_BATCH]
            now = timezone.now()  # what save() sets on updated_at, which bulk_update leaves alone
            lines = []
            for student, code in batch:
                before = audit.snapshot(student, ("ministry_code",))
                student.ministry_code, student.updated_at = code, now
                changes = audit.diff(before, audit.snapshot(student, ("ministry_code",)))
                if changes:
                    lines.append(
                        audit.entry(
                            actor=actor, action=AuditAction.UPDATE, obj=student, changes=changes, note=note
                        )
                    )
            Student.objects.bulk_update([s for s, _c in batch], ["ministry_code", "updated_at"])
            bulk_insert(AuditEntry, lines)
            progress("writing", start + len(batch), total)
    progress("writing", total, total)


def export_schools(user: Any) -> QuerySet[Unit]:
    """The schools whose C1-HocSinh file this user may download.

    The file goes to the Ministry's database as the school's and the department's legal duty, and that
    database needs every pupil's identifier, ethnicity and disability: it is never masked. So it is offered
    only where the user may export *and* reads every student's whole record (selectors.privacy: the
    school's record keepers, the department's officers and IT), not to a department leader, who sees the
    students' basic fields only."""
    from .selectors.privacy import full_record_unit_paths
    from .transfers import schools_where

    schools = schools_where(user, Perm.EXPORT_DATA)
    paths = full_record_unit_paths(user)
    if paths is None:
        return schools
    return schools.filter(reduce(operator.or_, [Q(path__startswith=p) for p in paths], Q(pk__in=[])))


def today_stamp() -> str:
    return dt.date.today().strftime("%Y%m%d")

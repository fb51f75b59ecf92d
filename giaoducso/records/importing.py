"""A class and subject's grade book for one term as a spreadsheet: exported, filled in Excel, imported back.

The columns are those of the Ministry's score-upload template as schools know it (no description of that
template was available to this project, so these are the columns we chose; header names are matched
without case or accents, in any order):

| header        | key            | on import                                                         |
|---------------|----------------|-------------------------------------------------------------------|
| STT           | stt            | ignored                                                           |
| Mã học sinh   | ma_hoc_sinh    | the Ministry student code; this or Mã định danh names the student |
| Mã định danh  | ma_dinh_danh   | the personal identification number                                |
| Họ và tên     | ho_va_ten      | required; must match the student's name (catches shifted rows)    |
| Ngày sinh     | ngay_sinh      | ignored                                                           |
| Học kì        | hoc_ki         | optional; when given, must be the term chosen on upload (1 or 2)  |
| ĐĐGtx1…ĐĐGtx9 | ddgtx1…ddgtx9  | regular assessments; only as many as the subject has              |
| ĐĐGgk         | ddggk          | required column: the mid-term assessment                          |
| ĐĐGck         | ddgck          | required column: the end-of-term assessment                       |
| ĐTBmhk        | dtbmhk         | ignored (the term average is derived, never imported)             |

A score is 0–10 with one decimal ("8,5" or "8.5"); a comment-only subject takes Đ / CĐ, a primary subject
T / H / C. An empty cell leaves the stored one as it is. Any other column, a bad value, a student not in the
class, a name that does not match or a locked term refuses the whole file with a row-by-row report; the
file is written all at once through `marks_write`, like the screen.

The import runs as the directory's imports do (upload limits, a background check with a preview, then a
background write, the report as XLSX), with the readers and report of `directory.importing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giaoducso.core import jobs as core_jobs
from giaoducso.core.jobs import JOB_KINDS, JobError, JobKind, JobReporter
from giaoducso.core.models import Job, JobStatus
from giaoducso.directory.importing.jobs import attach_report, local_copy
from giaoducso.directory.importing.readers import file_sha256, open_table
from giaoducso.directory.importing.report import FileProblem, ImportResult, Problem
from giaoducso.directory.models import SchoolClass, Student
from rules.text import fold

from .models import Mark, MarkKind, Subject, SubjectKind, Term
from .selectors.access import class_access
from .services.locks import ensure_open
from .services.marks import IN_CLASS_STATUSES, Cell, marks_check, marks_write, regular_count

MAX_REGULAR = 9
REGULAR = tuple(f"ddgtx{i}" for i in range(1, MAX_REGULAR + 1))
COLUMNS = ("stt", "ma_hoc_sinh", "ma_dinh_danh", "ho_va_ten", "ngay_sinh", "hoc_ki", *REGULAR)
COLUMNS += ("ddggk", "ddgck", "dtbmhk")
REQUIRED = ("ho_va_ten", "ddggk", "ddgck")
HEADERS = {
    "stt": "STT",
    "ma_hoc_sinh": "Mã học sinh",
    "ma_dinh_danh": "Mã định danh",
    "ho_va_ten": "Họ và tên",
    "ngay_sinh": "Ngày sinh",
    "hoc_ki": "Học kì",
    "ddggk": "ĐĐGgk",
    "ddgck": "ĐĐGck",
    "dtbmhk": "ĐTBmhk",
    **{f"ddgtx{i}": f"ĐĐGtx{i}" for i in range(1, MAX_REGULAR + 1)},
}
LEVEL_TEXT = {
    SubjectKind.COMMENT: {"d": 1, "dat": 1, "1": 1, "cd": 0, "chua dat": 0, "0": 0},
    SubjectKind.LEVEL: {"t": 2, "h": 1, "c": 0},
}

CHECK_KIND = "records_import_check"
RUN_KIND = "records_import_run"
IMPORT_JOB_KINDS = (CHECK_KIND, RUN_KIND)
JOB_KINDS.setdefault(CHECK_KIND, JobKind(gettext_lazy("Kiểm tra tệp sổ điểm")))
JOB_KINDS.setdefault(RUN_KIND, JobKind(gettext_lazy("Nhập sổ điểm từ tệp"), notify_on_finish=True))
UPLOAD_DIR = "imports/records"


@dataclass(frozen=True)
class Target:
    school_class: SchoolClass
    subject: Subject
    term: int


def columns_of(subject: Subject, grade: int) -> list[str]:
    """The columns of the exported file for a subject, in order."""
    regular = regular_count(subject, grade)
    marks = [*REGULAR[:regular], "ddggk", "ddgck"]
    tail = ["dtbmhk"] if subject.kind == SubjectKind.SCORED else []
    return ["stt", "ma_hoc_sinh", "ma_dinh_danh", "ho_va_ten", "ngay_sinh", "hoc_ki", *marks, *tail]


def _address(column: str) -> tuple[str, int]:
    if column == "ddggk":
        return MarkKind.MIDTERM, 1
    if column == "ddgck":
        return MarkKind.FINAL, 1
    return MarkKind.REGULAR, int(column.removeprefix("ddgtx"))


def _cell(subject: Subject, student_id: int, term: int, column: str, text: str) -> Cell | str:
    """The cell a file's text asks for, or the message saying why the text is not a value."""
    kind, index = _address(column)
    if subject.kind == SubjectKind.SCORED:
        return Cell(student_id, term, kind, index, value=text)
    level = LEVEL_TEXT[SubjectKind(subject.kind)].get(fold(text))
    if level is None:
        shown = "Đ/CĐ" if subject.kind == SubjectKind.COMMENT else "T/H/C"
        return _("«%(value)s» không phải mức đánh giá (%(levels)s).") % {"value": text[:20], "levels": shown}
    return Cell(student_id, term, kind, index, level=level)


def check_file(*, actor: Any, path: Path, file_name: str, target: Target) -> tuple[ImportResult, list[Cell]]:
    """Every problem of the file (nothing written) and, when there is none, the cells to write."""
    school_class, subject, term = target.school_class, target.subject, target.term
    result = ImportResult(kind="gradebook", file_name=file_name, sha256=file_sha256(path), dry_run=True)
    try:
        ensure_open(school_class, term)
    except ValidationError as exc:
        result.errors.append(Problem(0, "", "", str(exc.messages[0])))
        return result, []
    regular = regular_count(subject, school_class.grade)
    try:
        table = open_table(path, file_name, COLUMNS, REQUIRED)
    except FileProblem as exc:
        result.errors.append(Problem(0, "", "", str(exc)))
        return result, []
    for column in table.extra_columns:
        result.errors.append(
            Problem(
                1,
                column,
                column,
                _("Cột «%(column)s» không có trong mẫu sổ điểm. Các cột nhận: %(all)s.")
                % {
                    "column": column,
                    "all": ", ".join(HEADERS[c] for c in columns_of(subject, school_class.grade)),
                },
            )
        )
    in_class = Student.objects.filter(current_class=school_class, status__in=IN_CLASS_STATUSES)
    by_code: dict[str, Student] = {}
    by_pid: dict[str, Student] = {}
    for student in in_class.only("pk", "full_name", "ministry_code", "personal_id"):
        if student.ministry_code:
            by_code[student.ministry_code] = student
        by_pid[student.personal_id] = student
    index = {c: i for i, c in enumerate(table.columns)}
    mark_columns = [*REGULAR, "ddggk", "ddgck"]
    cells: list[Cell] = []
    where: list[tuple[int, str, str]] = []  # (row, column, text) of each cell
    seen: dict[int, int] = {}
    try:  # the rows stream: a file past IMPORT_MAX_ROWS is refused at the first row beyond it
        for number, values in table.rows:
            result.rows += 1
            code, pid, name, term_text = (
                values[index[c]] for c in ("ma_hoc_sinh", "ma_dinh_danh", "ho_va_ten", "hoc_ki")
            )
            if term_text and term_text not in (str(term), Term(term).label, "I" * term):
                result.errors.append(
                    Problem(
                        number,
                        "hoc_ki",
                        term_text,
                        _("Tệp ghi học kì %(got)s, nhưng bạn nhập cho %(term)s.")
                        % {"got": term_text, "term": Term(term).label},
                    )
                )
            student = by_code.get(code) if code else (by_pid.get(pid) if pid else None)
            if student is None:
                if not code and not pid:
                    message = _("Thiếu mã học sinh hoặc mã định danh.")
                else:
                    message = _(
                        "Không có học sinh mã %(code)s trong lớp %(cls)s (hoặc học sinh đã nghỉ, chuyển đi)."
                    ) % {
                        "code": code or pid,
                        "cls": school_class.name,
                    }
                result.errors.append(
                    Problem(
                        number, "ma_hoc_sinh" if code or not pid else "ma_dinh_danh", code or pid, message
                    )
                )
                continue
            if fold(name) != fold(student.full_name):
                result.errors.append(
                    Problem(
                        number,
                        "ho_va_ten",
                        name,
                        _("Họ tên không khớp với học sinh mã %(code)s (%(name)s).")
                        % {"code": code or pid, "name": student.full_name},
                    )
                )
                continue
            if student.pk in seen:
                result.errors.append(
                    Problem(
                        number,
                        "ma_hoc_sinh",
                        code or pid,
                        _("Học sinh đã có ở dòng %(row)d.") % {"row": seen[student.pk]},
                    )
                )
                continue
            seen[student.pk] = number
            for column in mark_columns:
                text = values[index[column]]
                if not text:
                    continue
                if column in REGULAR and (int(column[5:]) > regular or subject.kind == SubjectKind.LEVEL):
                    result.errors.append(
                        Problem(
                            number,
                            column,
                            text,
                            _("Môn %(subject)s có %(n)d lần ĐĐGtx mỗi học kì: không có cột này.")
                            % {"subject": subject.name, "n": regular},
                        )
                    )
                    continue
                cell = _cell(subject, student.pk, term, column, text)
                if isinstance(cell, str):
                    result.errors.append(Problem(number, column, text, cell))
                    continue
                cells.append(cell)
                where.append((number, column, text))
    except FileProblem as exc:
        # First: with it, the rows' problems found before are beside the point; nothing is written.
        result.errors.insert(0, Problem(0, "", "", str(exc)))
        return result, []
    try:
        problems = marks_check(actor=actor, school_class=school_class, subject=subject, cells=cells)
    except (ValidationError, PermissionDenied) as exc:
        message = str(exc.messages[0]) if isinstance(exc, ValidationError) else str(exc)
        result.errors.append(Problem(0, "", "", message))
        return result, []
    for position, _field, message in problems:
        number, column, text = where[position]
        result.errors.append(Problem(number, column, text, message))
    result.errors.sort(key=lambda p: (p.row, p.column))
    _count(result, target, cells)
    return result, cells


def _count(result: ImportResult, target: Target, cells: list[Cell]) -> None:
    stored = {
        (m.student_id, m.kind, m.index): m
        for m in Mark.objects.filter(
            school_class=target.school_class, subject=target.subject, term=target.term
        ).only("student_id", "kind", "index", "value", "level")
    }
    for cell in cells:
        mark = stored.get((cell.student_id, cell.kind, cell.index))
        if mark is None:
            result.new += 1
            continue
        if target.subject.kind == SubjectKind.SCORED:
            try:
                same = mark.value == Decimal(str(cell.value).strip().replace(",", "."))
            except ArithmeticError:
                same = False
        else:
            same = mark.level == cell.level
        if same:
            result.unchanged += 1
        else:
            result.changed += 1


# --- Background jobs ------------------------------------------------------------------------------


def job_start_check(*, actor: Any, target: Target, stored_name: str, file_name: str) -> Job:
    from .tasks import check_gradebook_import

    return core_jobs.job_start(
        actor=actor,
        kind=CHECK_KIND,
        title=_("Kiểm tra tệp %(file)s — %(subject)s lớp %(cls)s, %(term)s")
        % {
            "file": file_name,
            "subject": target.subject.name,
            "cls": target.school_class.name,
            "term": Term(target.term).label,
        },
        unit=target.school_class.school,
        task=check_gradebook_import,
        params={
            "file": stored_name,
            "file_name": file_name,
            "class_id": target.school_class.pk,
            "subject_id": target.subject.pk,
            "term": target.term,
            "membership_id": core_jobs.membership_param(actor),
        },
    )


def can_commit(job: Job) -> bool:
    result = job.result or {}
    return bool(
        job.kind == CHECK_KIND
        and job.status == JobStatus.SUCCEEDED
        and result.get("error_count") == 0
        and (result.get("new") or result.get("changed"))
    )


class NotReady(Exception):
    """The checked file may not be written: errors, nothing new, or not the checker's own job."""


def job_start_run(*, actor: Any, check_job: Job) -> Job:
    if check_job.created_by_id != getattr(actor, "pk", None) or not can_commit(check_job):
        raise NotReady
    from .tasks import run_gradebook_import

    return core_jobs.job_start(
        actor=actor,
        kind=RUN_KIND,
        title=str(check_job.title).replace(str(_("Kiểm tra tệp")), str(_("Nhập tệp")), 1),
        unit=check_job.unit,
        task=run_gradebook_import,
        params={**check_job.params, "check_job": str(check_job.pk)},
    )


def _target(job: Job, user: Any) -> Target:
    params = job.params
    school_class = (
        SchoolClass.objects.select_related("school", "year").filter(pk=params.get("class_id")).first()
    )
    subject = Subject.objects.filter(pk=params.get("subject_id")).first()
    if school_class is None or subject is None or params.get("term") not in Term.values:
        raise JobError(_("Không còn lớp hoặc môn học của tệp này."))
    access = class_access(user, school_class)
    if access is None or not access.enters_subject(subject.pk):
        raise JobError(
            _("Bạn không được phân công dạy môn %(subject)s ở lớp %(cls)s.")
            % {"subject": subject.name, "cls": school_class.name}
        )
    return Target(school_class, subject, int(params["term"]))


def _body(job: Job, report: JobReporter, *, write: bool) -> dict[str, Any]:
    user = core_jobs._acting_user(job)
    target = _target(job, user)
    stored = job.params["file"]
    if not default_storage.exists(stored):
        raise JobError(_("Không còn tệp đã tải lên; hãy tải lại tệp."))
    report(5, _("Đang đọc và kiểm tra tệp…"))
    with local_copy(stored) as path:
        result, cells = check_file(actor=user, path=path, file_name=job.params["file_name"], target=target)
    report(60, _("Đã kiểm tra %(rows)d dòng") % {"rows": result.rows})
    if result.rows == 0 and not result.errors:
        result.errors.append(Problem(0, "", "", _("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")))
    if write and result.ok:
        try:
            marks_write(
                actor=user,
                school_class=target.school_class,
                subject=target.subject,
                cells=cells,
                note=_("nhập tệp %(file)s") % {"file": job.params["file_name"]},
            )
        except ValidationError as exc:
            raise JobError(str(exc.messages[0])) from None
        except PermissionDenied as exc:
            raise JobError(str(exc)) from None
        result.written, result.dry_run = True, False
        default_storage.delete(stored)
    preview = result.as_preview()
    if result.errors:
        attach_report(job, result.errors, [])
        preview["filename"] = f"bao-cao-nhap-diem-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    preview["data_rows"] = result.rows
    if not result.ok:
        preview["message"] = _("Tệp có %(count)d lỗi; chưa ghi điểm nào.") % {"count": len(result.errors)}
    else:
        preview["message"] = (
            _("Đã nhập %(new)d điểm mới, %(changed)d điểm sửa, %(same)d không đổi.")
            if write
            else _("Kiểm tra xong (chưa ghi gì): %(new)d điểm mới, %(changed)d điểm sửa, %(same)d không đổi.")
        ) % {"new": result.new, "changed": result.changed, "same": result.unchanged}
    return preview


def check_body(job: Job, report: JobReporter) -> dict[str, Any]:
    return _body(job, report, write=False)


def run_body(job: Job, report: JobReporter) -> dict[str, Any]:
    return _body(job, report, write=True)

"""Issue 7.3: an upload's limits limit the work — rows per file, errors per check, memory per job, and a
page of errors per screen."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from giaoducso.core import jobs as core_jobs
from giaoducso.core.models import Job
from giaoducso.core.roles import Role
from giaoducso.directory import ministry
from giaoducso.directory.importing.readers import MAX_COLUMNS, xlsx_rows
from giaoducso.directory.importing.service import run_import
from giaoducso.directory.importing.students import REQUIRED as COLUMNS  # the base columns a row gives
from giaoducso.directory.models import Student
from giaoducso.testing.auth import sign_in

from .import_helpers import pid, setup_directory, student_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world):
    return setup_directory(world)


def rows(count: int, start: int = 1, **overrides: str) -> list[dict[str, str]]:
    return [student_row(serial, **overrides) for serial in range(start, start + count)]


def file_problem(result) -> str:
    return next((p.message for p in result.errors if p.row == 0), "")


# --- rows per file ------------------------------------------------------------------------------


def test_a_file_at_the_row_limit_passes_and_one_row_more_is_refused(world, year, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 20
    ok = run_import(kind="students", path=write_csv(tmp_path / "a.csv", rows(20)), actor="test", dry_run=True)
    assert ok.ok and ok.rows == 20, [p.text() for p in ok.errors]
    long = run_import(kind="students", path=write_csv(tmp_path / "b.csv", rows(21)), actor="test")
    assert "nhiều hơn 20 dòng" in file_problem(long)
    assert long.errors[0].row == 0  # the file's problem comes first
    assert not Student.objects.filter(personal_id=pid(1)).exists()


def test_an_over_long_file_is_refused_where_it_passes_the_limit_not_at_its_end(
    world, year, tmp_path, settings
):
    """Reading stops at the first row past the limit: what comes later (here bytes that are not UTF-8,
    which would refuse the file for another reason) is never read."""
    settings.IMPORT_MAX_ROWS = 30
    path = write_csv(tmp_path / "long.csv", rows(2000))  # far past the decoder's buffer
    with open(path, "ab") as handle:
        handle.write(b"\xff\xfe not utf-8\n" * 10)
    result = run_import(kind="students", path=path, actor="test", dry_run=True)
    assert "nhiều hơn 30 dòng" in file_problem(result)
    assert not any("UTF-8" in p.message for p in result.errors)


def test_blank_rows_count_so_a_sparse_sheet_is_refused_without_reading_to_its_last_row(
    world, year, tmp_path, settings
):
    """One cell at row 1,000,000, column XFD: openpyxl fills the gap with empty rows and used to pad each
    one to the sheet's width (16,384 cells); now the gap counts against the limit and rows stay narrow."""
    settings.IMPORT_MAX_ROWS = 100
    path = write_xlsx(tmp_path / "sparse.xlsx", rows(3))
    book = load_workbook(path)
    book.active.cell(row=1_000_000, column=16_384, value="x")
    book.save(path)
    result = run_import(kind="students", path=path, actor="test", dry_run=True)
    assert "nhiều hơn 100 dòng" in file_problem(result)


def _claim_dimension(path: Path, ref: str) -> None:
    """Rewrites the sheet's <dimension>, as a careless writer (or an attacker) may."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), parts[sheet])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


def test_a_sheet_claiming_a_million_rows_and_columns_is_read_as_it_is(world, year, tmp_path, settings):
    path = write_xlsx(tmp_path / "claims.xlsx", rows(3))
    _claim_dimension(path, "A1:XFD1048576")
    read = list(xlsx_rows(path))
    assert len(read) == 4 and max(len(r) for r in read) <= MAX_COLUMNS
    result = run_import(kind="students", path=path, actor="test", dry_run=True)
    assert result.ok and result.rows == 3, [p.text() for p in result.errors]


def test_a_sheet_without_a_dimension_is_not_read_twice(world, tmp_path, monkeypatch):
    """openpyxl's write-only mode leaves <dimension> out, and openpyxl's reader then parses the whole
    sheet looking for it before the first row (the Ministry sheet of 300,000 rows: seconds for nothing)."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    from openpyxl.worksheet._reader import WorkSheetParser

    book = Workbook(write_only=True)
    sheet = book.create_sheet(ministry.SHEET_NAME)
    sheet.append([ministry.COL_PERSONAL_ID, ministry.COL_CODE])
    for n in range(50):
        sheet.append([f"{n:012d}", ""])
    path = tmp_path / "write-only.xlsx"
    book.save(path)
    original = ReadOnlyWorksheet._get_size

    def whole_pass(self):
        raise AssertionError("the sheet was parsed to find its size")

    monkeypatch.setattr(WorkSheetParser, "parse_dimensions", whole_pass)
    assert next(iter(xlsx_rows(path)))[:2] == (ministry.COL_PERSONAL_ID, ministry.COL_CODE)
    result = ministry.ministry_codes_import(actor=None, upload=str(path), dry_run=True)
    assert result.ok and result.skipped == 50 and result.rows == 50
    assert ReadOnlyWorksheet._get_size is original


# --- errors per check ---------------------------------------------------------------------------


def test_checking_stops_after_the_error_limit_and_says_where(world, year, tmp_path, settings):
    settings.IMPORT_MAX_ERRORS = 5
    path = write_csv(tmp_path / "bad.csv", rows(40, ngay_sinh="31/02/2014") + rows(5, start=100))
    result = run_import(kind="students", path=path, actor="test", dry_run=True)
    assert len(result.errors) == 5 and result.errors.total == 5
    assert result.stopped_at_row == 7  # header on row 1, five bad rows on 2-6
    assert result.rows == 5
    report = result.error_report()
    assert "Đã dừng kiểm tra ở dòng 7 vì đã gặp 5 lỗi" in report
    assert report.count("\n") == 6  # the heading, five errors, the note: not forty


def test_problems_past_the_limit_are_counted_not_kept(world, year, tmp_path, settings):
    settings.IMPORT_MAX_ERRORS = 3
    # Ten good rows whose ward is unknown: ten warnings, three kept, the count right.
    path = write_csv(tmp_path / "wards.csv", rows(10, phuong_xa="Phường Không Có"))
    result = run_import(kind="students", path=path, actor="test", dry_run=True)
    assert result.ok and len(result.warnings) == 3 and result.warnings.total == 10
    assert "10 cảnh báo" in result.summary()
    assert "Còn 7 cảnh báo nữa" in result.limits_note()
    preview = result.as_preview()
    assert preview["warning_count"] == 10 and len(preview["warnings"]) == 3


def ministry_book(rows: list[tuple[str, str]], blank_until: int = 0) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.title = ministry.SHEET_NAME
    sheet.append([ministry.COL_PERSONAL_ID, ministry.COL_CODE])
    for personal_id, code in rows:
        sheet.append([personal_id, code])
    if blank_until:
        sheet.cell(row=blank_until, column=1, value="")
        sheet.cell(row=blank_until, column=2, value=" ")
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_ministry_import_has_the_same_row_and_error_limits(world, settings):
    settings.IMPORT_MAX_ROWS = 10
    settings.IMPORT_MAX_ERRORS = 4
    bad = ministry_book([(f"{n:012d}", "abc") for n in range(8)])
    result = ministry.ministry_codes_import(actor=None, upload=bad, dry_run=True)
    assert result.problems.total == 4 and result.stopped_at_row == 6
    assert "Đã dừng kiểm tra ở dòng 6" in result.report()
    sparse = ministry_book([], blank_until=300_000)
    result = ministry.ministry_codes_import(actor=None, upload=sparse, dry_run=True)
    assert "nhiều hơn 10 dòng" in result.report()
    assert result.rows <= 11


# --- a page of errors per screen ----------------------------------------------------------------


def test_the_result_page_shows_one_page_of_errors_and_offers_the_whole_report(
    client, world, year, django_capture_on_commit_callbacks
):
    sign_in(client, world.user(Role.PRINCIPAL))
    lines = [",".join(COLUMNS)] + [
        ",".join(row[c] for c in COLUMNS) for row in rows(120, ngay_sinh="31/02/2014")
    ]
    upload = SimpleUploadedFile("hs.csv", ("\n".join(lines) + "\n").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:import_start"), {"kind": "students", "file": upload})
    job = Job.objects.get(kind="directory_import_check")
    assert job.result["error_count"] == 120 and job.result_file
    page = client.get(response["Location"]).content.decode()
    table = page[page.index('class="data import-errors"') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 1 + 50  # the heading and one page
    assert "Trang 1/3" in page and "?page=2" in page
    assert reverse("core:job_download", args=[job.pk]) in page
    last = client.get(response["Location"], {"page": "3"}).content.decode()
    table = last[last.index('class="data import-errors"') :]
    assert table[: table.index("</table>")].count("<tr>") == 1 + 20
    for odd in ("0", "-1", "x", "99999999999999999999"):
        assert client.get(response["Location"], {"page": odd}).status_code == 200


# --- memory per job -----------------------------------------------------------------------------


def test_a_job_that_grows_its_worker_past_the_limit_stops_with_a_message(
    client, world, year, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.JOB_MAX_MEMORY_MB = 100
    sizes = iter([500, 550, *[800] * 100])  # MB: at the start, then after each progress report
    monkeypatch.setattr(core_jobs, "resident_memory", lambda: next(sizes) * 1024 * 1024)
    sign_in(client, world.user(Role.PRINCIPAL))
    lines = [",".join(COLUMNS)] + [",".join(row[c] for c in COLUMNS) for row in rows(3)]
    upload = SimpleUploadedFile("hs.csv", ("\n".join(lines) + "\n").encode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("directory:import_start"), {"kind": "students", "file": upload})
    job = Job.objects.get(kind="directory_import_check")
    assert job.status == "failed"
    assert "quá 100 MB bộ nhớ" in job.message


def test_the_memory_guard_is_off_at_zero_and_where_the_system_does_not_tell(settings, monkeypatch):
    settings.JOB_MAX_MEMORY_MB = 0
    reporter = core_jobs.JobReporter("00000000-0000-0000-0000-000000000000")
    reporter.check_memory()
    settings.JOB_MAX_MEMORY_MB = 1
    monkeypatch.setattr(core_jobs, "resident_memory", lambda: None)
    core_jobs.JobReporter("00000000-0000-0000-0000-000000000000").check_memory()

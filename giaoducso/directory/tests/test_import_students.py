"""The student import: every check names its row and column; all-or-nothing; idempotent; audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from giaoducso.core.models import AuditEntry
from giaoducso.directory.importing.service import run_import
from giaoducso.directory.importing.students import COLUMNS
from giaoducso.directory.models import (
    Enrolment,
    Guardian,
    SchoolClass,
    SchoolYear,
    Student,
    StudentStatusEvent,
)
from rules.text import name_sort_key

from .import_helpers import pid, setup_directory, student_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(world):
    return setup_directory(world)


def run(path: Path, **kwargs):
    return run_import(kind="students", path=path, actor="test", **kwargs)


def problems(result) -> list[tuple[int, str]]:
    return [(p.row, p.column) for p in result.errors]


def test_imports_new_students_with_guardian_enrolment_status_and_class(world, year, tmp_path):
    path = write_csv(
        tmp_path / "hs.csv", [student_row(1), student_row(2, lop="6/2", ho_ten="  trần   thị  Bình ")]
    )
    result = run(path)
    assert result.ok, result.errors
    assert (result.new, result.changed, result.unchanged) == (2, 0, 0)
    student = Student.objects.get(personal_id=pid(2))
    assert student.full_name == "trần thị Bình"
    assert student.search_name == "tran thi binh"
    assert student.sort_key == name_sort_key("Trần Thị Bình")
    assert student.date_of_birth == dt.date(2014, 3, 15)
    assert student.current_class.name == "6/2" and student.current_class.year == year
    assert student.ward is not None and student.ward.code == "P07Q6" and student.ward_name == ""
    guardian = Guardian.objects.get(student=student)
    assert guardian.is_primary and guardian.full_name == "Nguyễn Văn Bố" and guardian.phone == "0901234567"
    assert Enrolment.objects.get(student=student).school_class == student.current_class
    assert StudentStatusEvent.objects.get(student=student).status == "studying"
    assert sorted(result.classes_created) == ["TA01 6/1", "TA01 6/2"]
    assert "TA01 6/1" in result.summary() and "2 mới, 0 thay đổi, 0 không đổi" in result.summary()
    # One line per row written, as the single-row services write them, and one for the file.
    lines = AuditEntry.objects.filter(action="create")
    assert lines.filter(object_type="directory.student").exclude(object_id="").count() == 2
    assert lines.filter(object_type="directory.guardian").count() == 2
    assert lines.filter(object_type="directory.enrolment").count() == 2
    assert lines.filter(object_type="directory.studentstatusevent").count() == 2
    batch = AuditEntry.objects.get(object_type="directory.student", action="create", object_id="")
    assert (
        batch.changes["count"] == 2
        and batch.changes["file"] == "hs.csv"
        and len(batch.changes["sha256"]) == 64
    )


def test_existing_class_is_reused_not_created(world, year, tmp_path):
    SchoolClass.objects.create(school=world.school_a, year=year, grade=6, name="6/1")
    result = run(write_csv(tmp_path / "hs.csv", [student_row(1)]))
    assert result.ok and result.classes_created == []
    assert SchoolClass.objects.filter(school=world.school_a, name="6/1").count() == 1


def test_second_import_changes_nothing_and_says_so(world, year, tmp_path):
    path = write_csv(tmp_path / "hs.csv", [student_row(n) for n in range(1, 6)])
    assert run(path).ok
    audit_lines = AuditEntry.objects.count()
    students = list(Student.objects.order_by("pk").values())
    again = run(path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 5)
    assert "0 mới, 0 thay đổi, 5 không đổi" in again.summary()
    assert again.classes_created == []
    assert AuditEntry.objects.count() == audit_lines
    assert list(Student.objects.order_by("pk").values()) == students
    mine = {"student__personal_id__in": [pid(n) for n in range(1, 6)]}
    assert Guardian.objects.filter(**mine).count() == 5
    assert Enrolment.objects.filter(**mine).count() == 5
    assert StudentStatusEvent.objects.filter(**mine).count() == 5


def test_changed_row_updates_that_student_and_audits_old_and_new(world, year, tmp_path):
    assert run(write_csv(tmp_path / "a.csv", [student_row(1), student_row(2)])).ok
    changed = [student_row(1), student_row(2, ho_ten="Nguyễn Văn Mới", lop="6/3", dien_thoai="0912345678")]
    result = run(write_csv(tmp_path / "b.csv", changed))
    assert (result.new, result.changed, result.unchanged) == (0, 1, 1)
    assert result.classes_created == ["TA01 6/3"]
    student = Student.objects.get(personal_id=pid(2))
    assert student.full_name == "Nguyễn Văn Mới" and student.search_name == "nguyen van moi"
    assert student.sort_key == name_sort_key("Nguyễn Văn Mới")
    assert student.current_class.name == "6/3"
    assert Enrolment.objects.get(student=student, year=year).school_class.name == "6/3"
    assert Guardian.objects.get(student=student).phone == "0912345678"
    line = AuditEntry.objects.get(action="update", object_id=str(student.pk))
    assert line.changes["full_name"] == ["Nguyễn Văn An 2", "Nguyễn Văn Mới"]
    assert line.changes["guardian"] == [["Nguyễn Văn Bố", "0901234567"], ["Nguyễn Văn Bố", "0912345678"]]
    assert line.unit_id == world.school_a.pk
    assert not AuditEntry.objects.filter(
        action="update", object_id=str(Student.objects.get(personal_id=pid(1)).pk)
    )


def test_one_bad_row_in_the_middle_imports_nothing_and_names_it(world, year, tmp_path):
    rows = [student_row(n) for n in range(1, 40)]
    rows[20]["ngay_sinh"] = "31/02/2014"
    path = write_csv(tmp_path / "hs.csv", rows)
    result = run(path)
    assert not result.ok
    assert [p.text() for p in result.errors] == ["Dòng 22, cột ngay_sinh: Ngày 31/02/2014 không có thật."]
    assert Student.objects.filter(personal_id__in=[r["ma_dinh_danh"] for r in rows]).count() == 0
    assert SchoolClass.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"ho_ten": ""}, "ho_ten", "Chưa nhập"),
        ({"ma_dinh_danh": ""}, "ma_dinh_danh", "Chưa nhập"),
        ({"lop": ""}, "lop", "Chưa nhập"),
        ({"ngay_sinh": "2014-03-15"}, "ngay_sinh", "dd/mm/yyyy"),
        ({"ngay_sinh": "29/02/2015"}, "ngay_sinh", "không có thật"),
        (
            {"ngay_sinh": "15/03/2008", "ma_dinh_danh": pid(1, year=2008)},
            "ngay_sinh",
            "không phù hợp với khối 6",
        ),
        ({"ma_dinh_danh": "07921400000"}, "ma_dinh_danh", "12 chữ số"),
        ({"ma_dinh_danh": "07921400000X"}, "ma_dinh_danh", "chữ số 0–9"),
        ({"gioi_tinh": "Nữ"}, "gioi_tinh", "không khớp"),
        ({"gioi_tinh": "Trai"}, "gioi_tinh", "Nam"),
        ({"ngay_sinh": "15/03/2013"}, "ngay_sinh", "chữ số thứ 5–6"),
        ({"ma_dinh_danh": "079014000001"}, "ngay_sinh", "thế kỷ"),
        ({"ma_truong": "ZZ99"}, "ma_truong", "Không có trường mã «ZZ99»"),
        (
            {"lop": "3/1", "ngay_sinh": "15/03/2017", "ma_dinh_danh": pid(1, year=2017)},
            "lop",
            "không dạy khối 3",
        ),
        ({"lop": "lớp sáu"}, "lop", "không đúng dạng"),
        ({"dien_thoai": "12345"}, "dien_thoai", "không hợp lệ"),
        ({"ho_ten_cha_me": ""}, "ho_ten_cha_me", "chưa nhập họ tên cha mẹ"),
        ({"ho_ten": "A" * 256}, "ho_ten", "Dài quá 255"),
    ],
)
def test_each_check_names_row_column_and_problem(world, year, tmp_path, overrides, column, fragment):
    path = write_csv(tmp_path / "hs.csv", [student_row(2), student_row(1, **overrides)])
    result = run(path)
    assert not result.ok
    matching = [p for p in result.errors if p.row == 3 and p.column == column]
    assert matching, [p.text() for p in result.errors]
    assert any(fragment in p.message for p in matching), [p.text() for p in result.errors]
    assert all(p.row == 3 for p in result.errors)
    assert Student.objects.filter(personal_id__in=[pid(1), pid(2)]).count() == 0


def test_duplicate_identifier_in_file_names_both_rows(world, year, tmp_path):
    result = run(write_csv(tmp_path / "hs.csv", [student_row(1), student_row(2), student_row(1)]))
    assert problems(result) == [(4, "ma_dinh_danh")]
    assert "dòng 2" in result.errors[0].message


def test_student_of_another_school_is_not_moved_by_import(world, year, tmp_path):
    assert run(write_csv(tmp_path / "a.csv", [student_row(1, ma_truong="TB02")])).ok
    result = run(write_csv(tmp_path / "b.csv", [student_row(1)]))
    assert problems(result) == [(2, "ma_truong")] and "chuyển trường" in result.errors[0].message
    assert Student.objects.get(personal_id=pid(1)).school == world.school_b


def test_no_current_year_fails_with_a_clear_message(world, tmp_path):
    setup_directory(world)
    SchoolYear.objects.update(is_current=False)
    result = run(write_csv(tmp_path / "hs.csv", [student_row(1)]))
    assert not result.ok and "Chưa có năm học hiện tại" in result.errors[0].message


def test_unknown_ward_is_kept_as_text_with_a_warning_not_an_error(world, year, tmp_path):
    result = run(write_csv(tmp_path / "hs.csv", [student_row(1, phuong_xa="Phường Không Có")]))
    assert result.ok
    assert [(w.row, w.column) for w in result.warnings] == [(2, "phuong_xa")]
    student = Student.objects.get(personal_id=pid(1))
    assert student.ward is None and student.ward_name == "Phường Không Có"
    assert "1 cảnh báo" in result.summary()


def test_ward_matches_without_diacritics_or_prefix(world, year, tmp_path):
    assert run(write_csv(tmp_path / "hs.csv", [student_row(1, phuong_xa="phuong 7")])).ok
    assert Student.objects.get(personal_id=pid(1)).ward.code == "P07Q6"


def test_header_in_any_order_with_extra_columns_listed(world, year, tmp_path):
    # Case, spacing and diacritics of a hand-typed header do not matter.
    columns = ["Ghi chú", *(" Ngày Sinh " if c == "ngay_sinh" else c for c in reversed(COLUMNS)), "STT"]
    rows = [{**student_row(1), " Ngày Sinh ": "15/03/2014", "Ghi chú": "x", "STT": "1"}]
    result = run(write_csv(tmp_path / "hs.csv", rows, columns=columns))
    assert result.ok, [p.text() for p in result.errors]
    assert result.extra_columns == ["Ghi chú", "STT"]
    assert "Ghi chú, STT" in result.summary()


def test_missing_column_is_a_file_error(world, year, tmp_path):
    columns = [c for c in COLUMNS if c != "lop"]
    result = run(write_csv(tmp_path / "hs.csv", [student_row(1)], columns=columns))
    assert [(p.row, p.column) for p in result.errors] == [(0, "")]
    assert "Thiếu cột bắt buộc" in result.errors[0].message and "lop" in result.errors[0].message


def test_csv_with_bom_and_semicolons(world, year, tmp_path):
    path = tmp_path / "hs.csv"
    row = student_row(1)
    path.write_bytes(
        ("\ufeff" + ";".join(COLUMNS) + "\n" + ";".join(row.get(c, "") for c in COLUMNS) + "\n").encode()
    )
    result = run(path)
    assert result.ok, [p.text() for p in result.errors]
    assert Student.objects.get(personal_id=pid(1)).full_name == "Nguyễn Văn An 1"


def test_csv_with_bom_via_writer(world, year, tmp_path):
    assert run(write_csv(tmp_path / "hs.csv", [student_row(1)], bom=True)).ok


def test_non_utf8_csv_is_a_file_error(world, year, tmp_path):
    path = tmp_path / "hs.csv"
    path.write_bytes(",".join(COLUMNS).encode() + "\nĐà".encode("cp1258"))
    result = run(path)
    assert not result.ok and "UTF-8" in result.errors[0].message


def test_xlsx_first_sheet_with_real_date_cells(world, year, tmp_path):
    rows = [student_row(1), {**student_row(2), "ngay_sinh": dt.datetime(2014, 3, 15)}]
    result = run(write_xlsx(tmp_path / "hs.xlsx", rows))
    assert result.ok, [p.text() for p in result.errors]
    assert Student.objects.get(personal_id=pid(2)).date_of_birth == dt.date(2014, 3, 15)


def test_xlsx_row_numbers_are_the_sheet_rows(world, year, tmp_path):
    rows = [student_row(1), student_row(2), student_row(3, gioi_tinh="X")]
    result = run(write_xlsx(tmp_path / "hs.xlsx", rows))
    assert problems(result) == [(4, "gioi_tinh")]


def test_dry_run_writes_nothing_but_reports(world, year, tmp_path):
    result = run(write_csv(tmp_path / "hs.csv", [student_row(1)]), dry_run=True)
    assert result.ok and result.new == 1 and not result.written
    assert "chưa ghi gì" in result.summary() and "TA01 6/1" in result.summary()
    assert not Student.objects.filter(personal_id=pid(1)).exists() and not SchoolClass.objects.exists()


def test_command_exit_codes_and_reports(world, year, tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", [student_row(1)])
    call_command("import_students", str(good))
    out = capsys.readouterr()
    assert "1 mới, 0 thay đổi, 0 không đổi" in out.out and "writing" in out.err
    call_command("import_students", str(good))
    assert "0 mới, 0 thay đổi, 1 không đổi" in capsys.readouterr().out
    bad = write_csv(tmp_path / "bad.csv", [student_row(2), student_row(3, ngay_sinh="31/02/2014")])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_students", str(bad))
    assert exit_info.value.code == 1
    assert "Dòng 3, cột ngay_sinh: Ngày 31/02/2014 không có thật." in capsys.readouterr().out
    assert not Student.objects.filter(personal_id=pid(2)).exists()
    call_command("import_students", str(write_csv(tmp_path / "d.csv", [student_row(4)])), "--dry-run")
    assert "chưa ghi gì" in capsys.readouterr().out
    assert not Student.objects.filter(personal_id=pid(4)).exists()

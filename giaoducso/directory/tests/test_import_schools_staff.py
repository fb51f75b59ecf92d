"""The school and staff imports: create/update through the services, upsert, all-or-nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from giaoducso.core.models import AuditEntry, Unit, UnitKind
from giaoducso.directory.importing import schools, staff
from giaoducso.directory.importing.service import run_import
from giaoducso.directory.models import School, Staff, StaffAssignment
from rules.text import name_sort_key

from .import_helpers import pid, setup_directory, write_csv

pytestmark = pytest.mark.django_db


def school_row(code: str, **overrides: str) -> dict[str, str]:
    row = {
        "ma_truong": code,
        "ten_truong": f"Trường Tiểu học {code}",
        "cap_hoc": "Tiểu học",
        "loai_hinh": "Công lập",
        "phuong_xa": "Phường 7",
        "dia_chi": "1 Hậu Giang",
        "dien_thoai": "028 3855 1234",
        "email": f"{code.lower()}@example.edu.vn",
        "hieu_truong": "Lê Văn Hiệu",
    }
    row.update(overrides)
    return row


def staff_row(serial: int, **overrides: str) -> dict[str, str]:
    row = {
        "ma_dinh_danh": pid(serial, "F", 1985),
        "ho_ten": f"Trần Thị Giáo {serial}",
        "ngay_sinh": "02/01/1985",
        "gioi_tinh": "Nữ",
        "ma_truong": "TA01",
        "vi_tri_viec_lam": "Giáo viên",
        "loai_hop_dong": "Viên chức",
        "trinh_do": "Đại học",
        "mon_day": "Toán",
        "dien_thoai": "0901234567",
        "email": "",
    }
    row.update(overrides)
    return row


def test_schools_created_under_parent_then_updated_then_unchanged(world, tmp_path):
    setup_directory(world)
    path = write_csv(
        tmp_path / "truong.csv", [school_row("TH01"), school_row("TH02", cap_hoc="Liên cấp")], schools.COLUMNS
    )
    result = run_import(kind="schools", path=path, actor="test", parent=world.department)
    assert result.ok, [p.text() for p in result.errors]
    unit = Unit.objects.get(code="TH01")
    assert unit.kind == UnitKind.SCHOOL and unit.path.startswith(world.department.path)
    record = School.objects.get(unit=unit)
    assert record.level == "primary" and record.ward.code == "P07Q6" and record.phone == "02838551234"
    assert School.objects.get(unit__code="TH02").level == "multi"
    assert AuditEntry.objects.filter(
        object_type="core.unit", action="create", object_id=str(unit.pk)
    ).exists()

    again = run_import(kind="schools", path=path, actor="test", parent=world.department)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    changed = write_csv(
        tmp_path / "b.csv",
        [school_row("TH01", ten_truong="Trường TH Mới"), school_row("TH02", cap_hoc="Liên cấp")],
        schools.COLUMNS,
    )
    result = run_import(kind="schools", path=changed, actor="test")
    assert (result.new, result.changed, result.unchanged) == (0, 1, 1)
    assert Unit.objects.get(code="TH01").name == "Trường TH Mới"


def test_new_school_without_parent_goes_under_its_ward_or_is_an_error(world, tmp_path):
    setup_directory(world)
    path = write_csv(
        tmp_path / "t.csv", [school_row("TH01"), school_row("TH02", phuong_xa="Xã Lạ")], schools.COLUMNS
    )
    result = run_import(kind="schools", path=path, actor="test")
    assert [(p.row, p.column) for p in result.errors] == [(3, "ma_truong")]
    assert "--parent" in result.errors[0].message
    assert not Unit.objects.filter(code="TH01").exists()  # all or nothing
    ok = run_import(
        kind="schools", path=write_csv(tmp_path / "u.csv", [school_row("TH01")], schools.COLUMNS), actor="t"
    )
    assert ok.ok and Unit.objects.get(code="TH01").parent.code == "P07Q6"


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"cap_hoc": "Đại học"}, "cap_hoc"),
        ({"loai_hinh": "Quốc tế"}, "loai_hinh"),
        ({"email": "khong-phai-email"}, "email"),
        ({"dien_thoai": "123"}, "dien_thoai"),
        ({"ma_truong": "TA-01!"}, "ma_truong"),
        ({"ten_truong": ""}, "ten_truong"),
        ({"ma_truong": "PGD06"}, "ma_truong"),  # a department's code is not a school's
    ],
)
def test_school_checks(world, tmp_path, overrides, column):
    setup_directory(world)
    path = write_csv(
        tmp_path / "t.csv", [school_row("TH01"), school_row("TH09", **overrides)], schools.COLUMNS
    )
    result = run_import(kind="schools", path=path, actor="test", parent=world.department)
    assert (3, column) in [(p.row, p.column) for p in result.errors]
    assert not Unit.objects.filter(code="TH01").exists()


def test_schools_command_with_parent_option(world, tmp_path, capsys):
    setup_directory(world)
    path = write_csv(tmp_path / "t.csv", [school_row("TH01")], schools.COLUMNS)
    call_command("import_schools", str(path), "--parent", "PGD06")
    assert "1 mới, 0 thay đổi, 0 không đổi" in capsys.readouterr().out
    assert Unit.objects.get(code="TH01").parent == world.department


def test_staff_import_upserts_with_assignment_and_audit(world, tmp_path):
    setup_directory(world)
    path = write_csv(tmp_path / "cb.csv", [staff_row(1), staff_row(2)], staff.COLUMNS)
    result = run_import(kind="staff", path=path, actor="test")
    assert result.ok, [p.text() for p in result.errors]
    member = Staff.objects.get(personal_id=pid(1, "F", 1985))
    assert member.search_name == "tran thi giao 1" and member.school == world.school_a
    assert member.sort_key == name_sort_key(member.full_name) != ""
    assert StaffAssignment.objects.get(staff=member).position == "GV"  # the code of «Giáo viên»
    again = run_import(kind="staff", path=path, actor="test")
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    changed = write_csv(
        tmp_path / "b.csv", [staff_row(1, mon_day="Toán, Tin học"), staff_row(2)], staff.COLUMNS
    )
    result = run_import(kind="staff", path=changed, actor="test")
    assert (result.new, result.changed) == (0, 1)
    line = AuditEntry.objects.get(object_type="directory.staff", action="update")
    assert line.changes == {"subjects": ["Toán", "Toán, Tin học"]}


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"gioi_tinh": "Nam"}, "gioi_tinh"),
        ({"ngay_sinh": "02/01/2015", "ma_dinh_danh": pid(1, "F", 2015)}, "ngay_sinh"),
        ({"ma_truong": "XX"}, "ma_truong"),
        ({"email": "x@"}, "email"),
        ({"ho_ten": ""}, "ho_ten"),
    ],
)
def test_staff_checks(world, tmp_path, overrides, column):
    setup_directory(world)
    path = write_csv(tmp_path / "cb.csv", [staff_row(2), staff_row(1, **overrides)], staff.COLUMNS)
    result = run_import(kind="staff", path=path, actor="test")
    assert (3, column) in [(p.row, p.column) for p in result.errors]
    assert not Staff.objects.exists()


def test_staff_import_statements_do_not_grow_with_its_rows(world, tmp_path):
    """The audit line of each assignment names its school from the units the import holds: 2 rows and 8
    rows take the same number of statements (an N+1 here once made 20,000 queries of a 20,000-row file)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    setup_directory(world)
    counts = []
    for first, size in ((1, 2), (11, 8)):
        rows = [staff_row(first + i) for i in range(size)]
        path = write_csv(tmp_path / f"cb-{size}.csv", rows, staff.COLUMNS)
        with CaptureQueriesContext(connection) as queries:
            result = run_import(kind="staff", path=path, actor="test")
        assert result.ok and result.new == size, [p.text() for p in result.errors]
        counts.append(len(queries))
    assert counts[0] == counts[1]
    line = AuditEntry.objects.filter(object_type="directory.staffassignment").latest("id")
    assert line.object_repr.endswith(f"@ {world.school_a}")

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from giaoducso.core.models import AuditEntry, Job
from giaoducso.core.roles import Role
from giaoducso.directory import ministry
from giaoducso.directory.models import (
    Sex,
    Student,
    StudentStatus,
    StudentStatusEvent,
)
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory, SchoolYearFactory, StudentFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã lớp",
    "Mã học sinh",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Trạng thái",
    "Ngày trạng thái",
    "Dân tộc",
    "Khuyết tật",
    "Số định danh cá nhân",
]
# The Ministry's student sheet also asks for these (issue 8): written so a school never retypes them.
MINISTRY_HEADER = [
    "Quốc tịch",
    "Nơi sinh: Tỉnh/Thành phố",
    "Nơi sinh: Xã/Phường",
    "Họ tên cha",
    "Năm sinh cha",
    "Họ tên mẹ",
    "Năm sinh mẹ",
    "Loại giấy tờ",
    "Số giấy tờ",
]


@pytest.fixture
def school_a(world):
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    klass = ClassFactory(school=world.school_a, year=year, name="6/1")
    girl = StudentFactory(
        school=world.school_a,
        full_name="Hà Thị Mỹ",
        sex=Sex.FEMALE,
        personal_id="079314000777",
        ethnicity="02",  # Tày, as a code of DAN_TOC
        disability="Khiếm thị",
        birth_province="79",
        birth_commune="Phường Chợ Lớn",
        father_name="Hà Văn Ba",
        father_birth_year=1980,
        mother_name="Lò Thị Tư",
        mother_birth_year=1984,
        current_class=klass,
        status=StudentStatus.RETURNED,
        date_of_birth=dt.date(2014, 2, 3),
    )
    StudentStatusEvent.objects.create(
        school=world.school_a, student=girl, status=StudentStatus.STUDYING, date=dt.date(2025, 9, 5)
    )
    StudentStatusEvent.objects.create(
        school=world.school_a, student=girl, status=StudentStatus.RETURNED, date=dt.date(2026, 1, 12)
    )
    return girl


def workbook_bytes(rows, header=HEADER, title="C1-HocSinh"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def row(personal_id, code):
    values = dict.fromkeys(HEADER, "")
    values["Số định danh cá nhân"] = personal_id
    values["Mã học sinh"] = code
    return [values[h] for h in HEADER]


# --- export ---------------------------------------------------------------------------------------


def test_export_has_the_template_columns_and_vietnamese_values(client, world, school_a):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:ministry_export"), {"school": world.school_a.pk})
    assert response.status_code == 200
    assert 'filename="C1-HocSinh-TA01-' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["C1-HocSinh"]
    rows = list(book["C1-HocSinh"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADER + MINISTRY_HEADER
    by_id = {r[9]: r for r in rows[1:]}
    # The school's three students, none of school B.
    assert set(by_id) == {school_a.personal_id, world.child.personal_id, world.other_student_a.personal_id}
    assert by_id[school_a.personal_id] == (
        "6/1",
        None,
        "Hà Thị Mỹ",
        "03/02/2014",
        "Nữ",
        "Học lại",
        "12/01/2026",
        "Tày",
        "Khiếm thị",
        "079314000777",
        "Việt Nam",
        "Thành phố Hồ Chí Minh",
        "Phường Chợ Lớn",
        "Hà Văn Ba",
        1980,
        "Lò Thị Tư",
        1984,
        None,
        None,
    )
    entry = AuditEntry.objects.get(action="export")
    assert entry.object_type == "directory.ministry_c1" and entry.unit == world.school_a
    assert entry.changes == {"rows": 3, "format": "xlsx"}


def test_export_of_a_school_outside_the_subtree_is_404(client, world, school_a):
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.get(reverse("directory:ministry_export"), {"school": world.school_b.pk}).status_code == 404
    assert client.get(reverse("directory:ministry_export"), {"school": "x"}).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.TEACHER))  # no export permission
    assert client.get(reverse("directory:ministry_export"), {"school": world.school_a.pk}).status_code == 404
    assert client.get(reverse("directory:ministry")).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_department_chooses_a_school_of_its_subtree(client, world, school_a):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    page = client.get(reverse("directory:ministry")).content.decode()
    assert world.school_a.name in page and world.school_b.name in page
    response = client.get(reverse("directory:ministry_export"), {"school": world.school_b.pk})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert [r[2] for r in rows[1:]] == [world.student_b.full_name]


def test_the_file_is_complete_so_only_who_reads_whole_records_gets_it(client, world, school_a):
    """A department leader may export, but sees students' basic fields only (selectors.privacy): the C1
    file, which the Ministry needs whole, is not offered rather than sent masked."""
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    page = client.get(reverse("directory:ministry")).content.decode()
    assert world.school_a.name not in page
    assert client.get(reverse("directory:ministry_export"), {"school": world.school_a.pk}).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_IT))
    response = client.get(reverse("directory:ministry_export"), {"school": world.school_a.pk})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True)
    )
    assert {r[9] for r in rows[1:]} == {
        school_a.personal_id,
        world.child.personal_id,
        world.other_student_a.personal_id,
    }


# --- reverse import -------------------------------------------------------------------------------


def test_import_fills_codes_matched_by_identifier_headers_in_any_order(world, school_a):
    # Headers reordered, typed without diacritics and in capitals; an extra column.
    header = ["SO DINH DANH CA NHAN", "ghi chú", "ma hoc sinh", "Họ và tên"]
    upload = workbook_bytes(
        [[school_a.personal_id, "x", "7900000001", ""], [world.child.personal_id, "", "", ""]],
        header=header,
        title="Sheet1",
    )
    result = ministry.ministry_codes_import(
        actor=world.user(Role.PRINCIPAL), upload=upload, school=world.school_a
    )
    assert result.ok, result.report()
    assert (len(result.changed), result.unchanged, result.skipped) == (1, 0, 1)
    school_a.refresh_from_db()
    assert school_a.ministry_code == "7900000001"
    entry = AuditEntry.objects.get(
        object_type="directory.student", object_id=str(school_a.pk), action="update"
    )
    assert entry.changes == {"ministry_code": ["", "7900000001"]}
    # Written in bulk, the line is the one record_update writes: filed under the school, named, noted.
    assert (entry.unit_id, entry.unit_path) == (world.school_a.pk, world.school_a.path)
    assert (entry.object_repr, entry.note) == (school_a.full_name, "Nhập mã học sinh từ CSDL của Bộ")
    assert entry.actor == world.user(Role.PRINCIPAL)
    # The same file again changes nothing.
    upload.seek(0)
    again = ministry.ministry_codes_import(
        actor=world.user(Role.PRINCIPAL), upload=upload, school=world.school_a
    )
    assert (len(again.changed), again.unchanged) == (0, 1)


def test_numbers_stored_by_excel_get_their_leading_zeros_back(world, school_a):
    upload = workbook_bytes([row(int(school_a.personal_id), 123456789)])
    result = ministry.ministry_codes_import(actor=None, upload=upload)
    assert result.ok, result.report()
    assert Student.objects.get(pk=school_a.pk).ministry_code == "0123456789"


def test_any_bad_row_writes_nothing_and_every_problem_is_reported(world, school_a):
    other_a = world.other_student_a
    Student.objects.filter(pk=world.child.pk).update(ministry_code="7900000009")
    Student.objects.filter(pk=other_a.pk).update(ministry_code="7900000005")
    upload = workbook_bytes(
        [
            row(school_a.personal_id, "7900000001"),  # fine on its own
            row("079214999999", "7900000002"),  # unknown identifier
            row(world.student_b.personal_id, "7900000003"),  # another school's student
            row("07921", "7900000004"),  # malformed identifier
            row(world.child.personal_id, "79000"),  # not 10 digits
            row(other_a.personal_id, "7900000009"),  # code held by the child, and other_a has another code
            row(school_a.personal_id, "7900000001"),  # duplicate identifier in the file
        ]
    )
    result = ministry.ministry_codes_import(
        actor=world.user(Role.PRINCIPAL), upload=upload, school=world.school_a
    )
    assert not result.ok
    report = result.report()
    assert "Dòng 3, cột «Số định danh cá nhân»: Không có học sinh nào với số định danh này." in report
    assert "Dòng 4, cột «Số định danh cá nhân»: Số định danh này là của học sinh trường khác." in report
    assert "Dòng 5, cột «Số định danh cá nhân»: Số định danh cá nhân phải gồm đúng 12 chữ số." in report
    assert "Dòng 6, cột «Mã học sinh»: Mã học sinh của Bộ phải gồm đúng 10 chữ số." in report
    assert "Dòng 7, cột «Mã học sinh»: Mã học sinh 7900000009 đã được dùng cho một học sinh khác." in report
    assert "Dòng 8, cột «Số định danh cá nhân»: Số định danh trùng với dòng 2." in report
    assert Student.objects.get(pk=school_a.pk).ministry_code == ""
    assert not AuditEntry.objects.filter(action="update", object_type="directory.student").exists()


def test_a_different_stored_code_is_an_error_not_an_overwrite(world, school_a):
    Student.objects.filter(pk=school_a.pk).update(ministry_code="7900000001")
    upload = workbook_bytes([row(school_a.personal_id, "7900000002")])
    result = ministry.ministry_codes_import(actor=None, upload=upload)
    assert [p.text() for p in result.problems] == [
        "Dòng 2, cột «Mã học sinh»: Học sinh đã có mã 7900000001, khác mã 7900000002 trong tệp; hệ thống không "
        "ghi đè. Hãy kiểm tra với Bộ."
    ]
    assert Student.objects.get(pk=school_a.pk).ministry_code == "7900000001"


def test_one_code_for_two_students_in_the_file(world, school_a):
    upload = workbook_bytes(
        [row(school_a.personal_id, "7900000001"), row(world.child.personal_id, "7900000001")]
    )
    result = ministry.ministry_codes_import(actor=None, upload=upload)
    assert [p.text() for p in result.problems] == [
        "Dòng 3, cột «Mã học sinh»: Mã học sinh 7900000001 đã dùng cho học sinh khác ở dòng 2."
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "Không đọc được tệp"),
        (None, "Dòng tiêu đề thiếu cột: «Mã học sinh»."),
    ],
)
def test_unreadable_file_or_missing_column(world, content, message):
    upload = (
        io.BytesIO(content) if content else workbook_bytes([], header=["Số định danh cá nhân", "Họ và tên"])
    )
    result = ministry.ministry_codes_import(actor=None, upload=upload)
    assert not result.ok and message in result.report()


# --- the screen -----------------------------------------------------------------------------------


def test_upload_screen_success_and_dry_run(client, world, school_a, django_capture_on_commit_callbacks):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:ministry_import")

    def post(dry_run):
        upload = workbook_bytes([row(school_a.personal_id, "7900000001")])
        upload.name = "C1-HocSinh.xlsx"
        data = {"school": world.school_a.pk, "file": upload}
        if dry_run:
            data["dry_run"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        # A background job, like every import: the request only stores the file and starts it.
        assert response.status_code == 302
        return client.get(response["Location"])

    response = post(dry_run=True)
    assert response.status_code == 200 and "Sẽ cập nhật 1 mã học sinh" in response.content.decode()
    assert Student.objects.get(pk=school_a.pk).ministry_code == ""
    response = post(dry_run=False)
    assert response.status_code == 200 and "Đã cập nhật 1 mã học sinh" in response.content.decode()
    assert Student.objects.get(pk=school_a.pk).ministry_code == "7900000001"
    job = Job.objects.filter(kind="directory_ministry_codes").latest("created_at")
    assert job.status == "succeeded" and job.unit == world.school_a and job.progress == 100
    assert not default_storage.exists(job.params["file"])  # the upload is not kept once read


def test_upload_screen_reports_errors(client, world, school_a, django_capture_on_commit_callbacks):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    upload = workbook_bytes([row(world.student_b.personal_id, "7900000003")])
    upload.name = "tra-ve.xlsx"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("directory:ministry_import"), {"school": world.school_a.pk, "file": upload}
        )
    page = client.get(response["Location"]).content.decode()
    assert "Số định danh này là của học sinh trường khác." in page
    assert "Không ghi gì: tệp có 1 lỗi." in page
    job = Job.objects.get(kind="directory_ministry_codes")
    assert job.result["error_count"] == 1 and job.result_file  # the full report, as for the other imports
    wrong = io.BytesIO(b"a,b\n")
    wrong.name = "codes.csv"
    response = client.post(reverse("directory:ministry_import"), {"school": world.school_a.pk, "file": wrong})
    assert response.status_code == 400 and "Hãy tải lên tệp Excel" in response.content.decode()
    # A school outside the user's reach is not a choice.
    upload.seek(0)
    response = client.post(
        reverse("directory:ministry_import"), {"school": world.school_b.pk, "file": upload}
    )
    assert response.status_code == 400
    assert Student.objects.get(pk=world.student_b.pk).ministry_code == ""
    assert Job.objects.filter(kind="directory_ministry_codes").count() == 1


# --- the command ----------------------------------------------------------------------------------


def test_command_exit_codes_and_dry_run(world, school_a, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes([row(school_a.personal_id, "7900000001")]).getvalue())
    call_command("import_ministry_codes", str(good), "--dry-run")
    assert "Sẽ cập nhật 1 mã học sinh" in capsys.readouterr().out
    assert Student.objects.get(pk=school_a.pk).ministry_code == ""
    call_command("import_ministry_codes", str(good), "--school", "TA01")
    assert "Đã cập nhật 1 mã học sinh" in capsys.readouterr().out
    assert Student.objects.get(pk=school_a.pk).ministry_code == "7900000001"
    assert AuditEntry.objects.get(action="update", object_id=str(school_a.pk)).actor_label.startswith(
        "import_ministry_codes"
    )

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([row(world.student_b.personal_id, "7900000002")]).getvalue())
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ministry_codes", str(bad), "--school", "TA01")
    assert exit_info.value.code == 1
    assert "Dòng 2" in capsys.readouterr().out
    assert Student.objects.get(pk=world.student_b.pk).ministry_code == ""

"""Spreadsheets: the class summary and a grade book out as XLSX; a grade book back in through the import
machinery (check with a row report, then write, all or nothing; a locked term refuses)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from giaoducso.core.models import Job
from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff, Student
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import Mark, Subject
from giaoducso.records.services import Cell
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã học sinh",
    "Họ và tên",
    "Ngày sinh",
    "Học kì",
    "ĐĐGtx1",
    "ĐĐGtx2",
    "ĐĐGgk",
    "ĐĐGck",
    "ĐTBmhk",
]


@pytest.fixture
def setup(world):
    directory = build_directory(world)
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    Student.objects.filter(pk=world.child.pk).update(ministry_code="7900000001")
    Student.objects.filter(pk=world.other_student_a.pk).update(ministry_code="7900000002")
    gdcd = Subject.objects.get(code="gdcd")
    services.teaching_assign(
        actor=world.user(Role.PRINCIPAL),
        school_class=directory.class_a,
        subject=gdcd,
        teacher=directory.teacher_a,
    )
    return directory, gdcd


def xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, setup, content, capture, term=1, name="so-diem.xlsx"):
    directory, gdcd = setup
    url = reverse("records:gradebook_import", args=[directory.class_a.pk, gdcd.pk])
    with capture(execute=True):
        return client.post(url, {"term": term, "file": SimpleUploadedFile(name, content)})


def test_the_summary_exports_as_xlsx(client, world, setup):
    directory, _gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    response = client.get(reverse("records:summary_export", args=[directory.class_a.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "Giáo dục công dân" in values[0] and "Kết quả" in values[0]
    assert any("Lê Minh Con" in row for row in values)
    for user in (world.user(Role.TEACHER), world.stranger):
        client.logout()
        sign_in(client, user)
        assert client.get(reverse("records:summary_export", args=[directory.class_a.pk])).status_code == 404


def test_a_grade_book_goes_out_and_comes_back(client, world, setup, django_capture_on_commit_callbacks):
    directory, gdcd = setup
    teacher = world.user(Role.HOMEROOM_TEACHER)
    services.mark_set(
        actor=teacher,
        school_class=directory.class_a,
        subject=gdcd,
        cell=Cell(world.child.pk, 1, "tx", 1, value="5"),
    )
    sign_in(client, teacher)
    exported = client.get(
        reverse("records:gradebook_export", args=[directory.class_a.pk, gdcd.pk]), {"term": 1}
    )
    assert exported.status_code == 200
    workbook = load_workbook(io.BytesIO(exported.content))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header == [
        "STT",
        "Mã học sinh",
        "Mã định danh",
        "Họ và tên",
        "Ngày sinh",
        "Học kì",
        "ĐĐGtx1",
        "ĐĐGtx2",
        "ĐĐGgk",
        "ĐĐGck",
        "ĐTBmhk",
    ]
    rows = {sheet.cell(r, 4).value: r for r in range(2, sheet.max_row + 1)}
    child_row = rows["Lê Minh Con"]
    assert sheet.cell(child_row, 7).value == 5
    for column, value in ((7, "6"), (8, 7), (9, "5"), (10, "6,5")):  # worked example 2: average 6,1
        sheet.cell(child_row, column).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(client, setup, buffer.getvalue(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    check = Job.objects.get(kind="records_import_check")
    assert check.status == "succeeded", check.message
    assert check.result["error_count"] == 0 and check.result["new"] == 3 and check.result["changed"] == 1
    assert Mark.objects.count() == 1  # the check writes nothing
    page = client.get(response["Location"]).content.decode()
    assert 'id="commit-import"' in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("records:import_commit", args=[check.pk])).status_code == 302
    run = Job.objects.get(kind="records_import_run")
    assert run.status == "succeeded", run.message
    marks = {(m.kind, m.index): m.value for m in Mark.objects.filter(student=world.child)}
    assert marks == {("tx", 1): 6, ("tx", 2): 7, ("gk", 1): 5, ("ck", 1): 6.5}
    book = client.get(reverse("records:gradebook", args=[directory.class_a.pk, gdcd.pk])).content.decode()
    assert "6,1" in book


def test_a_bad_file_is_reported_row_by_row_and_writes_nothing(
    client, world, setup, django_capture_on_commit_callbacks
):
    _directory, _gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    rows = [
        [1, "7900000001", "Lê Minh Con", "", 1, "8,5", "abc", "10,5", "", ""],
        [2, "7900000002", "Tên Khác", "", 1, "7", "", "", "", ""],
        [3, "7999999999", "Người Lạ", "", 1, "7", "", "", "", ""],
        [4, "7900000001", "Lê Minh Con", "", 2, "", "", "", "", ""],
    ]
    upload(client, setup, xlsx(rows, [*HEADER, "ĐĐGtx3", "Điểm miệng"]), django_capture_on_commit_callbacks)
    check = Job.objects.get(kind="records_import_check")
    assert check.status == "succeeded", check.message
    errors = {(e["row"], e["column"]): e["message"] for e in check.result["errors"]}
    assert "không có trong mẫu" in errors[(1, "Điểm miệng")]
    assert (2, "ddgtx2") in errors and "0 đến 10" in errors[(2, "ddggk")]
    assert "không khớp" in errors[(3, "ho_va_ten")]
    assert "Không có học sinh mã 7999999999" in errors[(4, "ma_hoc_sinh")]
    assert (5, "hoc_ki") in errors
    assert (2, "ddgtx1") not in errors  # "8,5" is 8.5
    assert check.message.startswith("Tệp có") and check.result_file
    page = client.get(reverse("records:import_detail", args=[check.pk])).content.decode()
    assert 'id="commit-import"' not in page and "Điểm miệng" in page
    response = client.post(reverse("records:import_commit", args=[check.pk]), follow=True)
    assert "chưa thể nhập" in response.content.decode()
    assert not Mark.objects.exists()


def test_a_missing_column_and_a_student_who_left(client, world, setup, django_capture_on_commit_callbacks):
    _directory, _gdcd = setup
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    upload(
        client,
        setup,
        xlsx([[1, "7900000001", "Lê Minh Con", "8"]], ["STT", "Mã học sinh", "Họ và tên", "ĐĐGtx1"]),
        django_capture_on_commit_callbacks,
    )
    check = Job.objects.get(kind="records_import_check")
    assert "Thiếu cột bắt buộc" in check.result["errors"][0]["message"]
    Student.objects.filter(pk=world.other_student_a.pk).update(status="left")
    upload(
        client,
        setup,
        xlsx([[1, "7900000002", "Phạm Thu Khác", "", 1, "8"]]),
        django_capture_on_commit_callbacks,
    )
    check = Job.objects.filter(kind="records_import_check").order_by("-created_at").first()
    assert "đã nghỉ" in check.result["errors"][0]["message"]
    assert not Mark.objects.exists()


def test_a_locked_term_refuses_the_import(client, world, setup, django_capture_on_commit_callbacks):
    directory, _gdcd = setup
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=1)
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    content = xlsx([[1, "7900000001", "Lê Minh Con", "", 1, "8"]])
    response = upload(client, setup, content, django_capture_on_commit_callbacks)
    assert response.status_code == 400 and "đã khoá sổ" in response.content.decode()
    assert not Job.objects.filter(kind="records_import_check").exists()
    # A file checked before the lock is refused when written after it.
    services.term_reopen(
        actor=world.user(Role.PRINCIPAL), lock=services.active_lock(directory.class_a, 1), reason="x"
    )
    upload(client, setup, content, django_capture_on_commit_callbacks)
    check = Job.objects.get(kind="records_import_check")
    assert check.result["error_count"] == 0
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("records:import_commit", args=[check.pk]))
    run = Job.objects.get(kind="records_import_run")
    assert "đã khoá sổ" in str(run.result.get("errors")) or "đã khoá sổ" in run.message
    assert not Mark.objects.exists()


def test_the_import_is_for_the_teacher_of_the_subject(client, world, setup):
    directory, gdcd = setup
    url = reverse("records:gradebook_import", args=[directory.class_a.pk, gdcd.pk])
    for user in (
        world.user(Role.TEACHER),
        world.user(Role.PARENT),
        world.stranger,
        world.user(Role.PRINCIPAL),
    ):
        sign_in(client, user)
        assert client.get(url).status_code in (403, 404)
        client.logout()
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    response = client.post(url, {"term": 1, "file": SimpleUploadedFile("a.csv", b"x,y")})
    assert response.status_code == 400 and "Chỉ nhận tệp Excel" in response.content.decode()
    response = client.post(url, {"term": 1, "file": SimpleUploadedFile("a.xlsx", b"not a zip")})
    assert response.status_code == 400 and "không phải tệp Excel" in response.content.decode()

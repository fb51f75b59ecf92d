"""“Danh sách lớp” ready to print: the national title, the governing unit and the school, the class and
the year, STT, name, date of birth, sex in name order, and the signature block; PDF and XLSX alike."""

import io
import re
import shutil
import subprocess
import zlib

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory import class_print
from giaoducso.directory.models import Sex
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StudentFactory

from .directory_fixtures import build_directory, put_in_class

pytestmark = pytest.mark.django_db

NAMES = ["Bùi Thị An", "Lê Minh Con", "Phạm Thu Khác"]


@pytest.fixture
def klass(world):
    directory = build_directory(world)
    an = StudentFactory(school=world.school_a, full_name="Bùi Thị An", sex=Sex.FEMALE)
    put_in_class(an, directory.class_a)
    put_in_class(StudentFactory(school=world.school_a, full_name="Đinh Lớp Khác"), directory.class_a2)
    return directory.class_a


def _pdf_fonts(content: bytes) -> str:
    chunks = [content]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(raw))
        except zlib.error:
            continue
    return " ".join(m.decode() for c in chunks for m in re.findall(rb"/BaseFont\s*/([\w+-]+)", c))


def test_the_pdf_is_produced_in_liberation_serif_and_audited(client, world, klass):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:class_print_pdf", args=[klass.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="danh-sach-lop-6-1.pdf"' in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF") and len(content) > 5_000
    assert "Liberation-Serif" in _pdf_fonts(content)
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True).stdout.decode()
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Bùi Thị An" in text
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.changes == {"rows": 3, "format": "pdf"} and entry.unit == world.school_a


def test_the_pdfs_html_carries_every_part_of_the_list(world, klass):
    pupils = class_print.pupils_of(klass, world.user(Role.PRINCIPAL))
    html = class_print.class_list_html(class_print.class_sheet(klass, pupils))
    for text in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "PHÒNG GD&amp;ĐT QUẬN 6",
        "TRƯỜNG THCS VĂN THÂN",
        "DANH SÁCH LỚP 6/1",
        "Năm học 2026-2027",
        "17/05/2014",
        "Nữ",
        "GIÁO VIÊN CHỦ NHIỆM",
        "HIỆU TRƯỞNG",
        "Trần Thị Chủ Nhiệm",
        "Nguyễn Văn Hiệu",
    ):
        assert text in html, text
    positions = [html.index(n) for n in NAMES]
    assert positions == sorted(positions)
    assert "Đinh Lớp Khác" not in html


def test_the_xlsx_holds_the_same_list(client, world, klass):
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    response = client.get(reverse("directory:class_print_xlsx", args=[klass.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == ["PHÒNG GD&ĐT QUẬN 6", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert cells[1] == ["TRƯỜNG THCS VĂN THÂN", "Độc lập - Tự do - Hạnh phúc"]
    assert ["DANH SÁCH LỚP 6/1"] in cells and ["Năm học 2026-2027"] in cells
    header = cells.index(["STT", "Họ và tên", "Ngày sinh", "Giới tính"])
    rows = cells[header + 1 : header + 4]
    assert rows == [
        [1, "Bùi Thị An", "17/05/2014", "Nữ"],
        [2, "Lê Minh Con", "17/05/2014", "Nam"],
        [3, "Phạm Thu Khác", "17/05/2014", "Nam"],
    ]
    assert ["GIÁO VIÊN CHỦ NHIỆM", "HIỆU TRƯỞNG"] in cells
    assert ["Trần Thị Chủ Nhiệm", "Nguyễn Văn Hiệu"] in cells


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PRINCIPAL, 200),
        (Role.VICE_PRINCIPAL, 200),
        (Role.SCHOOL_OFFICE, 200),
        (Role.HOMEROOM_TEACHER, 200),
        (Role.DEPARTMENT_OFFICER, 200),
        (Role.TEACHER, 404),  # sees the class, exports nothing
        (Role.PARENT, 404),
    ],
)
def test_who_may_print(client, world, klass, role, status):
    sign_in(client, world.user(role))
    for name in ("directory:class_print_pdf", "directory:class_print_xlsx"):
        assert client.get(reverse(name, args=[klass.pk])).status_code == status, (role, name)
    page = client.get(reverse("directory:class_detail", args=[klass.pk]))
    if page.status_code == 200:
        shown = reverse("directory:class_print_pdf", args=[klass.pk]) in page.content.decode()
        assert shown == (status == 200)


def test_another_schools_class_is_not_found(client, world, klass):
    sign_in(client, world.stranger)
    assert client.get(reverse("directory:class_print_pdf", args=[klass.pk])).status_code == 404

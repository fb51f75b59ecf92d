"""The Ministry's student sheet fields (issue 8): kept on the student through the import, the form and the
API, validated against the code lists, stored as codes; a foreign pupil records another document."""

import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory.importing.service import run_import
from giaoducso.directory.models import Student
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StudentFactory
from giaoducso.testing.openapi import OpenApiClient

from .directory_fixtures import build_directory
from .import_helpers import pid, setup_directory, student_row, write_csv
from .test_api_directory import bearer

pytestmark = pytest.mark.django_db

MINISTRY = {
    "quoc_tich": "viet nam",
    "noi_sinh_tinh": "TP. Hồ Chí Minh",
    "noi_sinh_xa": "Phường Chợ Lớn",
    "ho_ten_cha": "nguyễn văn  bố",
    "nam_sinh_cha": "1980",
    "ho_ten_me": "Lê Thị Mẹ",
    "nam_sinh_me": "1984",
}


def test_import_reads_names_and_stores_codes(world, tmp_path):
    setup_directory(world)
    columns = [*student_row(1), *MINISTRY]
    path = write_csv(tmp_path / "hs.csv", [{**student_row(1, dan_toc="khơ-me"), **MINISTRY}], columns)
    result = run_import(kind="students", path=path, actor="test")
    assert result.ok, result.errors
    s = Student.objects.get(personal_id=pid(1))
    assert (s.ethnicity, s.nationality, s.birth_province, s.birth_commune) == (
        "05",
        "VN",
        "79",
        "Phường Chợ Lớn",
    )
    assert (s.father_name, s.father_birth_year, s.mother_birth_year) == ("nguyễn văn bố", 1980, 1984)
    # A file without the optional columns leaves them as they are.
    older = write_csv(tmp_path / "b.csv", [student_row(1, dan_toc="Khmer")], list(student_row(1)))
    again = run_import(kind="students", path=older, actor="t")
    assert again.ok and again.unchanged == 1
    assert Student.objects.get(pk=s.pk).father_birth_year == 1980


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"dan_toc": "Kinh Tế"}, "dan_toc"),
        ({"quoc_tich": "Atlantis"}, "quoc_tich"),
        ({"noi_sinh_tinh": "Hà Tây cũ"}, "noi_sinh_tinh"),
        ({"nam_sinh_me": "2013"}, "nam_sinh_me"),
        ({"nam_sinh_cha": "19x0"}, "nam_sinh_cha"),
        ({"loai_giay_to": "Hộ chiếu"}, "so_giay_to"),
    ],
)
def test_import_refuses_values_outside_the_lists(world, tmp_path, cells, column):
    setup_directory(world)
    row = {**student_row(1), **MINISTRY, "loai_giay_to": "", "so_giay_to": "", **cells}
    result = run_import(kind="students", path=write_csv(tmp_path / "hs.csv", [row], list(row)), actor="t")
    assert not result.ok
    assert [(p.row, p.column) for p in result.errors] == [(2, column)]


def test_form_creates_a_foreign_pupil_with_another_document(client, world):
    build_directory(world)
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:student_create", args=["TA01"])
    data = {"full_name": "Kim Min Ji", "date_of_birth": "02/03/2014", "sex": "F", "nationality": "KR"}
    response = client.post(url, data)
    assert response.status_code == 400 and "other_document_number" in response.context["form"].errors
    response = client.post(url, {**data, "nationality": "VN"})
    assert "personal_id" in response.context["form"].errors
    data |= {"other_document_kind": "passport", "other_document_number": "M12345678", "ethnicity": ""}
    assert client.post(url, data).status_code == 302
    s = Student.objects.get(full_name="Kim Min Ji")
    assert (s.personal_id, s.nationality, s.other_document_number) == ("", "KR", "M12345678")
    page = client.get(reverse("directory:student_detail", args=[s.pk])).content.decode()
    assert "Hàn Quốc" in page and "M12345678" in page


def test_api_takes_codes_or_names_and_refuses_unknown(world):
    directory = build_directory(world)
    api = OpenApiClient()
    h = bearer(world.user(Role.SCHOOL_OFFICE))
    body = {
        "school": "TA01",
        "full_name": "John Smith",
        "date_of_birth": "2014-04-01",
        "sex": "M",
        "class_id": directory.class_a.pk,
        "ethnicity": "",
        "nationality": "Hoa Kỳ",
        "other_document_kind": "passport",
        "other_document_number": "P7654321",
        "birth_province": "ha noi",
        "mother_name": "Jane Smith",
        "mother_birth_year": 1985,
    }
    post = lambda b: api.post("/api/v1/students", data=json.dumps(b), content_type="application/json", **h)  # noqa: E731
    response = post(body)
    assert response.status_code == 201, response.content
    out = response.json()
    assert (out["nationality"], out["nationality_name"], out["birth_province"]) == ("US", "Hoa Kỳ", "01")
    assert out["personal_id"] == "" and out["other_document_number"] == "P7654321"
    bad = post({**body, "other_document_number": "P1", "nationality": "Narnia"})
    assert bad.status_code == 422 and "nationality" in bad.json()["error"]["fields"]
    teacher = api.get(f"/api/v1/students/{out['id']}", **bearer(world.user(Role.TEACHER)))
    assert teacher.json()["mother_name"] is None  # private: the record group


def test_data_migration_maps_free_text_and_leaves_the_rest(world):
    migration = importlib.import_module("giaoducso.directory.migrations.0010_student_codes_from_text")
    a = StudentFactory(
        school=world.school_a, ethnicity="kinh", nationality="Việt Nam", place_of_birth="Long An"
    )
    b = StudentFactory(school=world.school_a, ethnicity="Người Kinh lai", nationality="")
    migration.forwards(django_apps, None)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.ethnicity, a.nationality, a.birth_province) == ("01", "VN", "80")
    assert (b.ethnicity, b.birth_province) == ("Người Kinh lai", "")


def test_staff_import_reads_list_names_and_refuses_others(world, tmp_path):
    from giaoducso.directory.importing import staff as staff_import
    from giaoducso.directory.models import Staff

    from .test_import_schools_staff import staff_row

    setup_directory(world)
    rows = [staff_row(1, vi_tri_viec_lam="hieu truong", loai_hop_dong="biên chế", trinh_do="ThS")]
    path = write_csv(tmp_path / "cb.csv", rows, staff_import.COLUMNS)
    result = run_import(kind="staff", path=path, actor="t")
    assert result.ok, result.errors
    person = Staff.objects.get()
    assert (person.position, person.employment_type, person.qualification) == ("HT", "VC", "THS")
    assert person.position_name == "Hiệu trưởng"
    bad = write_csv(tmp_path / "b.csv", [staff_row(2, vi_tri_viec_lam="Tổ trưởng")], staff_import.COLUMNS)
    result = run_import(kind="staff", path=bad, actor="t")
    assert [(p.row, p.column) for p in result.errors] == [(2, "vi_tri_viec_lam")]

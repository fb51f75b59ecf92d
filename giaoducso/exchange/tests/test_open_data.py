import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from giaoducso.core.models import UnitKind
from giaoducso.directory.models import (
    RoomKind,
    School,
    SchoolClass,
    SchoolLevel,
    Sex,
    StudentStatus,
)
from giaoducso.exchange import open_data
from giaoducso.exchange.views import dataset_csv
from giaoducso.testing.factories import (
    EquipmentFactory,
    RoomFactory,
    SchoolYearFactory,
    StaffFactory,
    StudentFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

SMALL = "<5"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def district(world):
    """School A: grade 6 with 40 boys and 3 girls, grade 7 with 38 boys and 41 girls; school B: 45 + 44."""
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    ward = UnitFactory(kind=UnitKind.WARD, code="PX01", name="Phường 1", parent=world.department)
    for unit in (world.school_a, world.school_b):
        School.objects.create(unit=unit, level=SchoolLevel.LOWER_SECONDARY, ownership="public", ward=ward)
    # The world's own students are dropped out, so they count nowhere but their names still must not show.
    for s in (world.child, world.other_student_a, world.student_b):
        s.status = StudentStatus.DROPPED_OUT
        s.save()
    people = []

    def add(school, grade, sex, n, *, ethnicity="Kinh", status=StudentStatus.STUDYING):
        klass, _ = SchoolClass.objects.get_or_create(
            school=school, year=year, name=f"{grade}/1", defaults={"grade": grade}
        )
        for _i in range(n):
            kwargs = {"sex": sex, "ethnicity": ethnicity, "current_class": klass, "status": status}
            if sex == Sex.FEMALE:
                kwargs["personal_id"] = f"0793{14:02d}{len(people) + 500000:06d}"
            people.append(StudentFactory(school=school, ward=ward, address="12 Hẻm Bí Mật", **kwargs))

    add(world.school_a, 6, Sex.MALE, 40)
    add(world.school_a, 6, Sex.FEMALE, 3, ethnicity="Hoa")
    add(world.school_a, 7, Sex.MALE, 38)
    add(world.school_a, 7, Sex.FEMALE, 41)
    add(world.school_b, 6, Sex.MALE, 45)
    add(world.school_b, 6, Sex.FEMALE, 44)
    # Not on the roll: must not be counted.
    add(world.school_b, 7, Sex.FEMALE, 7, status=StudentStatus.TRANSFERRED_OUT)
    for i in range(6):
        StaffFactory(
            school=world.school_a,
            personal_id=f"0790850000{i:02d}",
            full_name=f"Giáo Viên Bí Danh {i}",
            sex=Sex.MALE,
            date_of_birth="1985-01-01",
            position="Giáo viên",
        )
    StaffFactory(
        school=world.school_a,
        personal_id="079185000099",
        full_name="Kế Toán Duy Nhất",
        sex=Sex.FEMALE,
        date_of_birth="1985-01-01",
        position="Kế toán",
    )
    for i in range(12):
        RoomFactory(school=world.school_a, kind=RoomKind.CLASSROOM, name=f"P{i}", area_m2=50)
    RoomFactory(school=world.school_a, kind=RoomKind.COMPUTER_LAB, name="Tin", area_m2=60)
    for i in range(8):
        RoomFactory(school=world.school_b, kind=RoomKind.OFFICE, name=f"VP{i}", area_m2=20)
    EquipmentFactory(school=world.school_a, name="Máy tính", quantity=40)
    EquipmentFactory(school=world.school_a, name="Máy chiếu", quantity=2)
    return {"people": people, "ward": ward, "year": year}


def _all_outputs(client, unit=None):
    query = f"?unit={unit}" if unit else ""
    for slug in open_data.DATASETS:
        as_json = client.get(reverse("exchange:open_data_dataset", args=[slug, "json"]) + query)
        as_csv = client.get(reverse("exchange:open_data_dataset", args=[slug, "csv"]) + query)
        assert as_json.status_code == 200 and as_csv.status_code == 200, slug
        yield slug, as_json.json(), as_json.content.decode(), as_csv.content.decode("utf-8")


def _value_cells(data):
    measure_keys = {"label", "school_code", "area_m2"}
    for row in data["rows"]:
        for column in data["columns"]:
            if column["key"] not in measure_keys:
                yield row[column["key"]]


@pytest.mark.parametrize("unit", [None, "PGD06", "TA01", "PX01"])
def test_no_cell_under_5_and_no_personal_field_anywhere(client, world, district, unit):
    secrets = set()
    for s in [*district["people"], world.child, world.other_student_a, world.student_b]:
        secrets |= {
            s.full_name,
            s.personal_id,
            s.date_of_birth.strftime("%d/%m/%Y"),
            s.date_of_birth.isoformat(),
        }
    secrets |= {"12 Hẻm Bí Mật", "Giáo Viên Bí Danh", "Kế Toán Duy Nhất", "079185000099"}
    seen = 0
    for slug, data, raw_json, raw_csv in _all_outputs(client, unit):
        for cell in _value_cells(data):
            assert cell is None or cell == SMALL or (isinstance(cell, int) and not 0 < cell < 5), (slug, cell)
            seen += 1
        for secret in secrets:
            assert secret not in raw_json and secret not in raw_csv, (slug, secret)
        rows = list(csv.reader(io.StringIO(raw_csv.lstrip("\ufeff"))))
        for row in rows[1:]:
            for text in row:
                assert not (text.isdigit() and 0 < int(text) < 5) or slug == "rooms-by-kind", (slug, row)
    assert seen > 20


def test_three_girls_in_grade_6_cannot_be_worked_back(client, world, district):
    data = client.get("/open-data/students-by-grade-sex.json?unit=TA01").json()
    grade6, grade7, total = data["rows"]
    assert grade6["label"] == "Khối 6" and grade6["F"] == SMALL
    # Every way of subtracting published figures meets a second hidden cell.
    by_row = [grade6["M"], grade6["F"], grade6["total"]]
    by_column = [grade6["F"], grade7["F"], total["F"]]
    assert sum(not isinstance(c, int) for c in by_row) >= 2
    assert sum(not isinstance(c, int) for c in by_column) >= 2
    # And with the whole district the same girls hide in the school table too.
    schools = client.get("/open-data/students-by-school.json").json()
    row_a = next(r for r in schools["rows"] if r.get("school_code") == "TA01")
    assert row_a["F"] == 44 or not isinstance(row_a["F"], int) or row_a["F"] >= 5
    ethnicity = client.get("/open-data/students-by-ethnicity.json?unit=TA01").json()
    cells = {r["label"]: r["count"] for r in ethnicity["rows"]}
    assert cells["Hoa"] == SMALL
    assert not isinstance(cells["Kinh"], int) or not isinstance(cells["Tổng cộng"], int)


def test_counts_only_enrolled_students(client, world, district):
    data = client.get("/open-data/students-by-sex.json").json()
    cells = {r["label"]: r["count"] for r in data["rows"]}
    assert cells == {"Nam": 123, "Nữ": 88, "Tổng cộng": 211}


def test_unit_filter_narrows_to_a_subtree(client, world, district):
    school_b = client.get("/open-data/students-by-sex.json?unit=TB02").json()
    assert school_b["unit"] == {"code": "TB02", "name": world.school_b.name}
    assert {r["label"]: r["count"] for r in school_b["rows"]} == {"Nam": 45, "Nữ": 44, "Tổng cộng": 89}
    ward = client.get("/open-data/students-by-sex.json?unit=PX01").json()
    assert ward["rows"][-1]["count"] == 211


def test_facilities_and_staff(client, world, district):
    rooms = client.get("/open-data/rooms-by-kind.json").json()
    by_kind = {r["label"]: r for r in rooms["rows"]}
    assert by_kind["Phòng học"]["count"] == 12 and by_kind["Phòng học"]["area_m2"] == 600
    assert by_kind["Phòng tin học"]["count"] == SMALL and by_kind["Phòng tin học"]["area_m2"] is None
    # The complementary cell is the next smallest: the 8 offices, whose area goes with the count.
    assert by_kind["Phòng hành chính"]["count"] is None and by_kind["Phòng hành chính"]["area_m2"] is None
    assert by_kind["Tổng cộng"]["count"] == 21
    staff = client.get("/open-data/staff-by-position.json").json()
    cells = {r["label"]: r["count"] for r in staff["rows"]}
    assert (cells["Kế toán"] == SMALL and cells["Giáo viên"] is None) or cells["Tổng cộng"] is None
    equipment = {
        r["label"]: r["count"] for r in client.get("/open-data/equipment-by-name.json").json()["rows"]
    }
    assert equipment["Máy chiếu"] == SMALL


def test_csv_has_bom_and_vietnamese_header(client, world, district):
    response = client.get("/open-data/students-by-grade.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8")
    assert text.lstrip("\ufeff").startswith("Khối lớp,Số học sinh")
    assert 'filename="students-by-grade.csv"' in response["Content-Disposition"]


def test_csv_cells_cannot_run_as_formulas():
    data = {
        "columns": [{"key": "label", "label": "Dân tộc"}, {"key": "count", "label": "Số"}],
        "rows": [{"label": "=HYPERLINK(1)", "count": None}, {"label": "Kinh", "count": SMALL}],
    }
    assert dataset_csv(data).splitlines()[1:] == ["'=HYPERLINK(1),x", "Kinh,<5"]


def test_public_without_login_and_index(client, world, district):
    response = client.get(reverse("exchange:open_data_index"))
    assert response.status_code == 200
    body = response.content.decode()
    for spec in open_data.DATASETS.values():
        assert str(spec.title) in body
    assert (
        "CC BY 4.0" in body and "students-by-grade-sex.csv" in body and "students-by-grade-sex.json" in body
    )
    assert client.get("/open-data/?unit=TA01").status_code == 200


def test_unknown_dataset_or_unit_is_404(client, world, district):
    response = client.get("/open-data/nothing-here.json")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/open-data/students-by-sex.json?unit=NOPE").status_code == 404
    html = client.get("/open-data/nothing-here.csv")
    assert html.status_code == 404 and "text/html" in html["Content-Type"]
    assert client.get("/open-data/students-by-sex.xml").status_code == 404
    assert client.get("/open-data/?unit=NOPE").status_code == 404


def test_cached_for_ten_minutes(client, world, district, django_assert_max_num_queries):
    client.get("/open-data/students-by-sex.json")
    with django_assert_max_num_queries(2):
        client.get("/open-data/students-by-sex.json")
        client.get("/open-data/students-by-sex.csv")


def test_api_serves_the_same_json(client, world, district):
    page = client.get("/open-data/students-by-grade-sex.json").json()
    api = client.get("/api/v1/open-data/students-by-grade-sex")
    assert api.status_code == 200
    assert api.json() == page
    assert client.get("/api/v1/open-data/nope").json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/open-data/students-by-sex?unit=NOPE").status_code == 404
    listing = client.get("/api/v1/open-data").json()
    assert {d["dataset"] for d in listing} == set(open_data.DATASETS)
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/open-data/{dataset}" in schema["paths"]

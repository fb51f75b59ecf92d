import datetime as dt

import pytest
from django.urls import resolve, reverse
from openpyxl import load_workbook

from giaoducso.core.models import UnitKind
from giaoducso.core.roles import Role
from giaoducso.directory import quality
from giaoducso.directory.models import (
    Guardian,
    School,
    Sex,
    Staff,
    StaffStatus,
    StudentStatus,
)
from giaoducso.directory.quality import Kind
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import (
    ClassFactory,
    GuardianFactory,
    SchoolYearFactory,
    StudentFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def crafted(world):
    """Every field counted by hand: school A 34/49, school B 5/14, the department 39/63."""
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    old_year = SchoolYearFactory(name="2025-2026")
    ward = UnitFactory(kind=UnitKind.WARD, code="PX01", name="Phường 1", parent=world.department)
    klass = ClassFactory(school=world.school_a, year=year, name="6/1")
    old_class = ClassFactory(school=world.school_a, year=old_year, name="5/1")
    School.objects.create(
        unit=world.school_a,
        level="lower_secondary",
        ownership="public",
        address="1 Văn Thân",
        phone="0283855555",
        email="vanthan@example.edu.vn",
    )
    # child: 9/9 (the world gave them a guardian with a phone).
    child = world.child
    child.address, child.ward, child.current_class = "1 Lê Lợi", ward, klass
    child.save()
    # other_student_a: pid, name, dob, sex, ethnicity, ward as text = 6/9; last year's class does not count.
    other = world.other_student_a
    other.ward_name, other.current_class = "Phường Lạ", old_class
    other.save()
    # X: a girl whose number says boy; guardian without phone; pid name dob sex eth address class = 7/9.
    x = StudentFactory(
        school=world.school_a,
        full_name="Trần Thị Xuân",
        sex=Sex.FEMALE,
        address="2 Hậu Giang",
        current_class=klass,
    )
    GuardianFactory(student=x, phone="")
    # Y: an unknown province code, no ethnicity; pid name dob sex guardian = 5/9.
    y = StudentFactory(school=world.school_a, full_name="Lý Văn Y", personal_id="999214000123", ethnicity="")
    GuardianFactory(student=y)
    # Dropped out: not on the roll, not counted, problems not listed.
    StudentFactory(
        school=world.school_a,
        full_name="Bỏ Học Rồi",
        status=StudentStatus.DROPPED_OUT,
        personal_id="999214000999",
    )
    # Staff: 4/4, 0/4, and one who left (not counted).
    common = {"school": world.school_a, "sex": Sex.MALE, "date_of_birth": dt.date(1985, 1, 1)}
    Staff.objects.create(
        personal_id="079085000001",
        full_name="Giáo Viên Đủ",
        position="GV",
        qualification="DH",
        phone="0901234567",
        employment_type="VC",
        **common,
    )
    bare = Staff.objects.create(personal_id="079085000002", full_name="Nhân Viên Thiếu", **common)
    Staff.objects.create(personal_id="079085000003", full_name="Đã Nghỉ", status=StaffStatus.LEFT, **common)
    return {"x": x, "y": y, "bare": bare, "klass": klass}


def _by_code(rows):
    return {q.unit.code: q for q in rows}


def test_scores_on_a_crafted_dataset(world, crafted):
    rows = _by_code(quality.school_quality([world.school_a, world.school_b]))
    a, b = rows["TA01"], rows["TB02"]
    assert (a.filled, a.required, a.students, a.staff) == (34, 49, 4, 2)
    assert a.score == 69.4
    assert (b.filled, b.required, b.students, b.staff) == (5, 14, 1, 0)
    assert b.score == 35.7
    total = quality.total_of(list(rows.values()), world.department)
    assert (total.filled, total.required, total.score) == (39, 63, 61.9)


def test_each_problem_kind_is_counted_and_listed(world, crafted):
    a = _by_code(quality.school_quality([world.school_a]))["TA01"]
    assert dict(a.problems) == {
        Kind.MISSING_GUARDIAN_PHONE: 2,
        Kind.ID_MISMATCH: 1,
        Kind.UNKNOWN_PROVINCE: 1,
        Kind.NO_CLASS: 2,
        Kind.WARD_TEXT: 1,
        Kind.STAFF_NO_POSITION: 1,
        Kind.SCHOOL_CONTACT: 1,
        Kind.NOT_IN_LIST: 0,
    }
    problems = list(quality.school_problems(world.school_a))
    listed = {(p.kind, p.record) for p in problems}
    assert listed == {
        (Kind.MISSING_GUARDIAN_PHONE, "Phạm Thu Khác"),
        (Kind.MISSING_GUARDIAN_PHONE, "Trần Thị Xuân"),
        (Kind.ID_MISMATCH, "Trần Thị Xuân"),
        (Kind.UNKNOWN_PROVINCE, "Lý Văn Y"),
        (Kind.NO_CLASS, "Phạm Thu Khác"),
        (Kind.NO_CLASS, "Lý Văn Y"),
        (Kind.WARD_TEXT, "Phạm Thu Khác"),
        (Kind.STAFF_NO_POSITION, "Nhân Viên Thiếu"),
        (Kind.SCHOOL_CONTACT, world.school_a.name),
    }
    mismatch = next(p for p in problems if p.kind == Kind.ID_MISMATCH)
    assert mismatch.field == "Giới tính"  # the field to fix, named
    contact = next(p for p in problems if p.kind == Kind.SCHOOL_CONTACT)
    assert "Hiệu trưởng" in contact.field and "Lãnh đạo phụ trách CNTT" in contact.field
    # In class-list order: by given name (Khác before Y), not by family name.
    assert [p.record for p in quality.school_problems(world.school_a, kind=Kind.NO_CLASS)] == [
        "Phạm Thu Khác",
        "Lý Văn Y",
    ]
    # A school without a record at all lacks every contact field.
    b = list(quality.school_problems(world.school_b, kind=Kind.SCHOOL_CONTACT))
    assert len(b) == 1 and "Địa chỉ" in b[0].field


def test_school_kept_ward_as_text_is_a_problem(world, crafted):
    School.objects.filter(unit=world.school_a).update(ward_name="Xã Không Rõ")
    problems = list(quality.school_problems(world.school_a, kind=Kind.WARD_TEXT))
    assert {p.record for p in problems} == {"Phạm Thu Khác", world.school_a.name}
    assert _by_code(quality.school_quality([world.school_a]))["TA01"].problems[Kind.WARD_TEXT] == 2


# What each kind's screen must offer: the input that fixes it.
FIX_INPUTS = {
    Kind.MISSING_GUARDIAN_PHONE: 'name="phone"',
    Kind.ID_MISMATCH: 'name="personal_id"',
    Kind.UNKNOWN_PROVINCE: 'name="personal_id"',
    Kind.NO_CLASS: 'name="cls-school_class"',
    Kind.WARD_TEXT: 'name="ward"',
    Kind.STAFF_NO_POSITION: 'name="position"',
    Kind.SCHOOL_CONTACT: 'name="principal_name"',
    Kind.NOT_IN_LIST: 'name="qualification"',
}


def test_every_problem_kind_links_to_a_screen_that_fixes_it(client, world, crafted):
    """The board never asks for a fix the screens cannot make: each kind's link opens, for the school's
    principal, a page with the form field that fixes it."""
    assert set(FIX_INPUTS) == set(quality.KINDS)
    School.objects.filter(unit=world.school_a).update(ward_name="Xã Không Rõ")
    # A value older than the code lists, which the staff form's pick list replaces.
    Staff.objects.filter(pk=crafted["bare"].pk).update(qualification="Bằng cử nhân cũ")
    sign_in(client, world.user(Role.PRINCIPAL))
    problems = list(quality.school_problems(world.school_a))
    for kind in quality.KINDS:
        of_kind = [p for p in problems if p.kind == kind]
        assert of_kind, f"the crafted data has no {kind}"
        for p in of_kind:
            match = resolve(p.url)
            assert not match.view_name.startswith("admin:"), p
            if kind == Kind.STAFF_NO_POSITION:
                assert match.kwargs == {"pk": crafted["bare"].pk}
            response = client.get(p.url)
            assert response.status_code == 200, (kind, p.url)
            assert FIX_INPUTS[kind] in response.content.decode(), (kind, p.url)


def test_student_ward_fixed_on_the_form_leaves_the_board(client, world, crafted):
    ward = UnitFactory(kind=UnitKind.WARD, code="PX09", name="Phường 9", parent=world.department)
    [problem] = [
        p for p in quality.school_problems(world.school_a, kind=Kind.WARD_TEXT) if p.record == "Phạm Thu Khác"
    ]
    sign_in(client, world.user(Role.SCHOOL_OFFICE))
    other = world.other_student_a
    data = {
        "full_name": other.full_name,
        "date_of_birth": other.date_of_birth.strftime("%d/%m/%Y"),
        "sex": other.sex,
        "ethnicity": other.ethnicity,
        "address": other.address,
        "ward": ward.pk,
        "ministry_code": other.ministry_code,
    }
    response = client.post(problem.url, data)
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.ward == ward and other.ward_name == ""
    assert not list(quality.school_problems(world.school_a, kind=Kind.WARD_TEXT))
    # A unit that is not a ward is not offered, and is refused if sent.
    response = client.post(problem.url, {**data, "ward": world.school_b.pk})
    assert response.status_code == 400 and "phường/xã trong danh mục" in response.content.decode()


def test_school_user_sees_their_list_and_not_another(client, world, crafted):
    sign_in(client, world.user(Role.TEACHER))
    response = client.get(reverse("directory:quality"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "69,4%" in body and "Trần Thị Xuân" in body
    assert world.student_b.full_name not in body
    assert client.get(reverse("directory:quality_school", args=["TB02"])).status_code == 404
    assert client.get(reverse("directory:quality_school", args=["TA01"])).status_code == 200
    client.logout()
    sign_in(client, world.stranger)
    assert client.get(reverse("directory:quality_school", args=["TA01"])).status_code == 404
    body = client.get(reverse("directory:quality")).content.decode()
    assert world.student_b.full_name in body and "Trần Thị Xuân" not in body


@pytest.mark.parametrize("role", [Role.PARENT, Role.STUDENT])
def test_family_accounts_have_no_quality_screen(client, world, crafted, role):
    sign_in(client, world.user(role))
    assert client.get(reverse("directory:quality")).status_code == 404
    assert client.get(reverse("directory:quality_school", args=["TA01"])).status_code == 404


def test_nobody_and_anonymous(client, world, crafted):
    assert client.get(reverse("directory:quality")).status_code == 302
    sign_in(client, world.nobody)
    assert client.get(reverse("directory:quality")).status_code == 404


def test_department_board_ranks_both_schools(client, world, crafted, django_assert_max_num_queries):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("directory:quality"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(world.school_a.name) < body.index(world.school_b.name)  # 69.4 ranks above 35.7
    assert "61,9%" in body
    assert reverse("directory:quality_school", args=["TB02"]) in body
    assert client.get(reverse("directory:quality_school", args=["TB02"])).status_code == 200


def test_query_count_does_not_grow_with_students(client, world, crafted, django_assert_max_num_queries):
    for i in range(60):
        s = StudentFactory(school=world.school_b, personal_id=f"999214{i:06d}")
        Guardian.objects.create(school=world.school_b, student=s, full_name="Mẹ", phone="")
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("directory:quality")).status_code == 200
    # The list-check of coded fields reads students and staff once more each.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("directory:quality_school", args=["TB02"]))
    assert response.status_code == 200
    assert "Trang 1/" in response.content.decode()  # 120+ problems, paginated by 50


def test_filter_by_kind_and_export(client, world, crafted):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:quality_school", args=["TA01"])
    body = client.get(url, {"kind": Kind.UNKNOWN_PROVINCE}).content.decode()
    assert "Lý Văn Y" in body and "Trần Thị Xuân" not in body
    assert client.get(url, {"kind": "nonsense", "page": "x"}).status_code == 200
    response = client.get(url, {"format": "xlsx", "kind": Kind.NO_CLASS})
    assert response.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Loại vấn đề"
    assert {r[1] for r in rows[1:]} == {"Lý Văn Y", "Phạm Thu Khác"}


def test_api_board_is_scoped(client, world, crafted):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    data = client.get("/api/v1/quality/schools").json()
    assert [d["code"] for d in data] == ["TA01", "TB02"]
    assert data[0]["score"] == 69.4 and data[0]["problems"][Kind.ID_MISMATCH] == 1
    client.logout()
    sign_in(client, world.user(Role.TEACHER))
    assert [d["code"] for d in client.get("/api/v1/quality/schools").json()] == ["TA01"]
    client.logout()
    assert client.get("/api/v1/quality/schools").status_code == 401
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/quality/schools" in schema["paths"]


def test_navigation_shows_quality(client, world, crafted):
    sign_in(client, world.user(Role.TEACHER))
    body = client.get(reverse("core:home")).content.decode()
    assert reverse("directory:quality") in body
    assert "/open-data/" in body


def test_values_outside_the_lists_are_flagged_not_rejected(world, crafted):
    """Older free text that migration 0008/0009 could not map stays, and the board asks to pick again."""
    from giaoducso.directory.models import Student

    Student.objects.filter(pk=crafted["x"].pk).update(ethnicity="Người Kinh lai", birth_province="SG cũ")
    Staff.objects.filter(pk=crafted["bare"].pk).update(qualification="Bằng B")
    a = _by_code(quality.school_quality([world.school_a]))["TA01"]
    assert a.problems[Kind.NOT_IN_LIST] == 3
    listed = {(p.record, p.field) for p in quality.school_problems(world.school_a, kind=Kind.NOT_IN_LIST)}
    assert listed == {
        (crafted["x"].full_name, "Dân tộc"),
        (crafted["x"].full_name, "Nơi sinh: tỉnh/thành phố"),
        ("Nhân Viên Thiếu", "Trình độ chuyên môn"),
    }

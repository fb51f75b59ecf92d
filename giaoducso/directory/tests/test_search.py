import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory import search, services
from giaoducso.directory.models import Sex, Staff, Student
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory, SchoolYearFactory, StudentFactory
from rules.identifiers import make_personal_id
from rules.text import fold

pytestmark = pytest.mark.django_db


def make_student(school, name, **fields):
    return StudentFactory(school=school, full_name=name, search_name=fold(name), **fields)


@pytest.fixture
def people(world):
    """A handful of names that differ only in diacritics, word order or word boundaries."""
    # The world's own students were made by a factory that leaves search_name empty.
    for student in Student.objects.all():
        student.search_name = fold(student.full_name)
        student.save(update_fields=["search_name"])
    return {
        "an": make_student(world.school_a, "Nguyễn Văn An"),
        "an_b": make_student(world.school_b, "Nguyễn Văn Ân"),
        "lan": make_student(world.school_a, "Trần Thị Lan"),
        "duc": make_student(world.school_a, "Đỗ Đức Anh"),
        "anh": make_student(world.school_a, "Nguyễn Văn Anh"),
        "thi_van_anh": make_student(world.school_a, "Nguyễn Thị Vân Anh"),
    }


def names(students):
    return [s.full_name for s in students]


def find(user, text):
    return names(search.search_students(user=user, query=search.parse_query(text)))


# --- understanding the query ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind", "value"),
    [
        ("", "empty", ""),
        ("   ", "empty", ""),
        ("Nguyễn  VĂN   an ", "name", "nguyen van an"),
        ("ĐỖ đức", "name", "do duc"),
        ("079214000123", "personal_id", "079214000123"),
        ("079 214 000 123", "personal_id", "079214000123"),
        ("0123456789", "ministry_code", "0123456789"),
        ("12345", "bad_number", "12345"),
        ("6/1", "class", "6/1"),
        (" 10 / a ", "class", "10/A"),
        ("a", "too_short", "a"),
        ("50%_", "name", "50"),
    ],
)
def test_parse_query(raw, kind, value):
    query = search.parse_query(raw)
    assert (query.kind, query.value) == (kind, value)


# --- names ----------------------------------------------------------------------------------------


def test_name_without_diacritics_finds_the_written_name(world, people):
    principal = world.user(Role.PRINCIPAL)
    assert find(principal, "nguyen van an")[0] == "Nguyễn Văn An"
    assert "Nguyễn Văn An" in find(principal, "Nguyễn Văn An")


@pytest.mark.parametrize("typed", ["NGUYEN VAN AN", "  nguyen    van  an ", "Nguyen Van An", "nguyễn văn an"])
def test_case_spaces_and_diacritics_do_not_matter(world, people, typed):
    assert find(world.user(Role.PRINCIPAL), typed)[0] == "Nguyễn Văn An"


@pytest.mark.parametrize("typed", ["do duc anh", "Đỗ Đức", "đo đuc", "DUC ANH"])
def test_d_with_stroke_folds_to_d(world, people, typed):
    assert "Đỗ Đức Anh" in find(world.user(Role.PRINCIPAL), typed)


def test_word_order_is_kept(world, people):
    assert find(world.user(Role.PRINCIPAL), "an van nguyen") == []


def test_each_word_is_a_prefix_of_a_name_word(world, people):
    found = find(world.user(Role.PRINCIPAL), "ng v an")
    assert {"Nguyễn Văn An", "Nguyễn Văn Anh"} <= set(found)
    assert "Trần Thị Lan" not in found


def test_given_name_matches_word_starts_only(world, people):
    found = find(world.user(Role.PRINCIPAL), "lan")
    assert found == ["Trần Thị Lan"]
    # "an" starts "An" and "Anh" but is only inside "Lan": no match there.
    assert "Trần Thị Lan" not in find(world.user(Role.PRINCIPAL), "an")


def test_whole_phrase_ranks_before_looser_matches(world, people):
    found = find(world.user(Role.PRINCIPAL), "nguyen van an")
    # The phrase itself first ("an" and "anh" both start with it), then "Nguyễn Thị Vân Anh", whose words
    # match one by one with a word in between.
    assert found[:2] == ["Nguyễn Văn An", "Nguyễn Văn Anh"]
    assert found[2:] == ["Nguyễn Thị Vân Anh"]


# --- identifiers and classes ----------------------------------------------------------------------


def test_personal_id_and_ministry_code_are_exact(world, people):
    principal = world.user(Role.PRINCIPAL)
    student = people["an"]
    Student.objects.filter(pk=student.pk).update(ministry_code="7900012345")
    assert find(principal, student.personal_id) == ["Nguyễn Văn An"]
    assert find(principal, "7900012345") == ["Nguyễn Văn An"]
    assert find(principal, student.personal_id[:11]) == []
    assert find(principal, "7900012346") == []


def test_class_search_lists_the_class(world, people):
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    class_a = ClassFactory(school=world.school_a, year=year, name="6/1")
    class_b = ClassFactory(school=world.school_b, year=year, name="6/1")
    Student.objects.filter(pk__in=[people["an"].pk, people["lan"].pk]).update(current_class=class_a)
    Student.objects.filter(pk=people["an_b"].pk).update(current_class=class_b)
    assert find(world.user(Role.TEACHER), "6/1") == ["Nguyễn Văn An", "Trần Thị Lan"]
    assert find(world.user(Role.DEPARTMENT_OFFICER), "6/1") == [
        "Nguyễn Văn An",
        "Trần Thị Lan",
        "Nguyễn Văn Ân",
    ]
    assert find(world.user(Role.TEACHER), "6/2") == []


# --- scoping --------------------------------------------------------------------------------------


def test_teacher_of_a_never_sees_students_of_b(world, people):
    found = find(world.user(Role.TEACHER), "nguyen van")
    assert "Nguyễn Văn Ân" not in found and "Nguyễn Văn An" in found
    assert find(world.user(Role.TEACHER), world.student_b.personal_id) == []
    assert find(world.stranger, "nguyen van an") == ["Nguyễn Văn Ân"]
    assert find(world.stranger, people["an"].personal_id) == []


def test_department_sees_both_schools(world, people):
    found = find(world.user(Role.DEPARTMENT_LEADER), "nguyen van an")
    assert {"Nguyễn Văn An", "Nguyễn Văn Ân"} <= set(found)


def test_parent_finds_only_their_child(world, people):
    parent = world.user(Role.PARENT)
    assert find(parent, "le minh") == ["Lê Minh Con"]
    assert find(parent, "nguyen") == []


# --- staff ----------------------------------------------------------------------------------------


@pytest.fixture
def teachers(world):
    def create(school, name, serial):
        return services.staff_create(
            actor=world.user(Role.PRINCIPAL),
            school=school,
            personal_id=make_personal_id("079", Sex.FEMALE, 1985, serial),
            full_name=name,
            sex=Sex.FEMALE,
            date_of_birth=dt.date(1985, 3, 2),
            position="Giáo viên",
        )

    return create(world.school_a, "Đặng Thị Hồng", 11), create(world.school_b, "Đặng Thị Hồng Nhung", 12)


def test_staff_create_folds_the_search_name_and_audits(world, teachers):
    staff = teachers[0]
    assert Staff.objects.get(pk=staff.pk).search_name == "dang thi hong"
    assert AuditEntry.objects.filter(object_type="directory.staff", object_id=str(staff.pk), action="create")
    services.staff_update(actor=world.user(Role.PRINCIPAL), staff=staff, full_name="Đặng  Thị Hồng Hà")
    assert Staff.objects.get(pk=staff.pk).search_name == "dang thi hong ha"
    entry = AuditEntry.objects.get(object_type="directory.staff", object_id=str(staff.pk), action="update")
    assert entry.changes["full_name"] == ["Đặng Thị Hồng", "Đặng Thị Hồng Hà"]


def test_staff_search_is_scoped(world, teachers):
    query = search.parse_query("dang thi hong")
    principal_sees = names(search.search_staff(user=world.user(Role.PRINCIPAL), query=query))
    assert principal_sees == ["Đặng Thị Hồng"]
    department_sees = names(search.search_staff(user=world.user(Role.DEPARTMENT_LEADER), query=query))
    assert department_sees == ["Đặng Thị Hồng", "Đặng Thị Hồng Nhung"]
    # A teacher holds no staff permission at all.
    assert search.search_staff(user=world.user(Role.TEACHER), query=query) == []
    by_id = search.parse_query(teachers[1].personal_id)
    assert search.search_staff(user=world.user(Role.PRINCIPAL), query=by_id) == []


# --- the page -------------------------------------------------------------------------------------


def test_page_without_js_lists_students_and_staff_with_school_and_class(client, world, people, teachers):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:search"), {"q": "nguyen van an"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<form" in body and 'hx-trigger="keyup changed delay:300ms' in body
    assert reverse("directory:student_detail", args=[people["an"].pk]) in body
    assert world.school_a.name in body
    assert "Nguyễn Văn Ân" not in body  # school B
    staff_page = client.get(reverse("directory:search"), {"q": "dang thi"}).content.decode()
    assert "Đặng Thị Hồng" in staff_page and "Đặng Thị Hồng Nhung" not in staff_page


def test_htmx_request_gets_only_the_results(client, world, people):
    sign_in(client, world.user(Role.TEACHER))
    response = client.get(reverse("directory:search"), {"q": "tran thi"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "Trần Thị Lan" in body
    # Teachers do not see staff: the section is absent, not empty.
    assert "Cán bộ, giáo viên, nhân viên" not in body


def test_bad_number_is_a_400_with_a_vietnamese_hint(client, world, people):
    sign_in(client, world.user(Role.TEACHER))
    response = client.get(reverse("directory:search"), {"q": "12345"})
    assert response.status_code == 400
    assert "gồm đúng 12 chữ số" in response.content.decode()


def test_page_is_404_without_any_people_permission(client, world):
    sign_in(client, world.nobody)
    assert client.get(reverse("directory:search"), {"q": "nguyen"}).status_code == 404


def test_overlong_query_is_cut_not_an_error(client, world, people):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("directory:search"), {"q": "a" * 5000}).status_code == 200


# --- exports --------------------------------------------------------------------------------------


def test_export_csv_has_bom_scoped_rows_and_is_audited(client, world, people):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:search_export"), {"q": "nguyen", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã trường,Trường,Lớp,Họ và tên")
    assert "Nguyễn Văn An" in text and "Nguyễn Văn Ân" not in text
    entry = AuditEntry.objects.get(action="export", object_type="directory.student")
    assert entry.changes == {"rows": 3, "format": "csv"}


def test_export_csv_neutralises_formulas(client, world):
    student = make_student(world.school_a, "=HYPERLINK(1)")
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:search_export"), {"q": student.personal_id, "format": "csv"})
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")


def test_export_xlsx(client, world, people):
    sign_in(client, world.user(Role.DEPARTMENT_LEADER))
    response = client.get(reverse("directory:search_export"), {"q": "nguyen van an", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Họ và tên"
    assert {r[3] for r in rows[1:]} >= {"Nguyễn Văn An", "Nguyễn Văn Ân"}
    assert AuditEntry.objects.filter(action="export", changes__format="xlsx").exists()


def test_export_needs_the_export_permission(client, world, people):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("directory:search_export"), {"q": "nguyen"}).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()

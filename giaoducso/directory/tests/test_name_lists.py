"""The directory's lists match names like the search page and list people in class-list order.

Before: the student list compared the typed text with the name as written ("nguyen van" found nobody,
"NGUYỄN VĂN AN" nobody either), the school list did the same with the school's name, and every list sorted
by code points with the family name first (Đỗ after Võ).
"""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory import search, selectors
from giaoducso.directory.models import Staff, Student
from giaoducso.directory.tests.directory_fixtures import put_in_class
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import (
    ClassFactory,
    SchoolFactory,
    StaffFactory,
    StudentFactory,
    UnitFactory,
)
from rules.text import name_sort_key

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Văn An", "Nguyễn Văn Bình", "Trần Văn Nguyên", "Lê Văn An"]
# What each group of queries must find, whatever the case, the diacritics and the spacing typed.
QUERIES = [
    (["Nguyễn Văn", "nguyen van", "NGUYEN VAN", "nguyễn   văn"], {"Nguyễn Văn An", "Nguyễn Văn Bình"}),
    (["Nguyễn Văn An", "NGUYỄN VĂN AN", "nguyen van an", "nguyen  van   an"], {"Nguyễn Văn An"}),
    (["van an", "VĂN  AN"], {"Nguyễn Văn An", "Lê Văn An"}),
]
CASES = [(query, expected) for queries, expected in QUERIES for query in queries]

# In the order a class list is printed: given name, then middle, then family name; ă after a, â after ă,
# đ after d, ê after e, ô after o, ơ after ô, ư after u; the letters before the tone, and the tones in the
# order none, huyền, hỏi, ngã, sắc, nặng.
CLASS_LIST_ORDER = [
    "Đỗ Thị An",
    "Dương Văn An",
    "Đỗ Văn An",
    "Võ Văn An",
    "Võ Minh Dũng",
    "Âu Minh Đạt",
    "Lê Văn Hoa",
    "Lê Văn Hòa",
    "Lê Văn Hỏa",
    "Lê Văn Hõa",
    "Lê Văn Hóa",
    "Lê Văn Họa",
    "Trần Thị Loan",
    "Bùi Văn Lộc",
    "Ánh Văn Lợi",
    "Phan Thị Men",
    "Đặng Thị Mến",
    "Võ Văn Tam",
    "Ông Văn Tăng",
    "Lý Thị Tâm",
    "Ưng Văn Tú",
    "Ơn Văn Tuấn",
    "Ân Thị Tư",
]


def _mixed_up(names: list[str]) -> list[str]:
    # Neither the given order nor its reverse, so a list already in order proves nothing by accident.
    return names[1::2] + names[::2]


def _names(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return [row.full_name for row in response.context["page"]]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_student_list_matches_like_search(client, world, query, expected):
    for name in NAMES:
        StudentFactory(school=world.school_a, full_name=name)
    sign_in(client, world.user(Role.PRINCIPAL))
    found = _names(client.get(reverse("directory:student_list"), {"q": query}))
    assert set(found) == expected
    # The export and the API read the same selector.
    assert {s.full_name for s in selectors.student_list(user=world.user(Role.PRINCIPAL), q=query)} == expected


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_staff_list_matches_like_search(client, world, query, expected):
    for name in NAMES:
        StaffFactory(school=world.school_a, full_name=name)
    sign_in(client, world.user(Role.PRINCIPAL))
    assert set(_names(client.get(reverse("directory:staff_list"), {"q": query}))) == expected


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_school_list_matches_like_search(client, world, query, expected):
    for name in NAMES:
        SchoolFactory(unit=UnitFactory(name=f"Trường THCS {name}", parent=world.department))
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    response = client.get(reverse("directory:school_list"), {"q": query})
    assert response.status_code == 200
    found = {school.unit.name for school in response.context["page"]}
    assert found == {f"Trường THCS {name}" for name in expected}


def test_a_query_of_punctuation_lists_nobody_and_codes_still_match(client, world):
    StudentFactory(school=world.school_a, full_name="Nguyễn Văn An")
    SchoolFactory(unit=world.school_a)
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    assert _names(client.get(reverse("directory:student_list"), {"q": "%_"})) == []
    schools = client.get(reverse("directory:school_list"), {"q": "ta01"}).context["page"]
    assert [s.unit.code for s in schools] == ["TA01"]


def test_student_list_and_export_in_class_list_order(client, world):
    school = UnitFactory(code="TC03", name="Trường THCS Thứ Tự", parent=world.department)
    for name in _mixed_up(CLASS_LIST_ORDER):
        StudentFactory(school=school, full_name=name)
    officer = world.user(Role.DEPARTMENT_OFFICER)
    ordered = [s.full_name for s in selectors.student_list(user=officer, school_code="TC03")]
    assert ordered == CLASS_LIST_ORDER
    sign_in(client, officer)
    assert _names(client.get(reverse("directory:student_list"), {"school": "TC03"})) == CLASS_LIST_ORDER


def test_class_list_search_results_and_staff_in_class_list_order(client, world):
    klass = ClassFactory(school=world.school_a)
    for name in _mixed_up(CLASS_LIST_ORDER):
        put_in_class(StudentFactory(school=world.school_a, full_name=name), klass)
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:class_detail", args=[klass.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    positions = [body.index(name) for name in CLASS_LIST_ORDER]
    assert positions == sorted(positions)

    # A search by class lists the class in the same order; a search by name within one rank too.
    principal = world.user(Role.PRINCIPAL)
    by_class = search.search_students(user=principal, query=search.parse_query("6/1"))
    assert [s.full_name for s in by_class] == CLASS_LIST_ORDER
    by_name = search.search_students(user=principal, query=search.parse_query("le van"))
    assert [s.full_name for s in by_name] == [n for n in CLASS_LIST_ORDER if n.startswith("Lê Văn")]

    for name in ["Võ Văn Đạt", "Đỗ Văn Dũng", "Ưng Thị Ân", "Âu Thị An"]:
        StaffFactory(school=world.school_a, full_name=name)
    staff = [s.full_name for s in selectors.staff_list(user=principal, school_code="TA01")]
    assert staff == ["Âu Thị An", "Ưng Thị Ân", "Đỗ Văn Dũng", "Võ Văn Đạt"]


def test_migration_fills_the_sort_key_of_existing_rows(world):
    migration = import_module("giaoducso.directory.migrations.0007_student_staff_sort_key")
    student = StudentFactory(school=world.school_a, full_name="Đỗ Thị Ánh")
    member = StaffFactory(school=world.school_a, full_name="Ưng Văn Ân")
    Student.objects.update(sort_key="")
    Staff.objects.update(sort_key="")
    migration.fill(apps, None)
    student.refresh_from_db()
    member.refresh_from_db()
    assert (student.sort_key, member.sort_key) == (name_sort_key("Đỗ Thị Ánh"), name_sort_key("Ưng Văn Ân"))

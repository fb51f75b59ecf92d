"""School years per province (issue 7.8): the Sở sets its province's calendar; a Phòng or a school reads
it; another province keeps its own current year; the migration gives existing years to the Sở."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from giaoducso.core.models import Unit, UnitKind
from giaoducso.core.roles import Role
from giaoducso.directory import selectors, services
from giaoducso.directory.models import Enrolment, SchoolClass, SchoolYear, Term
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import (
    ClassFactory,
    MembershipFactory,
    SchoolFactory,
    SchoolYearFactory,
    StudentFactory,
    UnitFactory,
    UserFactory,
)
from giaoducso.testing.openapi import OpenApiClient

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db


def officer_of(unit: Unit, username: str, role: str = Role.DEPARTMENT_OFFICER):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def directory(world):
    return build_directory(world)


@pytest.fixture
def other_province():
    """A second Sở with one Phòng and one school, and its own calendar: 2025-2026 still current."""
    province = UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SO01", name="Sở GD&ĐT Hà Nội")
    department = UnitFactory(
        kind=UnitKind.DISTRICT_DEPARTMENT, code="PGDBD", name="Phòng GD&ĐT Ba Đình", parent=province
    )
    school = UnitFactory(code="HN01", name="Trường THCS Ba Đình", parent=department)
    SchoolFactory(unit=school)
    old = SchoolYearFactory(unit=province, name="2025-2026", is_current=True)
    SchoolYearFactory(unit=province, name="2026-2027")
    return province, department, school, old


def test_the_year_belongs_to_the_province(world, directory):
    assert directory.year.unit == world.province
    for unit in (world.school_a, world.department, world.province):
        assert selectors.current_year_for(unit) == directory.year
    assert selectors.calendar_unit(world.school_a) == world.province


def test_current_year_for_is_one_query(world, directory, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.current_year_for(world.school_a) == directory.year


def test_a_phong_officer_reads_the_calendar_but_cannot_change_it(client, world, directory):
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    page = client.get(reverse("directory:year_list"))
    assert page.status_code == 200 and "2026-2027" in page.content.decode()
    assert page.context["managed"] == set() and page.context["year_form"] is None
    new = SchoolYearFactory(unit=world.province, name="2027-2028")
    # Anything outside the user's scope is a 404: the Sở's calendar is above the Phòng.
    assert client.post(reverse("directory:year_set_current", args=[new.pk])).status_code == 404
    p = f"term{new.pk}"
    term = {f"{p}-number": "1", f"{p}-start_date": "05/09/2027", f"{p}-end_date": "15/01/2028"}
    assert client.post(reverse("directory:year_term_set", args=[new.pk]), term).status_code == 404
    created = {"year-name": "2028-2029", "year-start_date": "05/09/2028", "year-end_date": "31/05/2029"}
    assert client.post(reverse("directory:year_list"), created).status_code == 404
    assert selectors.current_year_for(world.school_a) == directory.year
    assert not Term.objects.filter(year=new).exists() and not SchoolYear.objects.filter(name="2028-2029")


def test_a_phong_officer_cannot_name_the_province_in_the_form(client, world, directory):
    # Even with a calendar of its own to choose from, the Sở is not among the Phòng's choices.
    sign_in(client, officer_of(world.province, "so.officer"))
    data = {
        "year-unit": str(world.department.pk),
        "year-name": "2028-2029",
        "year-start_date": "05/09/2028",
        "year-end_date": "31/05/2029",
    }
    response = client.post(reverse("directory:year_list"), data)
    assert response.status_code == 400 and "unit" in response.context["year_form"].errors


def test_a_province_officer_sets_the_current_year(client, world, directory):
    officer = officer_of(world.province, "so.officer")
    new = SchoolYearFactory(unit=world.province, name="2027-2028")
    sign_in(client, officer)
    page = client.get(reverse("directory:year_list"))
    assert new.pk in page.context["managed"]
    assert client.post(reverse("directory:year_set_current", args=[new.pk])).status_code == 302
    assert selectors.current_year_for(world.school_a) == new
    created = {"year-name": "2028-2029", "year-start_date": "05/09/2028", "year-end_date": "31/05/2029"}
    assert client.post(reverse("directory:year_list"), created).status_code == 302
    assert SchoolYear.objects.get(name="2028-2029").unit == world.province


def test_two_provinces_keep_their_own_current_years(client, world, directory, other_province):
    province, _department, school, old = other_province
    assert selectors.current_year_for(world.school_a) == directory.year
    assert selectors.current_year_for(school) == old
    # Hà Nội moves to 2026-2027: Hồ Chí Minh's calendar is not touched.
    officer = officer_of(province, "so01.officer")
    sign_in(client, officer)
    hanoi_next = SchoolYear.objects.get(unit=province, name="2026-2027")
    assert client.post(reverse("directory:year_set_current", args=[hanoi_next.pk])).status_code == 302
    assert selectors.current_year_for(school) == hanoi_next
    directory.year.refresh_from_db()
    assert directory.year.is_current and selectors.current_year_for(world.school_a) == directory.year
    # And the other Sở's year is outside Hà Nội's scope.
    other = SchoolYearFactory(unit=world.province, name="2027-2028")
    assert client.post(reverse("directory:year_set_current", args=[other.pk])).status_code == 404
    assert client.post(reverse("directory:year_term_set", args=[other.pk]), {}).status_code == 404
    assert not SchoolYear.objects.get(pk=other.pk).is_current


def test_the_screens_show_the_callers_province(client, world, directory, other_province):
    province, *_ = other_province
    sign_in(client, world.user(Role.PRINCIPAL))
    years = selectors.year_list(user=world.user(Role.PRINCIPAL))
    assert {y.unit for y in years} == {world.province}
    sign_in(client, officer_of(province, "so01.officer"))
    page = client.get(reverse("directory:year_list"))
    assert {y.unit for y in page.context["years"]} == {province}
    # A class list's "current year" is each school's own.
    classes = client.get(reverse("directory:class_list"))
    assert classes.status_code == 200 and classes.context["year"].unit == province


def test_a_superuser_chooses_the_calendar(client, world, directory, other_province):
    province, *_ = other_province
    sign_in(client, UserFactory(username="root", is_superuser=True, is_staff=True), verified=True)
    page = client.get(reverse("directory:year_list"))
    assert page.status_code == 200 and page.context["several_calendars"]
    assert 'name="year-unit"' in page.content.decode() and "Sở GD&amp;ĐT Hà Nội" in page.content.decode()
    data = {
        "year-unit": str(province.pk),
        "year-name": "2027-2028",
        "year-start_date": "05/09/2027",
        "year-end_date": "31/05/2028",
        "year-is_current": "on",
    }
    assert client.post(reverse("directory:year_list"), data).status_code == 302
    assert selectors.current_year_for(province).name == "2027-2028"
    assert selectors.current_year_for(world.school_a) == directory.year


def test_the_api_lists_the_callers_calendar(world, directory, other_province):
    client = OpenApiClient()
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    items = client.get("/api/v1/school-years").json()["items"]
    assert [(i["unit_code"], i["name"], i["is_current"]) for i in items] == [("SO79", "2026-2027", True)]
    client.logout()
    sign_in(client, UserFactory(username="root", is_superuser=True, is_staff=True), verified=True)
    items = client.get("/api/v1/school-years").json()["items"]
    assert {(i["unit_code"], i["name"]) for i in items} == {
        ("SO79", "2026-2027"),
        ("SO01", "2025-2026"),
        ("SO01", "2026-2027"),
    }


def test_a_class_takes_a_year_of_its_schools_calendar(world, directory, other_province):
    _province, _department, _school, old = other_province
    with pytest.raises(ValidationError) as caught:
        services.class_create(actor=None, school=world.school_a, year=old, name="8/1")
    assert "year" in caught.value.message_dict
    assert ClassFactory(school=world.school_a, name="8/1").year == directory.year


def test_years_only_on_a_calendar_unit(world):
    with pytest.raises(ValidationError) as caught:
        services.school_year_create(
            actor=None,
            unit=world.department,
            name="2026-2027",
            start_date=dt.date(2026, 9, 5),
            end_date=dt.date(2027, 5, 31),
        )
    assert "unit" in caught.value.message_dict


def test_the_quality_board_counts_each_schools_own_current_year(world, directory, other_province):
    from giaoducso.directory.quality import school_quality

    _province, _department, school, old = other_province
    ClassFactory(school=school, year=old, name="6/1")
    student = StudentFactory(school=school)
    services.student_set_class(
        actor=None,
        student=student,
        school_class=SchoolClass.objects.get(school=school),
        date=dt.date(2025, 9, 5),
    )
    (row,) = school_quality([school])
    assert row.students == 1 and row.problems["no_class"] == 0


def test_an_import_follows_its_schools_province_and_refuses_another(world, other_province, tmp_path):
    from giaoducso.directory.importing.service import run_import

    from .import_helpers import setup_directory, student_row, write_csv

    year = setup_directory(world)
    _province, _department, school, _old = other_province
    rows = [student_row(1), student_row(2, ma_truong=school.code)]
    result = run_import(kind="students", path=write_csv(tmp_path / "hs.csv", rows), actor="test")
    assert [(p.row, p.column) for p in result.errors] == [(3, "ma_truong")]
    assert "lịch năm học của Sở khác" in result.errors[0].message
    result = run_import(kind="students", path=write_csv(tmp_path / "a.csv", rows[:1]), actor="test")
    assert result.ok and SchoolClass.objects.get(school=world.school_a).year == year


# --- the data migration -----------------------------------------------------------------------------

migration = importlib.import_module("giaoducso.directory.migrations.0006_school_year_per_province")


def _global_year(name: str, *, current: bool = False) -> SchoolYear:
    year = SchoolYear.objects.create(
        unit=None,
        name=name,
        start_date=dt.date(int(name[:4]), 9, 5),
        end_date=dt.date(int(name[:4]) + 1, 5, 31),
        is_current=current,
    )
    Term.objects.create(
        year=year, number=1, start_date=year.start_date, end_date=dt.date(year.end_date.year, 1, 15)
    )
    return year


def test_migration_gives_the_years_to_the_only_province(world):
    year = _global_year("2026-2027", current=True)
    migration.assign_years_to_provinces(apps, None)
    year.refresh_from_db()
    assert year.unit == world.province and SchoolYear.objects.count() == 1


def test_migration_leaves_the_default_calendar_without_a_province():
    school = UnitFactory(code="LONE")
    year = _global_year("2026-2027", current=True)
    migration.assign_years_to_provinces(apps, None)
    year.refresh_from_db()
    assert year.unit is None and selectors.current_year_for(school) == year


def test_migration_copies_the_years_per_province_with_their_classes():
    first = UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SO01", name="Sở A")
    second = UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SO79", name="Sở B")
    school_1 = UnitFactory(code="T1", parent=first)
    school_2 = UnitFactory(code="T2", parent=second)
    for school in (school_1, school_2):
        SchoolFactory(unit=school)
    current = _global_year("2026-2027", current=True)
    _global_year("2025-2026")
    class_1 = ClassFactory(school=school_1, year=current, name="6/1")
    class_2 = ClassFactory(school=school_2, year=current, name="6/1")
    student = StudentFactory(school=school_2)
    services.student_set_class(actor=None, student=student, school_class=class_2, date=dt.date(2026, 9, 5))

    migration.assign_years_to_provinces(apps, None)

    assert SchoolYear.objects.filter(unit__isnull=True).count() == 0
    assert (
        SchoolYear.objects.filter(unit=first).count() == SchoolYear.objects.filter(unit=second).count() == 2
    )
    copy = SchoolYear.objects.get(unit=second, name="2026-2027")
    assert copy.is_current and copy.terms.count() == 1
    class_1.refresh_from_db()
    class_2.refresh_from_db()
    assert class_1.year == current and class_2.year == copy
    assert Enrolment.objects.get(student=student).year == copy
    assert selectors.current_year_for(school_1) == current and selectors.current_year_for(school_2) == copy
    # Back to one calendar: the copies fold into the first province's rows.
    migration.merge_years_back(apps, None)
    assert sorted(SchoolYear.objects.values_list("name", "unit", "is_current")) == [
        ("2025-2026", None, False),
        ("2026-2027", None, True),
    ]
    class_2.refresh_from_db()
    assert class_2.year == current

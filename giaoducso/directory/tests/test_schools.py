"""School screens and school years: scoping, filters, edit with audit, exports, the one current year."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.roles import Role
from giaoducso.directory import services
from giaoducso.directory.models import SchoolLevel, SchoolYear
from giaoducso.testing.audit import lines_by_people
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import MembershipFactory, SchoolFactory, UnitFactory, UserFactory

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(world):
    return build_directory(world)


def test_school_list_is_scoped_and_filtered(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    body = client.get(reverse("directory:school_list")).content.decode()
    assert "Trường THCS Văn Thân" in body and "Trường THCS Hậu Giang" not in body
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    body = client.get(reverse("directory:school_list")).content.decode()
    assert "Trường THCS Văn Thân" in body and "Trường THCS Hậu Giang" in body
    body = client.get(reverse("directory:school_list"), {"ownership": "private"}).content.decode()
    assert "Trường THCS Văn Thân" not in body and "Trường THCS Hậu Giang" in body
    body = client.get(reverse("directory:school_list"), {"level": "primary"}).content.decode()
    assert "Không có trường nào." in body


def test_school_detail_counts_and_404_elsewhere(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:school_detail", args=["TA01"]))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts == {"classes": 2, "students": 2, "staff": 1, "rooms": 1, "equipment": 1}
    assert client.get(reverse("directory:school_detail", args=["TB02"])).status_code == 404
    assert client.get(reverse("directory:school_edit", args=["TB02"])).status_code == 404


@pytest.mark.parametrize("role", [Role.PARENT, Role.STUDENT])
def test_family_does_not_browse_school_records(client, world, directory, role):
    sign_in(client, world.user(role))
    assert list(client.get(reverse("directory:school_list")).context["page"].object_list) == []
    assert client.get(reverse("directory:school_detail", args=["TA01"])).status_code == 404


def test_school_edit_is_audited_and_renames_the_unit(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    url = reverse("directory:school_edit", args=["TA01"])
    data = {
        "name": "Trường THCS Văn Thân mới",
        "level": "lower_secondary",
        "ownership": "public",
        "address": "1 Văn Thân",
        "phone": "028 3875 1234",
        "principal_name": "Nguyễn Văn Hiệu",
        "status": "active",
    }
    assert client.post(url, data).status_code == 302
    world.school_a.refresh_from_db()
    directory.school_a.refresh_from_db()
    assert world.school_a.name == "Trường THCS Văn Thân mới"
    assert directory.school_a.phone == "02838751234"  # normalised by the service
    school_entry = lines_by_people().get(object_type="directory.school", action="update")
    assert school_entry.changes["phone"] == ["", "02838751234"] and school_entry.unit == world.school_a
    assert (
        lines_by_people()
        .filter(object_type="core.unit", action="update", object_id=str(world.school_a.pk))
        .exists()
    )


@pytest.mark.parametrize(
    ("field", "value"), [("phone", "12345"), ("email", "khong-phai-email"), ("level", "university")]
)
def test_school_edit_bad_input_is_400_in_vietnamese(client, world, directory, field, value):
    sign_in(client, world.user(Role.PRINCIPAL))
    data = {"name": "X", "level": "lower_secondary", "ownership": "public", "status": "active", field: value}
    response = client.post(reverse("directory:school_edit", args=["TA01"]), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not lines_by_people().filter(object_type="directory.school").exists()


def test_teacher_cannot_edit_school(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("directory:school_edit", args=["TA01"])).status_code == 404


def test_school_list_export_is_scoped_and_audited(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.get(reverse("directory:school_export"))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã trường", "Tên trường") and [r[0] for r in rows[1:]] == ["TA01"]
    entry = lines_by_people().get(action="export")
    assert entry.object_type == "directory.school" and entry.changes["rows"] == 1


def test_teacher_may_not_export(client, world, directory):
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(reverse("directory:school_export")).status_code == 404
    assert not lines_by_people().filter(action="export").exists()


def test_school_list_queries_do_not_grow_with_rows(client, world, directory, django_assert_max_num_queries):
    for n in range(15):
        SchoolFactory(unit=UnitFactory(parent=world.department, code=f"S{n:03d}"), level=SchoolLevel.PRIMARY)
    sign_in(client, world.user(Role.DEPARTMENT_OFFICER))
    client.get(reverse("directory:school_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("directory:school_list"))
    assert len(response.context["page"].object_list) == 17


# --- school years and terms -------------------------------------------------------------------------
# The calendar is the Sở's (issue 7.8): the world's department roles sit on the Phòng, so these tests
# use an officer of the Sở; what the Phòng may not do is in test_school_years.py.


@pytest.fixture
def province_officer(world):
    user = UserFactory(username="chuyenvien.so", full_name="Chuyên Viên Sở")
    MembershipFactory(user=user, unit=world.province, role=Role.DEPARTMENT_OFFICER)
    return user


def test_only_the_department_manages_years(client, world, directory):
    sign_in(client, world.user(Role.PRINCIPAL))
    assert client.get(reverse("directory:year_list")).status_code == 404
    client.logout()
    sign_in(client, world.user(Role.DEPARTMENT_IT))
    assert client.get(reverse("directory:year_list")).status_code == 200


def test_create_year_and_make_it_current(client, world, directory, province_officer):
    sign_in(client, province_officer)
    response = client.post(
        reverse("directory:year_list"),
        {"year-name": "2027-2028", "year-start_date": "05/09/2027", "year-end_date": "31/05/2028"},
    )
    assert response.status_code == 302
    new = SchoolYear.objects.get(name="2027-2028")
    assert new.start_date == dt.date(2027, 9, 5) and not new.is_current
    assert client.post(reverse("directory:year_set_current", args=[new.pk])).status_code == 302
    assert list(SchoolYear.objects.filter(is_current=True)) == [new]
    assert new.unit == world.province
    changes = lines_by_people().filter(
        object_type="directory.schoolyear", action="update", actor=province_officer
    )
    assert sorted(e.changes["is_current"] for e in changes) == [[False, True], [True, False]]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year-name": "2027", "year-start_date": "05/09/2027", "year-end_date": "31/05/2028"}, "name"),
        (
            {"year-name": "2027-2028", "year-start_date": "2027-09-05", "year-end_date": "31/05/2028"},
            "start_date",
        ),
        (
            {"year-name": "2027-2028", "year-start_date": "05/09/2027", "year-end_date": "01/09/2027"},
            "end_date",
        ),
        ({"year-name": "2026-2027", "year-start_date": "05/09/2026", "year-end_date": "31/05/2027"}, "name"),
    ],
)
def test_bad_year_is_400(client, world, directory, province_officer, data, field):
    sign_in(client, province_officer)
    response = client.post(reverse("directory:year_list"), data)
    assert response.status_code == 400
    assert field in response.context["year_form"].errors
    assert SchoolYear.objects.count() == 1


def test_terms_lie_inside_the_year_and_in_order(client, world, directory, province_officer):
    sign_in(client, province_officer)
    url = reverse("directory:year_term_set", args=[directory.year.pk])
    p = f"term{directory.year.pk}"
    ok = {f"{p}-number": "1", f"{p}-start_date": "05/09/2026", f"{p}-end_date": "15/01/2027"}
    assert client.post(url, ok).status_code == 302
    outside = {f"{p}-number": "2", f"{p}-start_date": "20/01/2027", f"{p}-end_date": "30/06/2027"}
    assert client.post(url, outside).status_code == 400
    overlapping = {f"{p}-number": "2", f"{p}-start_date": "10/01/2027", f"{p}-end_date": "25/05/2027"}
    assert client.post(url, overlapping).status_code == 400
    good = {f"{p}-number": "2", f"{p}-start_date": "18/01/2027", f"{p}-end_date": "25/05/2027"}
    assert client.post(url, good).status_code == 302
    assert [t.number for t in directory.year.terms.all()] == [1, 2]
    # Moving term I re-dates it, audited as an update, not a second term I.
    moved = {**ok, f"{p}-end_date": "14/01/2027"}
    assert client.post(url, moved).status_code == 302
    assert directory.year.terms.get(number=1).end_date == dt.date(2027, 1, 14)
    assert lines_by_people().filter(object_type="directory.term", action="update").count() == 1


def test_one_current_year_in_the_service():
    first = services.school_year_create(
        actor=None,
        unit=None,
        name="2025-2026",
        start_date=dt.date(2025, 9, 5),
        end_date=dt.date(2026, 5, 31),
        is_current=True,
    )
    second = services.school_year_create(
        actor=None,
        unit=None,
        name="2026-2027",
        start_date=dt.date(2026, 9, 5),
        end_date=dt.date(2027, 5, 31),
        is_current=True,
    )
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    with pytest.raises(ValidationError):
        services.school_year_create(
            actor=None,
            unit=None,
            name="2028-2027",
            start_date=dt.date(2027, 9, 5),
            end_date=dt.date(2028, 5, 31),
        )


def test_school_update_rejects_unknown_fields(world, directory):
    with pytest.raises(ValueError, match="cannot change"):
        services.school_update(actor=None, school=directory.school_a, unit=world.school_b)

"""Each import screen offers its template, made from the importer's own definitions by one generator; the
example row of each downloaded template (and each allowed value put into it) passes the importer's check."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from giaoducso.core.roles import Role
from giaoducso.directory.importing import service
from giaoducso.directory.importing.jobs import PERMS
from giaoducso.directory.importing.templates import SPECS
from giaoducso.directory.models import Ownership, SchoolLevel, Sex
from giaoducso.testing.auth import sign_in

from .directory_fixtures import build_directory

pytestmark = pytest.mark.django_db

# Who imports each kind in the shared world, and the unit a new school goes under (the screen's job unit).
IMPORTER = {"students": Role.SCHOOL_IT, "staff": Role.PRINCIPAL, "schools": Role.DEPARTMENT_IT}


@pytest.fixture
def directory(world):
    return build_directory(world)


def _download(client, world, kind):
    user = world.user(IMPORTER[kind])
    sign_in(client, user)
    response = client.get(reverse("directory:import_template"), {"kind": kind})
    assert response.status_code == 200
    assert f'filename="{"mau-nhap-"}' in response["Content-Disposition"]
    return user, load_workbook(io.BytesIO(response.content))


def _check(tmp_path, world, kind, user, workbook, name="mau.xlsx"):
    path = tmp_path / name
    workbook.save(path)
    parent = world.department if kind == "schools" else None
    return service.run_import(kind=kind, path=path, actor=user, dry_run=True, scope_user=user, parent=parent)


def test_every_import_kind_has_a_template():
    assert set(SPECS) == set(service.KINDS) == set(PERMS)


@pytest.mark.parametrize("kind", sorted(service.KINDS))
def test_the_example_row_passes_the_importers_check(client, world, directory, tmp_path, kind):
    user, workbook = _download(client, world, kind)
    data = workbook.worksheets[0]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == service.KINDS[kind].COLUMNS  # the header is the importer's, in its order
    assert len(rows) == 2
    result = _check(tmp_path, world, kind, user, workbook)
    assert result.errors == [] and result.rows == 1, [e.message for e in result.errors]


@pytest.mark.parametrize("kind", sorted(service.KINDS))
def test_every_listed_value_is_accepted(client, world, directory, tmp_path, kind):
    user, workbook = _download(client, world, kind)
    columns = list(service.KINDS[kind].COLUMNS)
    listed: dict[str, list[str]] = {}
    for column, value, _note in list(workbook.worksheets[1].iter_rows(values_only=True))[1:]:
        if value:
            listed.setdefault(column, []).append(value)
    assert set(SPECS[kind].coded) <= set(listed)
    for column, values in listed.items():
        for value in values:
            workbook.worksheets[0].cell(2, columns.index(column) + 1, value)
            if column == "gioi_tinh":  # the identifier's digit says the sex: keep the two in agreement
                continue
            result = _check(tmp_path, world, kind, user, workbook, name=f"{column}.xlsx")
            assert result.errors == [], (column, value, [e.message for e in result.errors])


def test_coded_columns_list_every_choice_and_the_users_own_schools(client, world, directory):
    _user, workbook = _download(client, world, "schools")
    listed = {(c, v) for c, v, _n in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert {("cap_hoc", str(label)) for label in SchoolLevel.labels} <= listed
    assert {("loai_hinh", str(label)) for label in Ownership.labels} <= listed
    _user, workbook = _download(client, world, "students")
    listed = {(c, v) for c, v, _n in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert {("gioi_tinh", str(label)) for label in Sex.labels} <= listed
    schools = {v for c, v in listed if c == "ma_truong"}
    assert schools == {world.school_a.code}  # not school B's, which the school's IT may not import into


def test_the_import_screen_links_each_template_and_others_get_404(client, world, directory):
    sign_in(client, world.user(Role.SCHOOL_IT))
    page = client.get(reverse("directory:import_start")).content.decode()
    url = reverse("directory:import_template")
    assert f"{url}?kind=students" in page and f"{url}?kind=staff" in page
    assert f"{url}?kind=schools" not in page
    assert client.get(url, {"kind": "schools"}).status_code == 404
    sign_in(client, world.user(Role.TEACHER))
    assert client.get(url, {"kind": "students"}).status_code == 404

"""The records API, role by role: the subject's teacher, the homeroom teacher, the principal, a parent and a
teacher of another school (404); tokens need `records:read` / `records:write` (403 without). Writes go
through the records services: all or nothing, refused in a locked term with a machine-readable code."""

import datetime as dt
import json

import pytest

from giaoducso.core.models import ApiToken, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create, usable_scopes
from giaoducso.directory.models import Staff
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import Absence, Mark, Subject
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import StaffFactory
from giaoducso.testing.openapi import OpenApiClient

pytestmark = pytest.mark.django_db

DAY = "2026-10-12"


@pytest.fixture
def client():
    """Every API response of these tests is checked against the committed docs/openapi.json."""
    return OpenApiClient()


@pytest.fixture
def book(world):
    """Class 6/1 of school A: the homeroom teacher teaches Toán there, a subject teacher Ngữ văn."""
    directory = build_directory(world)
    subject_teacher = StaffFactory(school=world.school_a, full_name="Lý Văn Văn")
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    Staff.objects.filter(pk=subject_teacher.pk).update(user=world.user(Role.TEACHER))
    principal = world.user(Role.PRINCIPAL)
    toan, van = Subject.objects.get(code="toan_thcs"), Subject.objects.get(code="ngu_van")
    services.teaching_assign(
        actor=principal, school_class=directory.class_a, subject=toan, teacher=directory.teacher_a
    )
    services.teaching_assign(
        actor=principal, school_class=directory.class_a, subject=van, teacher=subject_teacher
    )
    return directory


def as_user(client, user):
    return sign_in(client, user)


def bearer(user, scopes):
    token, raw = api_token_create(actor=None, user=user, name="thử", scopes=["records:read"], expires_at=None)
    ApiToken.objects.filter(pk=token.pk).update(scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def url(directory, tail=""):
    return f"/api/v1/records/classes/{directory.class_a.pk}{tail}"


def write(client, path, body, method="PATCH", **headers):
    return client.generic(method, path, json.dumps(body), content_type="application/json", **headers)


def error_of(response, status):
    assert response.status_code == status, response.content
    return response.json()["error"]


# --- scopes --------------------------------------------------------------------------------------


def test_the_records_scopes_go_to_the_roles_that_use_them(world):
    assert {"records:read", "records:write"} <= usable_scopes(world.user(Role.TEACHER))
    assert {"records:read", "records:write"} <= usable_scopes(world.user(Role.HOMEROOM_TEACHER))
    principal = usable_scopes(world.user(Role.PRINCIPAL))
    assert "records:read" in principal and "records:write" not in principal
    parent = usable_scopes(world.user(Role.PARENT))
    assert "records:read" in parent and "records:write" not in parent
    assert not {"records:read", "records:write"} & usable_scopes(world.user(Role.INTEGRATION))
    assert "records:read" not in usable_scopes(world.user(Role.SCHOOL_OFFICE))


# --- classes -------------------------------------------------------------------------------------


def test_the_classes_each_role_reaches(client, world, book):
    def names(user):
        client.logout()
        as_user(client, user)
        response = client.get("/api/v1/records/classes")
        assert response.status_code == 200
        return [c["name"] for c in response.json()["items"]]

    assert names(world.user(Role.TEACHER)) == ["6/1"]
    assert names(world.user(Role.HOMEROOM_TEACHER)) == ["6/1"]
    assert names(world.user(Role.PRINCIPAL)) == ["6/1", "6/2"]
    assert names(world.user(Role.PARENT)) == ["6/1"]
    assert names(world.stranger) == []


def test_a_class_and_the_subjects_each_role_sees(client, world, book):
    as_user(client, world.user(Role.TEACHER))
    body = client.get(url(book)).json()
    assert [(s["code"], s["editable"]) for s in body["subjects"]] == [("ngu_van", True)]
    assert body["homeroom"] is False
    client.logout()
    as_user(client, world.user(Role.HOMEROOM_TEACHER))
    body = client.get(url(book)).json()
    editable = {s["code"] for s in body["subjects"] if s["editable"]}
    assert body["homeroom"] is True and editable == {"toan_thcs"} and len(body["subjects"]) > 5
    client.logout()
    as_user(client, world.stranger)
    error_of(client.get(url(book)), 404)


# --- grade books ---------------------------------------------------------------------------------


def test_reading_a_grade_book_per_role(client, world, book):
    services.mark_set(
        actor=world.user(Role.TEACHER),
        school_class=book.class_a,
        subject=Subject.objects.get(code="ngu_van"),
        cell=services.Cell(world.other_student_a.pk, 1, "tx", 1, value="9"),
    )
    van = url(book, "/subjects/ngu_van/marks")
    as_user(client, world.user(Role.TEACHER))
    body = client.get(van).json()
    assert body["editable"] and [c["label"] for c in body["columns"][:6]] == [
        "TX1",
        "TX2",
        "TX3",
        "TX4",
        "GK",
        "CK",
    ]
    assert len(body["rows"]) == 2 and body["subject"]["teacher"] == "Lý Văn Văn"
    error_of(client.get(url(book, "/subjects/toan_thcs/marks")), 404)  # not their subject
    error_of(client.get(url(book, "/subjects/no_such_subject/marks")), 404)
    error_of(client.get(url(book, "/subjects/tieng_viet/marks")), 404)  # not taught in grade 6
    for role in (Role.HOMEROOM_TEACHER, Role.PRINCIPAL):
        client.logout()
        as_user(client, world.user(role))
        body = client.get(van).json()
        assert not body["editable"] and len(body["rows"]) == 2
    client.logout()
    as_user(client, world.user(Role.PARENT))
    body = client.get(van).json()
    assert [r["student"]["full_name"] for r in body["rows"]] == ["Lê Minh Con"]
    assert body["rows"][0]["cells"] == []  # the other pupil's 9 is not theirs to see
    client.logout()
    as_user(client, world.stranger)
    error_of(client.get(van), 404)


def test_a_teacher_writes_cells_and_reads_the_averages(client, world, book):
    as_user(client, world.user(Role.TEACHER))
    child = world.child.pk
    cells = [
        {"student_id": child, "term": 1, "kind": "tx", "index": i, "value": v}
        for i, v in ((1, "6"), (2, 7), (3, "6"), (4, "7"))
    ]
    cells += [
        {"student_id": child, "term": 1, "kind": "gk", "value": "5"},
        {"student_id": child, "term": 1, "kind": "ck", "value": "6,5"},
    ]
    response = write(client, url(book, "/subjects/ngu_van/marks"), {"cells": cells})
    assert response.status_code == 200, response.content
    (row,) = response.json()["rows"]
    assert row["average_term1"] == 6.2 and row["average_year"] is None
    assert {c["kind"]: c["value"] for c in row["cells"]}["ck"] == 6.5
    assert Mark.objects.filter(student=world.child).count() == 6
    assert AuditEntry.objects.filter(object_type="records.mark").count() == 6
    # Clearing a cell deletes it.
    response = write(
        client,
        url(book, "/subjects/ngu_van/marks"),
        {"cells": [{"student_id": child, "term": 1, "kind": "ck", "value": None}]},
    )
    assert response.json()["rows"][0]["average_term1"] is None
    assert Mark.objects.filter(student=world.child).count() == 5


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ({"value": "10.5"}, "out_of_range"),
        ({"value": 10.5}, "out_of_range"),
        ({"value": "8.55"}, "too_many_decimals"),
        ({"index": 5}, "invalid_index"),
        ({"level": 1}, "invalid_level"),
    ],
)
def test_a_refused_cell_refuses_the_lot_with_its_code(client, world, book, cell, code):
    as_user(client, world.user(Role.TEACHER))
    good = {"student_id": world.child.pk, "term": 1, "kind": "tx", "index": 1, "value": "8"}
    bad = {"student_id": world.other_student_a.pk, "term": 1, "kind": "tx", "index": 1, "value": "7", **cell}
    response = write(client, url(book, "/subjects/ngu_van/marks"), {"cells": [good, bad]})
    error = error_of(response, 422)
    assert error["code"] == code and error["message"]
    assert not Mark.objects.exists()


def test_bad_bodies_are_422_never_500(client, world, book):
    as_user(client, world.user(Role.TEACHER))
    path = url(book, "/subjects/ngu_van/marks")
    base = {"student_id": world.child.pk, "term": 1, "kind": "tx"}
    for body in (
        {},
        {"cells": []},
        {"cells": [{**base, "value": "tám"}]},
        {"cells": [{**base, "term": 3}]},
        {"cells": [{**base, "kind": "xx"}]},
        {"cells": [{**base, "student_id": 0}]},
        {"cells": [{**base, "surprise": 1}]},
        {"cells": [{**base, "comment": "x" * 501}]},
    ):
        assert error_of(write(client, path, body), 422)["code"] == "invalid"
    response = write(client, path, {"cells": [{**base, "student_id": world.student_b.pk, "value": "5"}]})
    assert error_of(response, 422)["code"] == "not_in_class"
    assert not Mark.objects.exists()


def test_a_locked_term_refuses_the_write(client, world, book):
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=book.year, term=1)
    as_user(client, world.user(Role.TEACHER))
    cells = [{"student_id": world.child.pk, "term": 1, "kind": "tx", "value": "8"}]
    error = error_of(write(client, url(book, "/subjects/ngu_van/marks"), {"cells": cells}), 409)
    assert error["code"] == "term_locked" and "khoá sổ" in error["message"]
    cells[0]["term"] = 2
    assert write(client, url(book, "/subjects/ngu_van/marks"), {"cells": cells}).status_code == 200


def test_who_may_not_write_a_grade_book(client, world, book):
    cells = {"cells": [{"student_id": world.child.pk, "term": 1, "kind": "tx", "value": "8"}]}
    van, toan = url(book, "/subjects/ngu_van/marks"), url(book, "/subjects/toan_thcs/marks")
    as_user(client, world.user(Role.TEACHER))
    error_of(write(client, toan, cells), 404)  # a subject they do not teach is out of reach
    for user in (world.user(Role.HOMEROOM_TEACHER), world.user(Role.PRINCIPAL), world.user(Role.PARENT)):
        client.logout()
        as_user(client, user)
        assert error_of(write(client, van, cells), 403)["code"] == "forbidden"
    client.logout()
    as_user(client, world.stranger)
    error_of(write(client, van, cells), 404)
    assert not Mark.objects.exists()


def test_tokens_need_the_records_scopes(client, world, book):
    client.logout()
    teacher = world.user(Role.TEACHER)
    path = url(book, "/subjects/ngu_van/marks")
    cells = {"cells": [{"student_id": world.child.pk, "term": 1, "kind": "tx", "value": 8}]}
    reader = bearer(teacher, ["records:read"])
    assert client.get(path, **reader).status_code == 200
    assert error_of(write(client, path, cells, **reader), 403)["code"] == "forbidden"
    error_of(client.get(path, **bearer(teacher, ["directory:read"])), 403)
    writer = bearer(teacher, ["records:write"])
    response = write(client, path, cells, **writer)
    assert response.status_code == 200, response.content
    mark = Mark.objects.get()
    assert mark.updated_by == teacher
    line = AuditEntry.objects.get(object_type="records.mark")
    assert line.actor == teacher
    # The token of a teacher of another school reaches nothing.
    error_of(write(client, path, cells, **bearer(world.stranger, ["records:write"])), 404)


# --- results ---------------------------------------------------------------------------------------


def test_the_results_per_role(client, world, book):
    results = url(book, "/results")
    for role in (Role.HOMEROOM_TEACHER, Role.PRINCIPAL):
        client.logout()
        as_user(client, world.user(role))
        body = client.get(results).json()
        assert len(body["rows"]) == 2 and any(s["code"] == "toan_thcs" for s in body["subjects"])
        row = body["rows"][0]
        assert row["learning_year"] is None and row["absences"] == 0
    client.logout()
    as_user(client, world.user(Role.PARENT))
    assert [r["student"]["full_name"] for r in client.get(results).json()["rows"]] == ["Lê Minh Con"]
    for user in (world.user(Role.TEACHER), world.stranger):
        client.logout()
        as_user(client, user)
        error_of(client.get(results), 404)


# --- attendance ------------------------------------------------------------------------------------


def test_the_homeroom_teacher_calls_the_roll_and_others_read_it(client, world, book):
    roll = url(book, f"/attendance/{DAY}/am")
    as_user(client, world.user(Role.HOMEROOM_TEACHER))
    body = {
        "absent": [
            {"student_id": world.child.pk, "excused": True, "reason": "Ốm"},
            {"student_id": world.other_student_a.pk},
        ]
    }
    response = write(client, roll, body, method="PUT")
    assert response.status_code == 200, response.content
    assert [a["excused"] for a in response.json()["absent"]] == [True, False]
    response = write(client, roll, {"absent": [{"student_id": world.child.pk}]}, method="PUT")
    assert len(response.json()["absent"]) == 1 and Absence.objects.count() == 1
    listed = client.get(url(book, "/attendance"), {"date_from": DAY, "date_to": DAY}).json()
    assert listed["count"] == 1 and listed["items"][0]["session"] == "am"
    for role in (Role.PRINCIPAL, Role.PARENT):
        client.logout()
        as_user(client, world.user(role))
        assert client.get(url(book, "/attendance")).json()["count"] == 1
    for user in (world.user(Role.TEACHER), world.stranger):
        client.logout()
        as_user(client, user)
        error_of(client.get(url(book, "/attendance")), 404)


def test_the_roll_is_refused_with_reasons(client, world, book):
    roll = url(book, f"/attendance/{DAY}/am")
    for user in (world.user(Role.TEACHER), world.user(Role.PRINCIPAL), world.user(Role.PARENT)):
        client.logout()
        as_user(client, user)
        error_of(write(client, roll, {"absent": []}, method="PUT"), 403)
    client.logout()
    as_user(client, world.stranger)
    error_of(write(client, roll, {"absent": []}, method="PUT"), 404)
    client.logout()
    as_user(client, world.user(Role.HOMEROOM_TEACHER))
    stranger = {"absent": [{"student_id": world.student_b.pk}]}
    assert error_of(write(client, roll, stranger, method="PUT"), 422)["code"] == "not_in_class"
    twice = {"absent": [{"student_id": world.child.pk}, {"student_id": world.child.pk}]}
    error_of(write(client, roll, twice, method="PUT"), 422)
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    future = write(client, url(book, f"/attendance/{later}/pm"), {"absent": []}, method="PUT")
    assert error_of(future, 422)["code"] in {"future_date", "outside_year"}
    error_of(write(client, url(book, f"/attendance/{DAY}/night"), {"absent": []}, method="PUT"), 422)
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=book.year, term=1)
    assert error_of(write(client, roll, {"absent": []}, method="PUT"), 409)["code"] == "term_locked"
    assert not Absence.objects.exists()


def test_a_bulk_write_costs_two_queries_a_cell(client, world, book):
    """A row and its audit line for each cell; everything else (the pupils' names, the school, the
    checks) is read once for the lot, whatever its size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    as_user(client, world.user(Role.TEACHER))
    path = url(book, "/subjects/ngu_van/marks")

    def cells(term, n):
        return [
            {"student_id": s.pk, "term": term, "kind": kind, "index": i, "value": "7"}
            for s in (world.child, world.other_student_a)
            for kind, i in (("tx", 1), ("tx", 2), ("tx", 3), ("tx", 4), ("gk", 1), ("ck", 1))
        ][:n]

    counts = []
    for term, n in ((1, 2), (2, 12)):
        with CaptureQueriesContext(connection) as captured:
            assert write(client, path, {"cells": cells(term, n)}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[1] - counts[0] == 2 * (12 - 2)

"""The homeroom teacher's screens: the roll of a session, the month's totals, conduct per term."""

import datetime as dt

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import Absence, Conduct
from giaoducso.records.selectors.summary import class_summary
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db

DAY = "12/10/2026"


@pytest.fixture
def directory(world):
    directory = build_directory(world)
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    return directory


def test_the_homeroom_teacher_takes_the_roll(client, world, directory):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:attendance", args=[directory.class_a.pk])
    page = client.get(url, {"date": DAY, "session": "am"})
    assert page.status_code == 200 and "Lê Minh Con" in page.content.decode()
    child, other = world.child.pk, world.other_student_a.pk
    data = {"date": DAY, "session": "am", f"absent-{child}": "on", f"excused-{child}": "on"}
    data |= {f"reason-{child}": "Ốm", f"absent-{other}": "on"}
    response = client.post(url, data)
    assert response.status_code == 302 and "date=12/10/2026" in response["Location"]
    rows = {a.student_id: a for a in Absence.objects.all()}
    assert rows[child].excused and rows[child].reason == "Ốm" and not rows[other].excused
    # Taking the roll again with only one absent marks the other present.
    client.post(url, {"date": DAY, "session": "am", f"absent-{child}": "on"})
    assert list(Absence.objects.values_list("student_id", "excused")) == [(child, False)]
    page = client.get(url, {"date": DAY, "session": "am"}).content.decode()
    assert f'name="absent-{child}" id="absent-{child}" aria-label="Vắng: Lê Minh Con" checked' in page


def test_the_month_view_totals_feed_the_summary(client, world, directory):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    entry = services.AbsenceEntry
    for day, excused in ((1, True), (2, False), (3, False)):
        services.attendance_write(
            actor=homeroom,
            school_class=directory.class_a,
            date=dt.date(2026, 10, day),
            session="pm",
            absent={world.child.pk: entry(excused=excused)},
        )
    sign_in(client, homeroom)
    page = client.get(reverse("records:attendance_month", args=[directory.class_a.pk]), {"month": "10/2026"})
    body = page.content.decode()
    assert page.status_code == 200 and "tháng 10/2026" in body
    assert "<td>1</td><td>2</td><td>1</td><td>2</td>" in body  # month and year: 1 excused, 2 unexcused
    summary = class_summary(user=homeroom, school_class=directory.class_a)
    assert next(r for r in summary.results if r.student.pk == world.child.pk).absences == 3
    # A month that cannot be read falls back to the current one, never a 500.
    assert (
        client.get(
            reverse("records:attendance_month", args=[directory.class_a.pk]), {"month": "13/x"}
        ).status_code
        == 200
    )


@pytest.mark.parametrize("bad", ["31/02/2026", "2026-10-12", "hôm qua", "01/01/2030", "01/08/2026"])
def test_a_bad_date_is_refused_in_words(client, world, directory, bad):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:attendance", args=[directory.class_a.pk])
    response = client.post(url, {"date": bad, "session": "am", f"absent-{world.child.pk}": "on"})
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Absence.objects.exists()


def test_a_locked_term_refuses_the_roll_and_conduct(client, world, directory):
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=1)
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:attendance", args=[directory.class_a.pk])
    response = client.post(url, {"date": DAY, "session": "am", f"absent-{world.child.pk}": "on"})
    assert response.status_code == 400 and "đã khoá sổ" in response.content.decode()
    assert not Absence.objects.exists()
    url = reverse("records:conduct", args=[directory.class_a.pk])
    assert "đã khoá sổ" in client.get(url, {"term": 1}).content.decode()
    response = client.post(url, {"term": 1, f"level-{world.child.pk}": "3"})
    assert response.status_code == 400 and "đã khoá sổ" in response.content.decode()
    assert not Conduct.objects.exists()


def test_the_homeroom_teacher_sets_conduct(client, world, directory):
    sign_in(client, world.user(Role.HOMEROOM_TEACHER))
    url = reverse("records:conduct", args=[directory.class_a.pk])
    child, other = world.child.pk, world.other_student_a.pk
    data = {"term": 2, f"level-{child}": "3", f"comment-{child}": "Chăm ngoan", f"level-{other}": "1"}
    assert client.post(url, data).status_code == 302
    rows = {c.student_id: c for c in Conduct.objects.filter(term=2)}
    assert rows[child].level == 3 and rows[child].comment == "Chăm ngoan" and rows[other].level == 1
    page = client.get(url, {"term": 2}).content.decode()
    assert 'value="3" selected' in page and "Chăm ngoan" in page
    # A level that does not exist, or a comment without a level, changes nothing.
    for bad in (
        {f"level-{child}": "7"},
        {f"level-{child}": "x"},
        {f"level-{other}": "", f"comment-{other}": "?"},
    ):
        response = client.post(url, {"term": 2, **bad})
        assert response.status_code == 400
    assert Conduct.objects.get(student_id=child, term=2).level == 3
    # Clearing the select clears the conduct.
    assert client.post(url, {"term": 2, f"level-{other}": ""}).status_code == 302
    assert not Conduct.objects.filter(student_id=other).exists()


def test_readers_and_outsiders(client, world, directory):
    roll = reverse("records:attendance", args=[directory.class_a.pk])
    conduct = reverse("records:conduct", args=[directory.class_a.pk])
    month = reverse("records:attendance_month", args=[directory.class_a.pk])
    sign_in(client, world.user(Role.PRINCIPAL))  # reads, does not keep the class
    assert client.get(roll).status_code == 200 and client.get(conduct).status_code == 200
    assert 'name="absent-' not in client.get(roll).content.decode()
    assert client.post(roll, {"date": DAY, "session": "am"}).status_code == 404
    assert client.post(conduct, {"term": 1, f"level-{world.child.pk}": "3"}).status_code == 404
    for user in (world.user(Role.TEACHER), world.user(Role.PARENT), world.stranger):
        client.logout()
        sign_in(client, user)
        for url in (roll, conduct, month):
            assert client.get(url).status_code == 404, (user, url)
    assert not Absence.objects.exists() and not Conduct.objects.exists()

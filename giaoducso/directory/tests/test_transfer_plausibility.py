"""Transfers respect level and dates (issue 8.2): a grade-7 pupil was once approved into a preschool, and an
effective date of 01/01/2020 was accepted."""

import datetime as dt

import pytest
from django.urls import reverse

from giaoducso.core.roles import Role
from giaoducso.directory import services, transfers
from giaoducso.directory.models import Transfer
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import ClassFactory, SchoolFactory, SchoolYearFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil(world):
    """The world's child, born 2014, in class 7/1 since 05/09/2026; school B is a preschool."""
    year = SchoolYearFactory(name="2026-2027", is_current=True)
    SchoolFactory(unit=world.school_a, level="lower_secondary")
    SchoolFactory(unit=world.school_b, level="preschool")
    klass = ClassFactory(school=world.school_a, year=year, name="7/1")
    services.student_set_class(actor=None, student=world.child, school_class=klass, date=dt.date(2026, 9, 5))
    world.child.refresh_from_db()
    return world.child


def ask(world, pupil, to_school, effective_date):
    return transfers.transfer_request(
        actor=world.user(Role.PRINCIPAL),
        student=pupil,
        to_school=to_school,
        requested_by_school=world.school_a,
        effective_date=effective_date,
    )


def test_a_grade_7_pupil_is_not_sent_to_a_preschool(world, pupil):
    with pytest.raises(transfers.TransferError) as refused:
        ask(world, pupil, world.school_b, dt.date(2026, 10, 1))
    assert refused.value.message_dict["to_school"] == [
        "Trường Trường THCS Hậu Giang không dạy khối 7 của học sinh."
    ]
    assert not Transfer.objects.exists()


def test_a_date_before_the_current_enrolment_or_years_ahead_is_refused(world, pupil):
    school_c = UnitFactory(code="TC03", name="Trường THCS Phú Lâm", parent=world.department)
    SchoolFactory(unit=school_c, level="lower_secondary")
    with pytest.raises(transfers.TransferError) as refused:
        ask(world, pupil, school_c, dt.date(2020, 1, 1))
    assert "05/09/2026" in refused.value.message_dict["effective_date"][0]
    with pytest.raises(transfers.TransferError) as refused:
        ask(world, pupil, school_c, dt.date(2031, 1, 1))
    assert "quá một năm" in refused.value.message_dict["effective_date"][0]
    assert ask(world, pupil, school_c, dt.date(2026, 10, 1)).pk


def test_the_screen_explains_the_refusal_in_vietnamese(client, world, pupil):
    sign_in(client, world.user(Role.PRINCIPAL))
    response = client.post(
        reverse("directory:transfer_request_out", args=[pupil.pk]),
        {"to_school": world.school_b.pk, "effective_date": "01/10/2026", "reason": "Chuyển nhà"},
    )
    assert response.status_code in (200, 400)
    assert "không dạy khối 7" in response.content.decode()
    assert not Transfer.objects.exists()

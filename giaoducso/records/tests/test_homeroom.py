"""Conduct and attendance: the homeroom teacher's, refused in a locked term, audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory.models import Staff
from giaoducso.directory.tests.directory_fixtures import build_directory
from giaoducso.records import services
from giaoducso.records.models import Absence, Conduct
from giaoducso.records.services import AbsenceEntry

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 12)


@pytest.fixture
def directory(world):
    directory = build_directory(world)
    Staff.objects.filter(pk=directory.teacher_a.pk).update(user=world.user(Role.HOMEROOM_TEACHER))
    return directory


def test_conduct_is_the_homeroom_teachers_and_audited(world, directory):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    row = services.conduct_set(
        actor=homeroom, school_class=directory.class_a, student=world.child, term=1, level=3
    )
    assert row.level == 3
    services.conduct_set(actor=homeroom, school_class=directory.class_a, student=world.child, term=1, level=2)
    assert Conduct.objects.get().level == 2
    assert AuditEntry.objects.filter(object_type="records.conduct").count() == 2
    with pytest.raises(PermissionDenied):
        services.conduct_set(
            actor=world.user(Role.TEACHER),
            school_class=directory.class_a,
            student=world.child,
            term=1,
            level=3,
        )
    with pytest.raises(ValidationError):
        services.conduct_set(
            actor=homeroom, school_class=directory.class_a, student=world.child, term=1, level=7
        )
    with pytest.raises(ValidationError):
        services.conduct_set(
            actor=homeroom, school_class=directory.class_a, student=world.student_b, term=1, level=3
        )


def test_a_roll_call_replaces_the_sessions_absences(world, directory):
    homeroom = world.user(Role.HOMEROOM_TEACHER)
    write = lambda absent: services.attendance_write(  # noqa: E731
        actor=homeroom, school_class=directory.class_a, date=DAY, session="am", absent=absent
    )
    write({world.child.pk: AbsenceEntry(excused=True, reason="Ốm"), world.other_student_a.pk: AbsenceEntry()})
    assert Absence.objects.count() == 2
    write({world.child.pk: AbsenceEntry(excused=False)})  # the other pupil came after all
    absence = Absence.objects.get()
    assert absence.student_id == world.child.pk and not absence.excused
    assert AuditEntry.objects.filter(object_type="records.absence").count() == 4
    with pytest.raises(ValidationError):
        write({world.student_b.pk: AbsenceEntry()})
    with pytest.raises(ValidationError):
        services.attendance_write(
            actor=homeroom, school_class=directory.class_a, date=dt.date(2027, 8, 1), session="am", absent={}
        )


def test_attendance_in_a_locked_term_is_refused(world, directory):
    services.term_lock(actor=world.user(Role.PRINCIPAL), school=world.school_a, year=directory.year, term=1)
    with pytest.raises(ValidationError) as error:
        services.attendance_write(
            actor=world.user(Role.HOMEROOM_TEACHER),
            school_class=directory.class_a,
            date=DAY,
            session="am",
            absent={},
        )
    assert error.value.code == "term_locked"


def test_the_term_of_a_date(directory):
    assert services.term_of(directory.class_a, dt.date(2026, 12, 31)) == 1
    assert services.term_of(directory.class_a, dt.date(2027, 1, 20)) == 2
    with pytest.raises(ValidationError):
        services.term_of(directory.class_a, dt.date(2026, 8, 1))

"""The 07:30 and 16:30 digest: one per person with documents waiting, whatever the number of runs of a
slot; overdue items reach the assignee and the leader."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from giaoducso.core import periodic
from giaoducso.core.models import Notification, ScheduleRun
from giaoducso.core.roles import Role
from giaoducso.testing.world import World

from .. import services
from ..models import Incoming
from .helpers import issued, setup_office

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def office(world: World) -> World:
    setup_office(world)
    return world


def _digests(user: object) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="office_digest"))


def test_a_slot_run_twice_sends_each_person_one_digest(
    office: World, django_capture_on_commit_callbacks
) -> None:
    issued(office)
    morning = dt.datetime(2026, 12, 3, 7, 31, tzinfo=HCM)
    with django_capture_on_commit_callbacks(execute=True):
        first = periodic.run_due(morning)
        again = periodic.run_due(morning + dt.timedelta(minutes=5))  # a second scheduler, or a rerun
    assert first["office.digest@2026-12-03 07:30"]["sent"] >= 1
    assert "office.digest@2026-12-03 07:30" not in again
    clerk = office.user(Role.SCHOOL_OFFICE)
    digests = _digests(clerk)
    assert len(digests) == 1 and "1 mới" in digests[0].title and "01/KH-PGDĐT" in digests[0].body
    assert ScheduleRun.objects.filter(name="office.digest").count() == 1
    assert sum(1 for m in mail.outbox if clerk.email in m.to) == 1
    # Nobody without anything waiting is written to.
    assert _digests(office.user(Role.TEACHER)) == []


def test_the_afternoon_is_another_slot_and_the_command_runs_it(office: World) -> None:
    issued(office)
    periodic.run_due(dt.datetime(2026, 12, 3, 7, 40, tzinfo=HCM))
    periodic.run_due(dt.datetime(2026, 12, 3, 16, 35, tzinfo=HCM))
    assert len(_digests(office.user(Role.SCHOOL_OFFICE))) == 2
    call_command("run_schedule", "--once")  # whatever the clock says now, nothing is sent twice
    assert (
        ScheduleRun.objects.filter(name="office.digest").values("slot").distinct().count()
        == ScheduleRun.objects.filter(name="office.digest").count()
    )


def test_a_missed_slot_is_caught_up_only_for_a_while(office: World) -> None:
    issued(office)
    assert "office.digest@2026-12-03 07:30" in periodic.run_due(dt.datetime(2026, 12, 3, 10, 0, tzinfo=HCM))
    late = periodic.run_due(dt.datetime(2026, 12, 3, 15, 0, tzinfo=HCM))
    assert not any(key.startswith("office.digest") for key in late)


def test_overdue_reaches_the_assignee_and_the_leader(office: World) -> None:
    document = issued(office)
    copy = services.incoming_register(
        actor=office.user(Role.SCHOOL_OFFICE), incoming=Incoming.objects.get(document=document)
    )
    lead = office.user(Role.VICE_PRINCIPAL)
    services.incoming_assign(
        actor=office.user(Role.PRINCIPAL),
        incoming=copy,
        lead_user=lead,
        deadline=dt.date(2026, 12, 5),
        today=dt.date(2026, 12, 1),
    )
    periodic.run_due(dt.datetime(2026, 12, 8, 7, 30, tzinfo=HCM))
    for person in (lead, office.user(Role.PRINCIPAL)):
        digest = _digests(person)
        assert len(digest) == 1 and "1 quá hạn" in digest[0].title and "QUÁ HẠN 05/12/2026" in digest[0].body

"""Finding a student of another school for a transfer: a wrong guess looks exactly like an unknown
identifier, failures are audited, and guessing is cut off per user and per address."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from giaoducso.core.models import AuditAction, AuditEntry
from giaoducso.core.roles import Role
from giaoducso.testing.auth import sign_in
from giaoducso.testing.factories import MembershipFactory, UserFactory
from giaoducso.testing.world import World

pytestmark = pytest.mark.django_db

URL = "/directory/transfers/request/"


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def clerk_b(world: World):  # type: ignore[no-untyped-def]
    user = UserFactory(username="office_b", full_name="Văn thư trường B")
    MembershipFactory(user=user, unit=world.school_b, role=Role.SCHOOL_OFFICE)
    return user


def find(
    client: Client,
    world: World,
    *,
    personal_id: str | None = None,
    dob: dt.date | None = None,
    ip: str = "10.0.0.1",
):  # type: ignore[no-untyped-def]
    data = {
        "personal_id": personal_id or world.child.personal_id,
        "date_of_birth": (dob or world.child.date_of_birth).strftime("%d/%m/%Y"),
        "to_school": world.school_b.pk,
        "step": "find",
    }
    return client.post(URL, data, REMOTE_ADDR=ip)


def wrong_dob(world: World) -> dt.date:
    return world.child.date_of_birth + dt.timedelta(days=1)


def unknown_id(world: World) -> str:
    return "079214999999" if world.child.personal_id != "079214999999" else "079214999998"


def test_a_wrong_date_of_birth_looks_exactly_like_an_unknown_identifier(
    client: Client, world: World, clerk_b
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, clerk_b)
    wrong = find(client, world, dob=wrong_dob(world))
    unknown = find(client, world, personal_id=unknown_id(world))
    assert wrong.status_code == unknown.status_code == 400
    assert [t.name for t in wrong.templates] == [t.name for t in unknown.templates]
    assert wrong.context["errors"] == unknown.context["errors"]
    assert wrong.context["match"] is None and unknown.context["match"] is None
    body = wrong.content.decode()
    assert world.child.full_name not in body and world.school_a.name not in body


def test_failures_are_audited_and_linked_to_the_student_guessed_at(
    client: Client, world: World, clerk_b
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, clerk_b)
    find(client, world, dob=wrong_dob(world))
    find(client, world, personal_id=unknown_id(world))
    lines = AuditEntry.objects.filter(action=AuditAction.LOOKUP_FAILED).order_by("id")
    assert lines.count() == 2
    guessed, unknown = lines
    assert guessed.actor == clerk_b and guessed.ip_address == "10.0.0.1"
    # The student's school can see that someone is guessing at its pupil.
    assert guessed.object_type == "directory.student" and guessed.object_id == str(world.child.pk)
    assert guessed.unit == world.school_a
    assert unknown.object_id == "" and unknown.actor == clerk_b
    for line in lines:
        # The audit log is read by many: never the whole identifier nor the date tried.
        text = f"{line.object_repr} {line.note} {line.changes}"
        assert world.child.personal_id not in text and unknown_id(world) not in text
        assert "chuyển trường" in line.note


def test_a_successful_lookup_is_not_a_failure(client: Client, world: World, clerk_b) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, clerk_b)
    assert find(client, world).status_code == 200
    assert not AuditEntry.objects.filter(action=AuditAction.LOOKUP_FAILED).exists()


@override_settings(TRANSFER_LOOKUP_MAX_FAILURES=3)
def test_a_user_is_cut_off_after_the_limit_even_with_the_right_answer(
    client: Client, world: World, clerk_b
) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, clerk_b)
    for n in range(3):
        assert find(client, world, dob=wrong_dob(world), ip=f"10.0.0.{n + 1}").status_code == 400
    response = find(client, world, ip="10.0.0.9")  # a new address does not help the same account
    assert response.status_code == 429
    body = response.content.decode()
    assert world.child.full_name not in body and world.school_a.name not in body
    assert "Quá nhiều lần tra cứu" in body
    assert response.context["match"] is None


@override_settings(TRANSFER_LOOKUP_MAX_FAILURES=3)
def test_an_address_is_cut_off_whichever_account_guesses(client: Client, world: World, clerk_b) -> None:  # type: ignore[no-untyped-def]
    others = []
    for n in range(3):
        user = UserFactory(username=f"office_b{n}")
        MembershipFactory(user=user, unit=world.school_b, role=Role.SCHOOL_OFFICE)
        others.append(user)
    for user in others:
        sign_in(client, user)
        find(client, world, dob=wrong_dob(world), ip="10.0.0.7")
    sign_in(client, clerk_b)
    assert find(client, world, ip="10.0.0.7").status_code == 429
    # The same account from elsewhere, with no failures of its own, still works.
    assert find(client, world, ip="10.0.0.8").status_code == 200


@override_settings(TRANSFER_LOOKUP_MAX_FAILURES=2, TRANSFER_LOOKUP_WINDOW_MINUTES=15)
def test_the_limit_lifts_after_the_window(
    client: Client, world: World, clerk_b, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import django.core.cache.backends.locmem as locmem

    sign_in(client, clerk_b)
    find(client, world, dob=wrong_dob(world))
    find(client, world, dob=wrong_dob(world))
    assert find(client, world).status_code == 429
    real_time = locmem.time.time
    monkeypatch.setattr(locmem.time, "time", lambda: real_time() + 15 * 60 + 1)
    assert find(client, world).status_code == 200


def test_thirty_one_guesses_reveal_nothing(client: Client, world: World, clerk_b) -> None:  # type: ignore[no-untyped-def]
    # The reported attack: walking through dates of birth until the name and school show up.
    sign_in(client, clerk_b)
    start = world.child.date_of_birth - dt.timedelta(days=15)
    revealed = [
        day
        for day in (start + dt.timedelta(days=i) for i in range(31))
        if world.child.full_name in find(client, world, dob=day).content.decode()
    ]
    assert revealed == []
    lines = AuditEntry.objects.filter(action=AuditAction.LOOKUP_FAILED, actor=clerk_b)
    assert lines.count() == 31  # each guess is on record, the refused ones marked so
    assert lines.filter(note__contains="tạm chặn").count() == 21

"""Campaigns, applications, assignment, publication, lookup, confirmation and enrolment, through the
services and the public pages."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giaoducso.admissions import lookup, services
from giaoducso.admissions.models import (
    Application,
    ApplicationStatus,
    Campaign,
    CampaignState,
    PublishedResult,
)
from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.directory.models import Student
from giaoducso.testing.admissions import TODAY, apply, campaign_of, child_id
from giaoducso.testing.world import World
from rules.admission_run import mask_name, rerun, result_digest

pytestmark = pytest.mark.django_db


def test_campaign_needs_a_manager_and_sane_dates(world: World) -> None:
    with pytest.raises(PermissionDenied):
        campaign_of(
            world.department, [world.school_a], actor_user=None
        ) if False else services.campaign_create(
            actor=world.user(Role.PRINCIPAL),
            unit=world.department,
            name="x",
            school_year="2026-2027",
            entry_grade=1,
            area_rule="ward",
            groups=services.GROUPS_2025,
            review_end=TODAY,
            apply_start=TODAY,
            apply_end=TODAY,
            verify_end=TODAY,
            publish_date=TODAY,
            confirm_deadline=TODAY,
        )
    with pytest.raises(ValidationError) as refused:
        campaign_of(world.department, [world.school_a], apply_end=TODAY - dt.timedelta(days=9))
    assert "apply_end" in refused.value.error_dict
    campaign = campaign_of(world.department, [world.school_a])
    assert AuditEntry.objects.filter(object_type="admissions.campaign", object_id=str(campaign.pk)).exists()


def test_groups_are_data_two_then_three(world: World) -> None:
    two = campaign_of(world.department, [world.school_a], groups=services.GROUPS_2025)
    three = campaign_of(
        world.department, [world.school_b], groups=services.GROUPS_2026, school_year="2027-2028"
    )
    assert [g["code"] for g in two.groups] == ["1", "2"]
    assert [g["rule"] for g in three.groups] == ["in_area", "local_priority", "any"]
    with pytest.raises(ValidationError):
        services.campaign_update(actor=None, campaign=two, groups=[{"label": "X", "rule": "bribe"}])


def test_bad_inputs_change_nothing(world: World, ward) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_of(world.department, [world.school_a])
    with pytest.raises(ValidationError) as bad_id:
        services.applicant_identify(
            campaign=campaign, personal_id="079320123", date_of_birth=dt.date(2020, 1, 1), today=TODAY
        )
    assert "personal_id" in bad_id.value.error_dict
    with pytest.raises(ValidationError) as bad_year:
        services.applicant_identify(
            campaign=campaign, personal_id=child_id(2020), date_of_birth=dt.date(2019, 1, 1), today=TODAY
        )
    assert "date_of_birth" in bad_year.value.error_dict
    other = campaign_of(world.department, [world.school_b], school_year="2026-2027")
    with pytest.raises(ValidationError) as outside:
        apply(campaign, [world.school_b], ward=ward)
    assert "choices" in outside.value.error_dict
    with pytest.raises(ValidationError) as late:
        apply(other, [world.school_b], ward=ward, today=TODAY + dt.timedelta(days=30))
    assert "hết thời gian" in " ".join(late.value.messages)
    exe = SimpleUploadedFile(
        "giay-khai-sinh.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as proof:
        apply(
            campaign,
            [world.school_a],
            ward=ward,
            data_confirmed=False,
            correction={"field": "address", "value": "15 Đường Khác", "note": ""},
            proof=exe,
        )
    assert "proof" in proof.value.error_dict
    assert Application.objects.count() == 0


def test_identify_prefills_the_primary_record_and_checks_the_date_of_birth(world: World) -> None:
    campaign = campaign_of(world.department, [world.school_a, world.school_b], entry_grade=6)
    pupil = world.other_student_a
    assert pupil is not None
    facts = services.applicant_identify(
        campaign=campaign, personal_id=pupil.personal_id, date_of_birth=pupil.date_of_birth, today=TODAY
    )
    assert facts.full_name == pupil.full_name and facts.previous_school_id == world.school_a.pk
    with pytest.raises(ValidationError) as wrong:
        services.applicant_identify(
            campaign=campaign,
            personal_id=pupil.personal_id,
            date_of_birth=pupil.date_of_birth + dt.timedelta(days=1),
            today=TODAY,
        )
    assert "date_of_birth" in wrong.value.error_dict


def _run_and_publish(campaign: Campaign, seed: str = "công-khai-2026") -> None:
    services.assignment_run(actor=None, campaign=campaign, seed=seed, today=TODAY + dt.timedelta(days=6))
    services.campaign_publish(actor=None, campaign=campaign)


def test_assignment_is_reproducible_from_the_published_inputs(world: World, ward) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_of(world.department, [world.school_a, world.school_b], seats=2)
    for i in range(6):
        apply(campaign, [world.school_a, world.school_b], name=f"Trần Văn Số {i}", ward=ward)
    run = services.assignment_run(
        actor=None, campaign=campaign, seed="abc", today=TODAY + dt.timedelta(days=6)
    )
    document = json.loads(run.inputs)
    assert document["seed"] == "abc" and len(document["preferences"]) == 6
    assert result_digest(rerun(document)) == run.result_sha256
    again = services.assignment_run(actor=None, campaign=campaign, today=TODAY + dt.timedelta(days=6))
    assert again.result_sha256 == run.result_sha256 and again.inputs == run.inputs
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert (
        statuses.count(ApplicationStatus.ASSIGNED) == 4 and statuses.count(ApplicationStatus.UNASSIGNED) == 2
    )
    with pytest.raises(ValidationError):
        services.assignment_run(
            actor=None, campaign=campaign, seed="other", today=TODAY + dt.timedelta(days=6)
        )


def test_residence_only_falls_back_to_the_nearest_school_with_seats(world: World, ward) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_of(world.department, [], seats=1, choices_allowed=1, residence_only=True, open_=False)
    services.campaign_school_set(
        actor=None, campaign=campaign, school=world.school_a, seats=1, latitude=10.0, longitude=106.0
    )
    services.campaign_school_set(
        actor=None, campaign=campaign, school=world.school_b, seats=1, latitude=10.01, longitude=106.0
    )
    services.campaign_open(actor=None, campaign=campaign)
    one = apply(campaign, [world.school_a], ward=ward, latitude="10.0", longitude="106.0")
    two = apply(campaign, [world.school_a], ward=ward, latitude="10.0", longitude="106.0")
    services.assignment_run(actor=None, campaign=campaign, seed="s", today=TODAY + dt.timedelta(days=6))
    schools = {a.assigned_school_id for a in Application.objects.filter(pk__in=[one.pk, two.pk])}
    assert schools == {world.school_a.pk, world.school_b.pk}
    assert Application.objects.filter(assigned_rank__isnull=True, status="assigned").count() == 1


def test_lookup_never_tells_whether_a_code_exists(world: World, ward, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_of(world.department, [world.school_a])
    application = apply(campaign, [world.school_a], ward=ward, name="Nguyễn Văn An")
    _run_and_publish(campaign)
    assert PublishedResult.objects.count() == 1
    lookup.CACHE.clear()
    found = json.loads(lookup.find_answer(application.code, application.date_of_birth) or "null")
    assert found["name"] == "Nguyễn V. A." and found["birth_year"] == 2020 and found["status"] == "assigned"
    client = Client()
    url = lookup.PATH

    def ask(code: str, day: str) -> tuple[int, bytes]:
        lookup.CACHE.clear()
        response = _wsgi_post(url, f"code={code}&date_of_birth={day}")
        return response

    wrong_dob = ask(application.code, "05/03/2020")
    no_such_code = ask("L1-ZZZZ-ZZZZ", "04/03/2020")
    assert wrong_dob == no_such_code and wrong_dob[0] == 200
    # Same work on both paths: one query each, on the hash of both values (never on the code alone).
    asked: list[str] = []
    real_query = lookup._query

    def spy(key: str) -> str | None:
        asked.append(key)
        return real_query(key)

    monkeypatch.setattr(lookup, "_query", spy)
    for code, day in ((application.code, dt.date(2020, 3, 5)), ("L1-ZZZZ-ZZZZ", dt.date(2020, 3, 4))):
        lookup.CACHE.clear()
        assert lookup.find_answer(code, day) is None
    assert asked == [
        lookup.result_key(application.code, dt.date(2020, 3, 5)),
        lookup.result_key("L1-ZZZZ-ZZZZ", dt.date(2020, 3, 4)),
    ]
    monkeypatch.undo()
    # Same timing, within noise: medians of many lookups of each kind.
    import statistics
    import time

    def median(code: str, day: dt.date) -> float:
        times = []
        for _ in range(60):
            lookup.CACHE.clear()
            start = time.perf_counter()
            lookup.find_answer(code, day)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    a, b = median(application.code, dt.date(2020, 3, 5)), median("L1-ZZZZ-ZZZZ", dt.date(2020, 3, 5))
    assert max(a, b) / min(a, b) < 3
    page = client.post(
        reverse("admissions:result"), {"code": application.code, "date_of_birth": "05/03/2020"}
    )
    page_missing = client.post(
        reverse("admissions:result"), {"code": "L1-ZZZZ-ZZZZ", "date_of_birth": "05/03/2020"}
    )
    assert page.status_code == page_missing.status_code == 200
    assert (
        lookup.NOT_FOUND_MESSAGE in page.content.decode()
        and lookup.NOT_FOUND_MESSAGE in page_missing.content.decode()
    )


@pytest.mark.parametrize("prepared", [True, False])
def test_the_lookup_answers_with_and_without_prepared_statements(
    world: World, ward, settings, prepared
) -> None:  # type: ignore[no-untyped-def]
    """Behind a pooler that cannot keep prepared statements the lookup binds on the client: same answers."""
    settings.DB_PREPARED_STATEMENTS = prepared
    campaign = campaign_of(world.department, [world.school_a])
    application = apply(campaign, [world.school_a], ward=ward, name="Phan Thị Hoa")
    _run_and_publish(campaign)
    for _ in range(2):  # the second time, a prepared statement is reused
        answer = lookup.find_answer(application.code, application.date_of_birth, fresh=True)
        assert answer is not None and json.loads(answer)["name"] == "Phan T. H."
        assert lookup.find_answer(application.code, dt.date(2019, 1, 1), fresh=True) is None


def _wsgi_post(path: str, body: str) -> tuple[int, bytes]:
    captured: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        captured["status"] = status

    data = body.encode()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "CONTENT_LENGTH": str(len(data)),
        "wsgi.input": io.BytesIO(data),
        "REMOTE_ADDR": "127.0.0.9",
    }
    content = b"".join(lookup.ResultRoute(lambda e, s: [b"django"])(environ, start_response))
    return int(captured["status"].split()[0]), content


def test_the_lookup_route_slows_a_hammering_client_only() -> None:
    limiter = lookup.RateLimiter(limit=5, seconds=60)
    assert all(limiter.allow("10.0.0.1") for _ in range(5))
    assert not limiter.allow("10.0.0.1")
    assert limiter.allow("10.0.0.2")


def test_confirmation_and_enrolment_into_the_directory(world: World, ward, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    campaign = campaign_of(world.department, [world.school_a], seats=1)
    first = apply(campaign, [world.school_a], ward=ward, name="Lê Thị Mai")
    second = apply(campaign, [world.school_a], ward=ward, name="Lê Văn Bình")
    _run_and_publish(campaign)
    winner, loser = sorted(
        Application.objects.filter(pk__in=[first.pk, second.pk]), key=lambda a: a.status != "assigned"
    )
    assert winner.status == "assigned" and loser.status == "unassigned"
    with pytest.raises(ValidationError):
        services.application_confirm(actor="test", application=loser, today=TODAY + dt.timedelta(days=11))
    # The winner does not confirm by the deadline: the seat is released and offered on by the same rules.
    done = services.unconfirmed_release(actor=None, campaign=campaign, today=TODAY + dt.timedelta(days=16))
    assert done == {"released": 1, "offered": 1, "kept": 0}
    loser.refresh_from_db()
    assert loser.status == "assigned" and loser.confirm_by == TODAY + dt.timedelta(days=19)
    services.application_confirm(actor="test", application=loser, today=TODAY + dt.timedelta(days=17))
    answer = json.loads(lookup.find_answer(loser.code, loser.date_of_birth, fresh=True) or "{}")
    assert answer["status"] == "confirmed"
    result = services.applications_enrol(
        actor=world.user(Role.PRINCIPAL), campaign=campaign, school=world.school_a
    )
    assert result["created"] == 1
    student = Student.objects.get(personal_id=loser.personal_id)
    assert student.school_id == world.school_a.pk and student.guardians.count() == 1
    loser.refresh_from_db()
    assert loser.status == ApplicationStatus.ENROLLED and loser.enrolled_student_id == student.pk
    assert campaign.pk and Campaign.objects.get(pk=campaign.pk).state == CampaignState.PUBLISHED


def test_masking() -> None:
    assert mask_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert mask_name("Lê Thị Thu Hà") == "Lê T. T. H."

"""The department's and the schools' screens and the API: scoped (another school's file is a 404),
audited, refusals in words."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giaoducso.admissions import services
from giaoducso.admissions.models import Application, Campaign, CampaignKind, CorrectionStatus
from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create
from giaoducso.testing.admissions import TODAY, apply, campaign_of
from giaoducso.testing.auth import sign_in
from giaoducso.testing.world import World
from rules.admission_run import rerun, result_digest

pytestmark = pytest.mark.django_db


def _dates(today: dt.date) -> dict[str, str]:
    days = {
        "review_end": -5,
        "apply_start": -1,
        "apply_end": 5,
        "verify_end": 7,
        "publish_date": 10,
        "confirm_deadline": 15,
    }
    return {k: f"{today + dt.timedelta(days=v):%d/%m/%Y}" for k, v in days.items()}


def test_the_department_creates_a_campaign_on_its_screen(world: World) -> None:
    client = sign_in(Client(), world.user(Role.DEPARTMENT_OFFICER))
    assert client.get(reverse("admissions:campaign_new")).status_code == 200
    form = {
        "unit": str(world.department.pk),
        "name": "Tuyển sinh lớp 6 năm học 2026-2027",
        "school_year": "2026-2027",
        "entry_grade": "6",
        "kind": "general",
        "area_rule": "ward",
        "choices_allowed": "3",
        "groups": "Cư trú trong địa bàn | in_area_completed\nCòn lại | any",
        "unconfirmed_policy": "keep",
        **_dates(timezone.localdate()),
    }
    bad = client.post(reverse("admissions:campaign_new"), {**form, "apply_end": form["review_end"]})
    assert bad.status_code == 400 and "Ngày kết thúc nhận hồ sơ" in bad.content.decode()
    response = client.post(reverse("admissions:campaign_new"), form)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.groups[0]["rule"] == "in_area_completed" and campaign.unconfirmed_policy == "keep"
    detail = client.post(
        reverse("admissions:campaign_detail", args=[campaign.pk]),
        {"school": str(world.school_a.pk), "seats": "90"},
    )
    assert detail.status_code == 302 and campaign.schools.get().seats == 90
    client.post(reverse("admissions:campaign_action", args=[campaign.pk, "open"]))
    campaign.refresh_from_db()
    assert campaign.state == "open"
    lines = AuditEntry.objects.filter(object_type__startswith="admissions.").values_list(
        "object_type", "action"
    )
    assert ("admissions.campaign", "create") in lines and ("admissions.campaignschool", "create") in lines
    # A principal reads the campaign of its department but cannot change it.
    principal = sign_in(Client(), world.user(Role.PRINCIPAL))
    assert principal.get(reverse("admissions:campaign_edit", args=[campaign.pk])).status_code == 404


def test_a_school_verifies_its_queue_and_not_another_schools(world: World, ward: Any) -> None:
    campaign = campaign_of(world.department, [world.school_a, world.school_b])
    mine = apply(campaign, [world.school_a], ward=ward, name="Võ Thị Lan")
    theirs = apply(campaign, [world.school_b], ward=ward, name="Đỗ Văn Tùng")
    client = sign_in(Client(), world.user(Role.PRINCIPAL))
    queue = client.get(reverse("admissions:queue", args=[campaign.pk]))
    assert queue.status_code == 200 and "Võ Thị Lan" in queue.content.decode()
    assert "Đỗ Văn Tùng" not in queue.content.decode()
    assert client.get(reverse("admissions:application_detail", args=[theirs.pk])).status_code == 404
    refused = client.post(
        reverse("admissions:application_detail", args=[mine.pk]), {"action": "refuse", "reason": ""}
    )
    assert refused.status_code == 400 and "lí do" in refused.content.decode()
    for junk in ({"action": "accept_correction", "correction": "x'; --"}, {"action": "teleport"}):
        answer = client.post(reverse("admissions:application_detail", args=[mine.pk]), junk)
        assert answer.status_code == 400
    client.post(reverse("admissions:application_detail", args=[mine.pk]), {"action": "verify"})
    mine.refresh_from_db()
    assert mine.status == "verified"


def test_stats_chart_and_inputs_anyone_can_rerun(world: World, ward: Any) -> None:
    campaign = campaign_of(world.department, [world.school_a], seats=1)
    for i in range(3):
        apply(campaign, [world.school_a], ward=ward, name=f"Bùi Văn Số {i}")
    services.assignment_run(
        actor=None, campaign=campaign, seed="hat-giong", today=TODAY + dt.timedelta(days=6)
    )
    client = sign_in(Client(), world.user(Role.DEPARTMENT_LEADER))
    stats = client.get(reverse("admissions:campaign_stats", args=[campaign.pk]))
    body = stats.content.decode()
    chart = body[body.index("<svg") : body.index("</svg>")]
    # The chart is the server's SVG: no script, no style attribute (CSP), the bars' numbers in it.
    assert stats.status_code == 200 and "<script" not in chart and "style=" not in chart and ">3<" in chart
    inputs = client.get(reverse("admissions:campaign_inputs", args=[campaign.pk]))
    document = json.loads(inputs.content)
    assert document["seed"] == "hat-giong" and result_digest(rerun(document)) == inputs["X-Result-SHA256"]
    assert "Bùi" not in inputs.content.decode("utf-8")  # anonymised
    assert AuditEntry.objects.filter(action="export", object_type="admissions.assignment_inputs").exists()


def test_a_special_programme_places_first_and_the_general_campaign_places_the_rest(
    world: World, ward: Any
) -> None:
    general = campaign_of(world.department, [world.school_a, world.school_b], seats=5)
    special = campaign_of(
        world.department,
        [world.school_b],
        seats=1,
        kind=CampaignKind.SPECIAL,
        general_campaign=general,
        name="Tích hợp tiếng Anh",
    )
    one = apply(special, [world.school_b], ward=ward, name="Ngô Thị Một")
    two = apply(special, [world.school_b], ward=ward, name="Ngô Thị Hai")
    for child in (one, two):
        facts = services.ApplicantFacts(
            personal_id=child.personal_id, date_of_birth=child.date_of_birth, sex="F"
        )
        services.application_submit(
            actor="test",
            campaign=general,
            facts=facts,
            full_name=child.full_name,
            choices=[str(world.school_a.pk)],
            address="1 Đường",
            ward=ward,
            guardian_name="Ngô Văn Ba",
            guardian_phone="0901234567",
            data_confirmed=True,
            today=TODAY,
        )
    later = TODAY + dt.timedelta(days=6)
    services.assignment_run(actor=None, campaign=special, seed="s", today=later)
    services.assignment_run(actor=None, campaign=general, seed="g", today=later)
    in_special = Application.objects.get(campaign=special, status="assigned")
    placed = Application.objects.filter(campaign=general, status="assigned")
    assert [a.personal_id for a in placed] != [] and in_special.personal_id not in [
        a.personal_id for a in placed
    ]
    assert placed.count() == 1


def test_the_api_is_scoped_audited_and_refuses_in_words(world: World) -> None:
    officer = world.user(Role.DEPARTMENT_OFFICER)
    _token, raw = api_token_create(
        actor=None, user=officer, name="sở", scopes=["admissions:read", "admissions:write"], expires_at=None
    )
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    today = timezone.localdate()
    body = {
        "unit": world.department.code,
        "name": "Tuyển sinh mầm non",
        "school_year": "2026-2027",
        "entry_grade": 0,
        "area_rule": "distance",
        "radius_km": 1.5,
        "groups": [{"label": "Gần trường", "rule": "in_area"}, {"label": "Còn lại", "rule": "any"}],
        **{k: dt.datetime.strptime(v, "%d/%m/%Y").date().isoformat() for k, v in _dates(today).items()},
    }
    created = api.post("/api/v1/admissions/campaigns", body, content_type="application/json")
    assert created.status_code == 201, created.content
    campaign_id = created.json()["id"]
    assert AuditEntry.objects.filter(object_type="admissions.campaign", action="create").exists()
    bad = api.patch(
        f"/api/v1/admissions/campaigns/{campaign_id}",
        {"confirm_deadline": "2000-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["error"]["fields"]["confirm_deadline"]
    assert api.get("/api/v1/admissions/campaigns").json()["count"] == 1
    assert api.get(f"/api/v1/admissions/campaigns/{campaign_id}/statistics").json()["applicants"] == 0
    assert api.get(f"/api/v1/admissions/campaigns/{campaign_id}/applications").json()["count"] == 0
    assert AuditEntry.objects.filter(action="export", object_type="admissions.applications").exists()
    # A principal's token reads nothing of the department's campaigns it may not see, and writes nothing.
    _t, raw_p = api_token_create(
        actor=None,
        user=world.user(Role.PRINCIPAL),
        name="trường",
        scopes=["admissions:read"],
        expires_at=None,
    )
    school = Client(HTTP_AUTHORIZATION=f"Bearer {raw_p}")
    assert (
        school.post("/api/v1/admissions/campaigns", body, content_type="application/json").status_code == 403
    )
    stranger = Client(HTTP_AUTHORIZATION=f"Bearer {raw_p}")
    assert stranger.get(f"/api/v1/admissions/campaigns/{campaign_id}").status_code in (200, 404)


def test_the_department_runs_and_publishes_in_the_background(
    world: World, ward: Any, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    campaign = campaign_of(world.department, [world.school_a], seats=1, today=today - dt.timedelta(days=6))
    apply(campaign, [world.school_a], ward=ward, today=today - dt.timedelta(days=6))
    client = sign_in(Client(), world.user(Role.DEPARTMENT_OFFICER))
    from giaoducso.core.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admissions:campaign_action", args=[campaign.pk, "run"]), {"seed": "công khai"}
        )
    job = Job.objects.get(kind="admissions_assign")
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    assert job.status == "succeeded" and job.progress == 100 and "công khai" in job.message
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admissions:campaign_action", args=[campaign.pk, "publish"]))
    campaign.refresh_from_db()
    assert campaign.state == "published" and Job.objects.get(kind="admissions_publish").status == "succeeded"


def test_home_cards_show_what_waits(world: World, ward: Any) -> None:
    from giaoducso.core.widgets import widgets_for

    campaign = campaign_of(world.department, [world.school_a, world.school_b])
    apply(campaign, [world.school_a], ward=ward)
    apply(campaign, [world.school_b], ward=ward)
    school = {w.key: w.context for w in widgets_for(world.user(Role.PRINCIPAL))}
    assert school["admissions.school_queue"]["rows"][0]["n"] == 1
    department = {w.key: w.context for w in widgets_for(world.user(Role.DEPARTMENT_OFFICER))}
    card = department["admissions.department_campaigns"]["campaigns"][0]
    assert card.n_applications == 2 and card.n_waiting == 2
    page = sign_in(Client(), world.user(Role.PRINCIPAL)).get(reverse("core:home"))
    assert "Hồ sơ tuyển sinh chờ xác minh" in page.content.decode()


def test_a_special_programme_that_assigns_after_the_general_campaign_frees_the_general_seats(
    world: World, ward: Any
) -> None:
    """The other order: the general campaign has placed everyone; the special programme's later run takes
    one child, whose general seat is released (audited), and the child it does not admit keeps theirs."""
    general = campaign_of(world.department, [world.school_a], seats=5)
    special = campaign_of(
        world.department,
        [world.school_b],
        seats=1,
        kind=CampaignKind.SPECIAL,
        general_campaign=general,
        name="Tích hợp tiếng Pháp",
    )
    one = apply(general, [world.school_a], ward=ward, name="Lý Thị Một")
    two = apply(general, [world.school_a], ward=ward, name="Lý Thị Hai")
    later = TODAY + dt.timedelta(days=6)
    services.assignment_run(actor=None, campaign=general, seed="g", today=later)
    assert set(Application.objects.filter(campaign=general).values_list("status", flat=True)) == {"assigned"}
    for child in (one, two):
        apply(special, [world.school_b], ward=ward, name=child.full_name, personal_id=child.personal_id)
    services.assignment_run(actor=None, campaign=special, seed="s", today=later)
    admitted = Application.objects.get(campaign=special, status="assigned")
    assert Application.objects.filter(campaign=special, status="unassigned").count() == 1
    in_general = {a.personal_id: a for a in Application.objects.filter(campaign=general)}
    released = in_general[admitted.personal_id]
    kept = next(a for pid, a in in_general.items() if pid != admitted.personal_id)
    assert released.status == "released" and "Tích hợp tiếng Pháp" in released.refusal_reason
    assert kept.status == "assigned" and kept.assigned_school_id == world.school_a.pk
    assert AuditEntry.objects.filter(
        object_type="admissions.application",
        object_id=str(released.pk),
        changes__status=["assigned", "released"],
    ).exists()


def test_a_correction_still_pending_at_the_run_lapses_and_the_record_is_used_as_it_stands(
    world: World, ward: Any
) -> None:
    campaign = campaign_of(world.department, [world.school_a], seats=2)
    child = apply(
        campaign,
        [world.school_a],
        ward=ward,
        address="12 Đường Số 3",
        data_confirmed=False,
        correction={"field": "address", "value": "15 Đường Khác", "note": ""},
        proof=SimpleUploadedFile("cu-tru.pdf", b"%PDF-1.4\n" + b"0" * 200, content_type="application/pdf"),
    )
    services.assignment_run(actor=None, campaign=campaign, seed="s", today=TODAY + dt.timedelta(days=6))
    child.refresh_from_db()
    correction = child.corrections.get()
    assert correction.status == CorrectionStatus.LAPSED and "như hiện có" in correction.reason
    assert child.status == "assigned" and child.address == "12 Đường Số 3"
    assert AuditEntry.objects.filter(
        object_type="admissions.correction", changes__status=["pending", "lapsed"]
    ).exists()
    with pytest.raises(ValidationError):
        services.correction_decide(actor=None, correction=correction, accept=True)

"""The parent's pages, as a browser sends them: identify, apply, receipt (HTML and PDF), refusals in
Vietnamese with nothing changed, CSRF and the rate limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giaoducso.admissions import services
from giaoducso.admissions.models import Application, Correction, Proof
from giaoducso.testing.admissions import campaign_of, child_id
from giaoducso.testing.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


@pytest.fixture
def campaign(world: World) -> Any:
    return campaign_of(world.department, [world.school_a, world.school_b], today=timezone.localdate())


def _identify(client: Client, campaign: Any, pid: str, day: str = "04/03/2020") -> Any:
    return client.post(
        reverse("admissions:apply_start", args=[campaign.pk]), {"personal_id": pid, "date_of_birth": day}
    )


def _form(world: World, ward: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "full_name": "Phạm Minh Khang",
        "address": "5 Đường Số 9",
        "ward": str(ward.pk),
        "guardian_name": "Phạm Văn Ba",
        "guardian_phone": "0912 345 678",
        "data_confirmed": "on",
        "choice_1": str(world.school_b.pk),
        "choice_2": str(world.school_a.pk),
    }
    data.update(extra)
    return data


def test_a_parent_applies_and_gets_a_receipt_and_its_pdf(world: World, campaign: Any, ward: Any) -> None:
    client = Client()
    assert client.get(reverse("admissions:public_index")).status_code == 200
    response = _identify(client, campaign, child_id(2020))
    assert response.status_code == 302 and response["Location"].endswith("/apply/form/")
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Nguyện vọng 1" in page.content.decode()
    response = client.post(reverse("admissions:apply_form", args=[campaign.pk]), _form(world, ward))
    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get()
    assert application.school_id == world.school_b.pk and application.guardian_phone == "0912345678"
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and application.code in receipt.content.decode()
    pdf = client.get(reverse("admissions:receipt_pdf", args=[application.code]))
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    # Another browser knows nothing of this code.
    assert Client().get(reverse("admissions:receipt", args=[application.code])).status_code == 404


def test_bad_input_is_told_in_vietnamese_and_changes_nothing(world: World, campaign: Any, ward: Any) -> None:
    client = Client()
    bad = _identify(client, campaign, "07932012345")
    assert bad.status_code == 400 and "12 chữ số" in bad.content.decode()
    mismatch = _identify(client, campaign, child_id(2020), "04/03/2019")
    assert mismatch.status_code == 400 and "không khớp" in mismatch.content.decode()
    _identify(client, campaign, child_id(2020))
    url = reverse("admissions:apply_form", args=[campaign.pk])
    outside = client.post(url, _form(world, ward, choice_1="999999"))
    assert outside.status_code == 400 and "Hãy chọn" in outside.content.decode()
    exe = SimpleUploadedFile(
        "khai-sinh.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, content_type="application/pdf"
    )
    renamed = client.post(
        url,
        _form(
            world,
            ward,
            data_confirmed="",
            correction_field="address",
            correction_value="7 Đường Khác",
            proof=exe,
        ),
    )
    assert renamed.status_code == 400 and "Nội dung tệp không phải loại được nhận" in renamed.content.decode()
    assert not Application.objects.exists() and not Correction.objects.exists() and not Proof.objects.exists()


def test_proof_over_the_limit_is_refused(world: World, campaign: Any, ward: Any, monkeypatch: Any) -> None:
    """The upload budget of admissions:apply_form: one byte past the limit is refused before anything is kept."""
    monkeypatch.setattr(services.applications, "PROOF_MAX_BYTES", 1000)
    client = Client()
    _identify(client, campaign, child_id(2020))
    url = reverse("admissions:apply_form", args=[campaign.pk])
    big = SimpleUploadedFile("khai-sinh.pdf", b"%PDF-1.4\n" + b"0" * 992, content_type="application/pdf")
    response = client.post(
        url,
        _form(
            world, ward, data_confirmed="", correction_field="address", correction_value="7 Đường", proof=big
        ),
    )
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()
    assert not Proof.objects.exists()
    ok = SimpleUploadedFile("khai-sinh.pdf", b"%PDF-1.4\n" + b"0" * 991, content_type="application/pdf")
    response = client.post(
        url,
        _form(
            world, ward, data_confirmed="", correction_field="address", correction_value="7 Đường", proof=ok
        ),
    )
    assert response.status_code == 302 and Proof.objects.get().size == 1000


def test_a_closed_campaign_refuses_with_a_clear_message(world: World) -> None:
    today = timezone.localdate()
    closed = campaign_of(
        world.department,
        [world.school_a],
        today=today - dt.timedelta(days=30),
    )
    response = _identify(Client(), closed, child_id(2020))
    assert response.status_code == 409 and "Đã hết thời gian nhận hồ sơ" in response.content.decode()


def test_public_posts_need_csrf_and_are_rate_limited(world: World, campaign: Any) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert _identify(strict, campaign, child_id(2020)).status_code == 403
    client = Client()
    statuses = [_identify(client, campaign, "123").status_code for _ in range(21)]
    assert statuses[:20] == [400] * 20 and statuses[20] == 429
    assert "quá nhiều lần" in _identify(client, campaign, "123").content.decode()
    # Another client is not slowed down.
    other = Client(REMOTE_ADDR="10.1.1.1")
    assert _identify(other, campaign, "123").status_code == 400


def test_result_page_and_confirmation(world: World, ward: Any) -> None:
    today = timezone.localdate()
    campaign = campaign_of(world.department, [world.school_a], today=today - dt.timedelta(days=6))
    from giaoducso.testing.admissions import apply

    application = apply(campaign, [world.school_a], ward=ward, today=today - dt.timedelta(days=6))
    services.assignment_run(actor=None, campaign=campaign, seed="s")
    services.campaign_publish(actor=None, campaign=campaign)
    client = Client()
    page = client.post(
        reverse("admissions:result"), {"code": application.code, "date_of_birth": "04/03/2020"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Xác nhận nhập học" in body and "Nguyễn T. B." in body
    confirmed = client.post(reverse("admissions:result_confirm"))
    assert confirmed.status_code == 302
    application.refresh_from_db()
    assert application.status == "confirmed"
    again = client.get(reverse("admissions:result"))
    assert "Đã xác nhận nhập học" in again.content.decode()
    listing = Client().get(reverse("admissions:school_list", args=[campaign.pk, world.school_a.code]))
    assert "Nguyễn T. B." in listing.content.decode() and "Nguyễn Thị Bé" not in listing.content.decode()

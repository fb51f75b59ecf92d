import datetime as dt

import pytest

from giaoducso.core.models import AuditEntry
from giaoducso.core.roles import Role
from giaoducso.core.tokens import api_token_create
from giaoducso.reporting.models import SiteCheck, SubmissionStatus, Website
from giaoducso.testing.factories import MembershipFactory, UserFactory

from .helpers import make_campaign

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 10, 20)


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def _bearer(world, scopes, role=Role.SCHOOL_IT, unit=None):
    user = UserFactory()
    MembershipFactory(user=user, unit=unit or world.school_a, role=role)
    _token, secret = api_token_create(actor=None, user=user, name="t", scopes=scopes, expires_at=None)
    return {"Authorization": f"Bearer {secret}"}, user


def test_register_a_site_and_read_its_last_check(client, world):
    headers, user = _bearer(world, ["assets:write", "assets:read"])
    response = client.post(
        "/api/v1/assets/sites",
        {"school": world.school_a.code, "url": "thcs-vanthan.hcm.edu.vn"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"] == "https://thcs-vanthan.hcm.edu.vn/"
    assert response.json()["is_official"] is True
    site = Website.objects.get()
    assert AuditEntry.objects.filter(
        object_type="reporting.website", object_id=str(site.pk), actor=user
    ).exists()
    check = SiteCheck.objects.create(website=site, valid=False, days_to_expiry=-3, error="Chứng chỉ hết hạn")
    Website.objects.filter(pk=site.pk).update(last_check=check)
    body = client.get("/api/v1/assets/sites", headers=headers).json()
    item = body["items"][0]
    assert item["url"] == "https://thcs-vanthan.hcm.edu.vn/"
    assert (item["last_check"]["valid"], item["last_check"]["days_to_expiry"]) == (False, -3)
    assert item["last_check"]["error"] == "Chứng chỉ hết hạn"
    again = client.post(
        "/api/v1/assets/sites",
        {"school": world.school_a.code, "url": "https://thcs-vanthan.hcm.edu.vn/"},
        content_type="application/json",
        headers=headers,
    )
    assert again.status_code == 409, again.json()
    assert again.json()["error"]["code"] == "duplicate"


def test_sites_need_their_scopes_and_reach_only_the_callers_schools(client, world):
    read_only, _user = _bearer(world, ["assets:read"])
    response = client.post(
        "/api/v1/assets/sites",
        {"school": world.school_a.code, "url": "https://a.edu.vn/"},
        content_type="application/json",
        headers=read_only,
    )
    assert response.status_code == 403
    writer, _user = _bearer(world, ["assets:write"])
    other = client.post(
        "/api/v1/assets/sites",
        {"school": world.school_b.code, "url": "https://b.edu.vn/"},
        content_type="application/json",
        headers=writer,
    )
    assert other.status_code == 404
    bad = client.post(
        "/api/v1/assets/sites",
        {"school": world.school_a.code, "url": "ftp://x y"},
        content_type="application/json",
        headers=writer,
    )
    assert bad.status_code == 422 and "url" in bad.json()["error"]["fields"]
    assert not Website.objects.exists()


def test_submission_deadline_lock_holds_in_the_api(client, world):
    campaign = make_campaign(world.department, [world.school_a], deadline=dt.date(2026, 10, 10))
    submission = campaign.submissions.get()
    headers, _user = _bearer(world, ["reporting:read", "reporting:write"], role=Role.PRINCIPAL)
    url = f"/api/v1/reporting/submissions/{submission.pk}"
    body = {"answers": {"so_may": 12}, "submit": True}
    response = client.put(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "locked"
    assert "Đã quá hạn nộp" in response.json()["error"]["message"]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED
    submission.extended_until = dt.date(2026, 10, 22)
    submission.save()
    response = client.put(url, body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted" and response.json()["late"] is True
    listed = client.get("/api/v1/reporting/campaigns", headers=headers).json()
    assert [c["id"] for c in listed["items"]] == [campaign.pk]


def test_api_refuses_bad_answers_with_fields(client, world):
    campaign = make_campaign(world.department, [world.school_a])
    submission = campaign.submissions.get()
    headers, _user = _bearer(world, ["reporting:write"], role=Role.PRINCIPAL)
    response = client.put(
        f"/api/v1/reporting/submissions/{submission.pk}",
        {"answers": {"so_may": 9000, "mang": "Vệ tinh"}, "submit": False},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert fields["so_may"] == ["«Số máy tính» không được lớn hơn 500."]
    assert fields["mang"] == ["«Loại mạng»: lựa chọn không có trong danh sách."]

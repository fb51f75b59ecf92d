import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from giaoducso.core.models import Notification
from giaoducso.core.roles import Role
from giaoducso.reporting.models import ExpiryWarning, SiteCheck, Website
from giaoducso.reporting.services import website_add
from giaoducso.reporting.services.sitechecks import check_sites

from .tls_server import https_server, make_ca, make_leaf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ca(tmp_path, settings):
    made = make_ca(tmp_path)
    settings.SITE_CHECK_CA_FILE = str(made[2])
    settings.SITE_CHECK_ALLOW_PRIVATE = True  # the test server is on the loopback address
    return made


def _leaf(tmp_path, ca, *, host="localhost", days_left=200, name="leaf"):
    now = dt.datetime.now(dt.UTC)
    return make_leaf(
        tmp_path,
        ca,
        host=host,
        not_before=now - dt.timedelta(days=30),
        not_after=now + dt.timedelta(days=days_left),
        name=name,
    )


def _check(world, cert, key):
    with https_server(cert, key) as port:
        site = website_add(actor=None, school=world.school_a, url=f"https://localhost:{port}/")
        out = StringIO()
        call_command("check_sites", stdout=out)
    site.refresh_from_db()
    return site, site.last_check, out.getvalue()


def test_valid_certificate(tmp_path, ca, world):
    _site, check, out = _check(world, *_leaf(tmp_path, ca, days_left=200))
    assert check.valid and check.chain_ok and check.host_match
    assert 198 <= check.days_to_expiry <= 200
    assert check.status_code == 200 and check.response_ms is not None
    assert check.error == ""
    assert "Đã kiểm tra 1 website: 1 hợp lệ" in out
    assert not ExpiryWarning.objects.exists()


def test_expired_certificate(tmp_path, ca, world):
    now = dt.datetime.now(dt.UTC)
    cert, key = make_leaf(
        tmp_path,
        ca,
        host="localhost",
        not_before=now - dt.timedelta(days=400),
        not_after=now - dt.timedelta(days=3),
        name="old",
    )
    _site, check, _out = _check(world, cert, key)
    assert not check.valid
    assert check.days_to_expiry < 0
    assert check.chain_ok is True and check.host_match is True
    assert "Chứng chỉ hết hạn ngày" in check.error


def test_wrong_host_name(tmp_path, ca, world):
    _site, check, _out = _check(world, *_leaf(tmp_path, ca, host="wrong.example", name="wrong"))
    assert not check.valid and check.host_match is False
    assert "không dành cho tên miền localhost" in check.error


def test_untrusted_chain(tmp_path, ca, world, settings):
    cert, key = _leaf(tmp_path, ca)
    settings.SITE_CHECK_CA_FILE = str(make_ca(_other(tmp_path))[2])  # another CA: ours is not trusted
    _site, check, _out = _check(world, cert, key)
    assert not check.valid and check.chain_ok is False
    assert "Chuỗi chứng chỉ không được tin cậy" in check.error


def test_warns_30_then_7_days_before_expiry_once_each(tmp_path, ca, world):
    cert, key = _leaf(tmp_path, ca, days_left=20)
    with https_server(cert, key) as port:
        site = website_add(actor=None, school=world.school_a, url=f"https://localhost:{port}/")
        check_sites()
        check_sites()  # the scheduler twice on one day: one warning
        assert list(ExpiryWarning.objects.values_list("days", flat=True)) == [30]
        later = timezone.now() + dt.timedelta(days=15)
        check_sites(now=later)
        check_sites(now=later)
    assert sorted(ExpiryWarning.objects.values_list("days", flat=True)) == [7, 30]
    assert SiteCheck.objects.filter(website=site).count() == 4
    titles = list(
        Notification.objects.filter(recipient=world.user(Role.PRINCIPAL)).values_list("title", flat=True)
    )
    assert len(titles) == 2 and all("hết hạn sau" in t for t in titles)


def test_private_addresses_are_not_probed_by_default(world, settings):
    settings.SITE_CHECK_ALLOW_PRIVATE = False
    Website.objects.create(school=world.school_a, url="https://127.0.0.1:9/")
    summary = check_sites()
    check = SiteCheck.objects.get()
    assert summary["invalid"] == 1 and "địa chỉ nội bộ" in check.error


def _other(tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    return folder

"""Counts read as Vietnamese write them (30.000), and a check with errors never shows as done (defects 10, 11)."""

import pytest
from django.urls import reverse
from django.utils import translation

from giaoducso.core.models import Job
from giaoducso.core.numbers import grouped
from giaoducso.core.roles import Role
from giaoducso.directory.importing import jobs as import_jobs
from giaoducso.directory.importing.report import ImportResult
from giaoducso.testing.auth import sign_in

pytestmark = pytest.mark.django_db


def test_counts_are_grouped_with_a_dot_in_vietnamese_and_a_comma_in_english():
    assert grouped(30000) == "30.000"
    assert grouped(999) == "999"
    with translation.override("en"):
        assert grouped(1234567) == "1,234,567"


def test_the_import_summary_groups_thousands():
    result = ImportResult(
        kind="students", file_name="hs.csv", rows=30000, new=12000, changed=0, unchanged=18000, dry_run=True
    )
    summary = result.summary()
    assert "30.000 dòng" in summary
    assert "12.000 mới" in summary and "18.000 không đổi" in summary


def _check(user, **result):
    return Job.objects.create(
        kind=import_jobs.CHECK_KIND,
        title="Kiểm tra",
        created_by=user,
        status="succeeded",
        params={"import_kind": "students", "file": "imports/x.csv", "file_name": "x.csv"},
        result={"data_rows": 30000, "new": 0, "changed": 0, "unchanged": 0, "warning_count": 0, **result},
    )


def test_a_check_that_found_errors_shows_as_errors_not_as_done(client, world):
    user = world.user(Role.PRINCIPAL)
    sign_in(client, user)
    job = _check(
        user, error_count=2, errors=[{"row": 2, "column": "ngay_sinh", "value": "x", "message": "Sai"}]
    )
    body = client.get(reverse("directory:import_status", args=[job.pk])).content.decode()
    assert "status-succeeded" not in body
    assert "status-failed" in body
    assert "Hoàn thành" not in body
    assert "30.000" in body


def test_a_clean_check_still_shows_as_done(client, world):
    user = world.user(Role.PRINCIPAL)
    sign_in(client, user)
    job = _check(user, error_count=0, new=30000)
    body = client.get(reverse("directory:import_status", args=[job.pk])).content.decode()
    assert "status-succeeded" in body and "Hoàn thành" in body

"""The main journey in a real browser: sign in, switch unit, run a background job, watch it finish."""

import os
import re

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from giaoducso.core import jobs
from giaoducso.core.models import Job, JobStatus, UnitKind
from giaoducso.core.roles import Role
from giaoducso.testing.factories import TEST_PASSWORD, MembershipFactory, UnitFactory, UserFactory

# Playwright's sync API keeps an event loop running in this thread; Django's ORM calls made by the test
# itself (setting up data, moving a job along) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]


@pytest.fixture
def page(live_server, monkeypatch):
    # Quick steps: the live server runs jobs in-process, inside the request that starts them.
    monkeypatch.setattr(jobs, "SYSTEM_CHECK_STEP_SECONDS", 0.05)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors: list[str] = []
        # CSP violations and failed scripts show up as console errors; the browser's own favicon probe
        # (we serve none) is the one 404 that says nothing about the page.
        page.on(
            "console",
            lambda msg: (
                errors.append(msg.text)
                if msg.type == "error" and "favicon" not in msg.location.get("url", "")
                else None
            ),
        )
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.console_errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


@pytest.fixture
def teacher_of_two_schools():
    department = UnitFactory(kind=UnitKind.DISTRICT_DEPARTMENT, code="PGDBR", name="Phòng GD&ĐT Thử")
    school_a = UnitFactory(code="BRA01", name="Trường THCS Lê Lợi", parent=department)
    school_b = UnitFactory(code="BRB02", name="Trường THCS Trần Phú", parent=department)
    teacher = UserFactory(username="gv_hai_truong", full_name="Nguyễn Thị Hai Trường")
    MembershipFactory(user=teacher, unit=school_a, role=Role.TEACHER)
    membership_b = MembershipFactory(user=teacher, unit=school_b, role=Role.TEACHER)
    return teacher, school_b, membership_b


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def test_sign_in_switch_unit_and_run_a_job(page, teacher_of_two_schools):
    teacher, school_b, membership_b = teacher_of_two_schools
    sign_in(page, teacher.username)

    page.select_option("#unit-switcher-select", str(membership_b.pk))
    page.locator("form.unit-switcher button[type=submit]").click()
    expect(page.locator("#unit-switcher-select option:checked")).to_contain_text(school_b.name)
    expect(page.locator(".messages")).to_contain_text(school_b.name)
    # The page's own scripts came from our server: htmx is there to poll.
    assert page.evaluate("typeof window.htmx") == "object"

    page.goto("/jobs/")
    page.locator("#start-system-check").click()
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))
    progress = page.locator(".job-progress progress")
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator(".job-percent")).to_have_text("100 %")
    expect(page.locator(".job-status")).to_have_text("Hoàn thành")
    expect(page.locator(".job-unit")).to_have_text(school_b.name)  # the unit chosen in the switcher
    job = Job.objects.get(created_by=teacher)
    assert job.status == JobStatus.SUCCEEDED
    assert page.console_errors == []


def test_progress_bar_polls_until_the_job_finishes(page, teacher_of_two_schools):
    teacher, _school_b, _membership_b = teacher_of_two_schools
    job = Job.objects.create(
        kind="system_check",
        title="Kiểm tra hệ thống",
        created_by=teacher,
        status=JobStatus.RUNNING,
        progress=30,
        message="Bước 2/5",
    )
    sign_in(page, teacher.username)
    page.goto(f"/jobs/{job.pk}/")
    progress = page.locator(".job-progress progress")
    expect(progress).to_have_attribute("value", "30")
    expect(page.locator(".job-status")).to_have_text("Đang chạy")

    # A worker elsewhere moves the job along; the page learns of it without being reloaded.
    Job.objects.filter(pk=job.pk).update(progress=70, message="Bước 4/5")
    expect(progress).to_have_attribute("value", "70")
    expect(page.locator(".job-message")).to_have_text("Bước 4/5")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress=100, message="Xong.")
    expect(progress).to_have_attribute("value", "100")
    expect(page.locator(".job-status")).to_have_text("Hoàn thành")
    # Finished: the partial no longer asks to be polled.
    expect(page.locator(".job-progress")).not_to_have_attribute("hx-trigger", re.compile(".*"))
    assert page.console_errors == []

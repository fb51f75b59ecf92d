"""The contact book on a phone (390 px): the demo parent signs in, opens the child's scores, sends a
message and asks a day of leave; the homeroom teacher approves it; the parent sees it approved. No page of
the journey scrolls sideways."""

import datetime as dt
import io
import os

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright

from giaoducso.core.demo import DEMO_PASSWORD
from giaoducso.core.models import User
from giaoducso.records.models import Absence, LeaveRequest, LeaveStatus, Message

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def browser(live_server):
    call_command(
        "seed_demo", "--schools", "4", "--students", "120", "--school-year", "2026", stdout=io.StringIO()
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _phone(browser, live_server, username: str) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()
    return page


def _fits(page: Page) -> None:
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, page.url


def _next_school_day() -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() == 6:
        day += dt.timedelta(days=1)
    return day


def test_parent_asks_leave_teacher_approves_on_a_phone(browser, live_server):
    parent_page = _phone(browser, live_server, "phuhuynh")
    parent_page.goto("/records/family/")
    expect(parent_page.locator("h1")).to_have_text("Sổ liên lạc")
    expect(parent_page.get_by_text("Điểm và nhận xét từng môn")).to_be_visible()
    expect(parent_page.get_by_text("ĐTB môn").first).to_be_visible()
    _fits(parent_page)

    parent_page.get_by_role("link", name="Nhắn tin").click()
    parent_page.fill("#msg-body", "Chào cô, mai cháu xin nghỉ buổi sáng ạ.")
    parent_page.get_by_role("button", name="Gửi").click()
    expect(parent_page.get_by_text("Chào cô, mai cháu xin nghỉ buổi sáng ạ.")).to_be_visible()
    _fits(parent_page)

    day = _next_school_day()
    parent_page.get_by_role("link", name="Chuyên cần, xin nghỉ").click()
    parent_page.fill("#leave-from", f"{day:%d/%m/%Y}")
    parent_page.select_option("#leave-sessions", "am")
    parent_page.fill("#leave-reason", "Cháu đi khám răng.")
    parent_page.get_by_role("button", name="Gửi đơn").click()
    expect(parent_page.get_by_text("Đã gửi đơn xin nghỉ")).to_be_visible()
    expect(parent_page.locator(".leave-pending, .leave-status").first).to_be_visible()
    _fits(parent_page)

    leave = LeaveRequest.objects.get(status=LeaveStatus.PENDING)
    assert Message.objects.filter(body__startswith="Chào cô, mai").exists()
    teacher_page = _phone(browser, live_server, "gvcn")
    teacher_page.goto(f"/records/classes/{leave.school_class_id}/contact/")
    card = teacher_page.locator(".leave-pending").filter(has_text="Cháu đi khám răng.")
    card.get_by_role("button", name="Duyệt", exact=True).click()
    expect(teacher_page.get_by_text("Đã duyệt đơn xin nghỉ")).to_be_visible()
    _fits(teacher_page)

    parent_page.reload()
    expect(parent_page.locator(".leave-approved").first).to_be_visible()
    assert Absence.objects.filter(student=leave.student, date=day, session="am", excused=True).exists()
    assert User.objects.get(username="phuhuynh").notifications.filter(kind="records_leave").exists()

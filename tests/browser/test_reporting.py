"""The reporting journey in a real browser: the department builds a small form, sends it to two schools,
one school submits, the board shows one submitted and one missing."""

import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect, sync_playwright

from giaoducso.core.models import UnitKind
from giaoducso.core.roles import Role
from giaoducso.testing.factories import TEST_PASSWORD, MembershipFactory, UnitFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]


@pytest.fixture
def browser_context(live_server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        contexts = []

        def new_page():
            context = browser.new_context(base_url=live_server.url, locale="vi-VN")
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.console_errors = errors  # type: ignore[attr-defined]
            return page

        yield new_page
        for context in contexts:
            context.close()
        browser.close()


def sign_in(page, user, device=None):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    if device is not None:
        page.wait_for_url("**/accounts/two-factor/**")
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        page.fill("#id_otp_token", code)
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".user-name")).to_be_visible()


def test_department_builds_sends_one_school_submits_board_counts(browser_context):
    department = UnitFactory(kind=UnitKind.DISTRICT_DEPARTMENT, code="PGDRP", name="Phòng GD&ĐT Thử")
    school_a = UnitFactory(code="RPA01", name="Trường THCS Lê Lợi", parent=department)
    school_b = UnitFactory(code="RPB02", name="Trường THCS Trần Phú", parent=department)
    officer = UserFactory(username="cv_baocao", full_name="Nguyễn Văn Báo Cáo")
    MembershipFactory(user=officer, unit=department, role=Role.DEPARTMENT_OFFICER)
    device = TOTPDevice.objects.create(user=officer, name="app", confirmed=True)
    school_it = UserFactory(username="it_leloi", full_name="Trần Thị Tin Học")
    MembershipFactory(user=school_it, unit=school_a, role=Role.SCHOOL_IT)
    MembershipFactory(user=UserFactory(username="it_tranphu"), unit=school_b, role=Role.SCHOOL_IT)

    page = browser_context()
    sign_in(page, officer, device)
    page.goto("/reporting/forms/")
    page.fill("#id_title", "Thống kê phòng máy")
    page.locator("button", has_text="Tạo biểu mẫu").click()
    expect(page.locator("h1")).to_have_text("Thống kê phòng máy")
    page.fill("#id_section", "Phòng máy")
    page.fill("#id_label", "Số máy tính")
    page.select_option("#id_type", "number")
    page.check("#id_required")
    page.fill("#id_min", "0")
    page.fill("#id_max", "300")
    page.locator("button", has_text="Thêm chỉ tiêu").click()
    expect(page.locator("table.data")).to_contain_text("so_may_tinh")
    page.fill("#id_label", "Có cáp quang")
    page.select_option("#id_type", "yesno")
    page.locator("button", has_text="Thêm chỉ tiêu").click()
    expect(page.locator("table.data")).to_contain_text("co_cap_quang")

    page.locator("a", has_text="Gửi biểu mẫu này cho các trường").click()
    page.fill("#id_title", "Thống kê phòng máy 2026")
    page.fill("#id_opens_on", "01/01/2026")
    page.fill("#id_deadline", "31/12/2099")
    page.select_option("#id_level", "all")
    page.locator("button", has_text="Gửi đợt báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi đợt báo cáo tới 2 trường")
    board_url = page.url

    school = browser_context()
    sign_in(school, school_it)
    school.goto("/reporting/")
    school.locator("a", has_text="Thống kê phòng máy 2026").first.click()
    school.fill("#id_f_so_may_tinh", "500")
    school.locator("button", has_text="Nộp báo cáo").click()
    expect(school.locator(".alert.error")).to_contain_text("«Số máy tính» không được lớn hơn 300.")
    school.fill("#id_f_so_may_tinh", "42")
    school.select_option("#id_f_co_cap_quang", "1")
    school.locator("button", has_text="Nộp báo cáo").click()
    expect(school.locator("#status")).to_have_text("Đã nộp")

    page.goto(board_url)
    expect(page.locator('li[data-state="submitted"]')).to_contain_text("1")
    expect(page.locator('li[data-state="missing"]')).to_contain_text("1")
    expect(page.locator("tr[data-state=submitted]")).to_contain_text(school_a.name)
    expect(page.locator("tr[data-state=missing]")).to_contain_text(school_b.name)
    expect(page.locator("svg.board-chart")).to_be_visible()
    expect(page.locator("table.data").last).to_contain_text("42")
    # The refused submission answered 422 on purpose; nothing else may complain (CSP, scripts).
    assert page.console_errors == []
    assert [e for e in school.console_errors if "status of 422" not in e] == []

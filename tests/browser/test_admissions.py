"""A parent's admission journey in a real browser, without an account: the child's identifier and date of
birth, the form, the receipt; then, once the department has assigned and published, the result and the
confirmation of enrolment."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from giaoducso.admissions import services
from giaoducso.admissions.models import Application
from giaoducso.core.models import UnitKind
from giaoducso.testing.admissions import campaign_of, child_id
from giaoducso.testing.factories import UnitFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign():
    province = UnitFactory(kind=UnitKind.PROVINCE_DEPARTMENT, code="SOBR", name="Sở GD&ĐT Thử")
    department = UnitFactory(
        kind=UnitKind.DISTRICT_DEPARTMENT, code="PGDTS", name="Phòng GD&ĐT Thử", parent=province
    )
    UnitFactory(kind=UnitKind.WARD, code="PXBR1", name="Phường Bến Thành", parent=province)
    school_a = UnitFactory(code="THBR1", name="Trường Tiểu học Lê Ngọc Hân", parent=department)
    school_b = UnitFactory(code="THBR2", name="Trường Tiểu học Kết Đoàn", parent=department)
    return campaign_of(department, [school_a, school_b], seats=5, today=timezone.localdate())


def test_a_parent_applies_then_confirms_the_seat(page, campaign):
    pid = child_id(2020)
    page.goto("/admissions/")
    page.get_by_role("link", name="Đăng kí tuyển sinh").first.click()
    page.fill("#id_personal_id", pid)
    page.fill("#id_date_of_birth", "04/03/2020")
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.get_by_role("heading", name="Hồ sơ đăng kí")).to_be_visible()
    page.fill("#id_full_name", "Trần Minh Khôi")
    page.fill("#id_address", "45 Lê Thánh Tôn")
    page.select_option("#id_ward", label="Phường Bến Thành")
    page.fill("#id_guardian_name", "Trần Văn Hùng")
    page.fill("#id_guardian_phone", "0903 123 456")
    page.select_option("#id_choice_1", label="Trường Tiểu học Kết Đoàn")
    page.select_option("#id_choice_2", label="Trường Tiểu học Lê Ngọc Hân")
    page.check("#id_data_confirmed")
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", name="Biên nhận hồ sơ tuyển sinh")).to_be_visible()
    code = page.locator("#application-code").inner_text().strip()
    application = Application.objects.get(code=code)
    assert application.full_name == "Trần Minh Khôi" and application.personal_id == pid
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biên nhận (PDF)").click()
    assert download.value.suggested_filename == f"bien-nhan-{code}.pdf"

    # The department assigns after the window and publishes (its own screens are tested elsewhere).
    services.assignment_run(
        actor=None, campaign=campaign, seed="công bố", today=campaign.apply_end + dt.timedelta(days=1)
    )
    services.campaign_publish(actor=None, campaign=campaign)

    page.goto("/admissions/result/")
    page.fill("#id_code", code)
    page.fill("#id_date_of_birth", "04/03/2020")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#result-status")).to_have_text("Trúng tuyển")
    expect(page.locator("#result")).to_contain_text("Trường Tiểu học Kết Đoàn")
    expect(page.locator("#result")).to_contain_text("Trần M. K.")
    page.get_by_role("button", name="Xác nhận nhập học").click()
    expect(page.locator("#result-status")).to_have_text("Đã xác nhận nhập học")
    application.refresh_from_db()
    assert application.status == "confirmed" and application.confirmed_at is not None
    assert page.console_errors == []  # type: ignore[attr-defined]

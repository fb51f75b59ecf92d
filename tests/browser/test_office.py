"""The e-office in a real browser: the school's văn thư finds an urgent document from the department in
its queue, opens it, registers it (arrival number), and drafts the reply to the department by ticking it
among the recipients; no console error (CSP holds: no inline script or style)."""

import os
import re

import pytest
from playwright.sync_api import expect

from giaoducso.core.roles import Role
from giaoducso.office.models import Document, Incoming
from giaoducso.office.tests.helpers import issued, setup_office
from giaoducso.testing.factories import TEST_PASSWORD
from giaoducso.testing.world import build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_registers_an_urgent_document_and_drafts_the_reply(page):
    world = build_world()
    setup_office(world)
    document = issued(world, urgency="hoa_toc", doc_type="CV", summary="Báo cáo gấp số liệu phòng máy")
    clerk = world.user(Role.SCHOOL_OFFICE)

    page.goto("/accounts/login/")
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Văn bản chờ xử lý")

    page.goto("/office/incoming/?status=pending")
    row = page.locator("tr.urgent", has_text=document.notation)
    expect(row).to_contain_text("HỎA TỐC")
    row.get_by_role("link", name=document.notation).click()
    page.get_by_role("button", name="Vào sổ văn bản đến").click()
    expect(page.locator(".messages")).to_contain_text("số đến 1")
    assert Incoming.objects.get(document=document).arrival_number == 1

    page.get_by_role("link", name="Soạn văn bản trả lời").click()
    page.select_option("#id_doc_type", "BC")
    page.fill("#id_summary", "Báo cáo số liệu phòng máy")
    page.fill("#id_body", "Nhà trường báo cáo như sau.")
    page.locator("details summary").click()
    page.get_by_label(world.department.name).check()
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page).to_have_url(re.compile(r"/office/documents/\d+/$"))
    reply = Document.objects.get(summary="Báo cáo số liệu phòng máy")
    assert reply.answers_id == Incoming.objects.get(document=document).pk
    assert list(reply.recipients.values_list("code", flat=True)) == [world.department.code]
    assert page.console_errors == []

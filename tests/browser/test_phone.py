"""On a phone (390 px wide): the menu folds behind a button and no page of it scrolls sideways."""

import io
import os

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from giaoducso.core.models import User
from giaoducso.core.navigation import navigation_for
from giaoducso.testing.auth import sign_in

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
# The demo's department IT officer (every department screen) and its principal (every school screen).
USERS = ["cntt.phong", "hieutruong"]


@pytest.fixture
def demo_district(live_server):
    call_command(
        "seed_demo", "--schools", "4", "--students", "120", "--school-year", "2026", stdout=io.StringIO()
    )


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def phone_page(browser, live_server, user):
    # Signed in through a test client (second factor included), the session handed to the browser.
    client = sign_in(Client(), user)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("username", USERS)
def test_no_page_of_the_main_menu_scrolls_sideways_on_a_phone(browser, live_server, demo_district, username):
    user = User.objects.get(username=username)
    page = phone_page(browser, live_server, user)
    too_wide = {}
    for item in navigation_for(user):
        page.goto(item["url"])
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            too_wide[item["url"]] = widths
    assert too_wide == {}


def test_the_menu_folds_behind_a_button_on_a_phone(browser, live_server, demo_district):
    page = phone_page(browser, live_server, User.objects.get(username="hieutruong"))
    page.goto(reverse("core:home"))
    toggle = page.locator(".nav-toggle")
    menu = page.locator("#main-nav-list")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    toggle.click()
    expect(menu).to_be_hidden()


def test_without_scripts_the_menu_stays_open(browser, live_server, demo_district):
    client = sign_in(Client(), User.objects.get(username="hieutruong"))
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, java_script_enabled=False
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(reverse("core:home"))
    expect(page.locator("#main-nav-list")).to_be_visible()
    expect(page.locator(".nav-toggle")).to_be_hidden()

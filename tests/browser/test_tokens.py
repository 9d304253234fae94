"""A contributor makes a personal access token with the keyboard, copies it with the button, and finds it
no more once they leave the page; the page with the secret reads on a phone and a desktop and is axe-clean
(the pages without it are walked by test_every_page)."""

from __future__ import annotations

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_every_page import AXE_OPTIONS, PAGE_CHECKS, VIEWPORTS

pytestmark = pytest.mark.browser

SECRET = re.compile(r"dft_[A-Za-z0-9_-]{40,}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_token_is_made_copied_and_never_shown_again(browser, live_url, demo_accounts, viewport):
    email, password = demo_accounts[("contributor", "CEMR")]
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport=VIEWPORTS[viewport])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)
    context.set_default_timeout(15_000)
    context.add_init_script(script=Axe().axe_script)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.goto("/account")
        page.get_by_role("link", name="Manage your tokens").click()
        page.get_by_label("Name").fill(f"Board report ({viewport})")
        page.get_by_label("Scope").select_option("write")
        assert not page.get_by_label("Last day of use").is_visible()  # until a date is the choice
        page.get_by_label("Expires after").select_option("date")
        assert page.get_by_label("Last day of use").is_visible()
        page.get_by_label("Expires after").select_option("90")
        page.get_by_label("Your current password").fill(password)
        with page.expect_navigation():
            page.get_by_label("Your current password").press("Enter")

        secret = page.get_by_label("Token", exact=True).input_value()
        assert SECRET.fullmatch(secret)
        assert page.get_by_text("it is shown this once and never again").is_visible()
        found = page.evaluate(PAGE_CHECKS, AXE_OPTIONS)
        assert not found["axe"] and not found["small"] and found["overflow"] <= 0, found
        if shots := os.environ.get("SCREENSHOTS"):
            page.screenshot(path=f"{shots}/token-created-{viewport}.png", full_page=True)

        # The copy button, from the keyboard: focus it and press Enter.
        button = page.get_by_role("button", name="Copy the token")
        button.focus()
        page.keyboard.press("Enter")
        page.get_by_text("Copied to the clipboard.").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == secret

        # Back on the list by its link (not a resent form): the token is there by its beginning only.
        page.goto("/account/tokens")
        assert secret not in page.content() and not SECRET.search(page.content())
        assert page.get_by_text(secret[:12] + "…").is_visible()
        if shots:
            page.screenshot(path=f"{shots}/token-list-{viewport}.png", full_page=True)
    finally:
        context.close()


def test_without_javascript_the_copy_button_is_not_offered(browser, live_url, demo_accounts):
    """A button that cannot work is not shown; the token is selected by hand from its field."""
    email, password = demo_accounts[("reviewer", "Metropolis")]
    context = browser.new_context(base_url=live_url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        page.goto("/account/tokens")
        assert page.get_by_label("Last day of use").is_visible()
        page.get_by_label("Name").fill("No script")
        page.get_by_label("Your current password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Create the token").click()
        assert SECRET.fullmatch(page.get_by_label("Token", exact=True).input_value())
        assert not page.get_by_role("button", name="Copy the token").is_visible()
    finally:
        context.close()

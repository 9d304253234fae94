"""A submission made with the keyboard only: logging in, reaching "New position", filling the form (which
opens with the focus on its title), ticking a theme with Space and submitting with Enter, then hearing
the message. No mouse click anywhere: if the focus order of a page makes a step unreachable, the test
fails."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MAX_TABS = 80

# What a screen reader would announce for the focused element, roughly: its label, else its own text.
FOCUSED_NAME = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return (label || e.getAttribute("aria-label") || e.innerText || e.value || "").trim();
}"""


def focused_name(page: Page) -> str:
    return page.evaluate(FOCUSED_NAME)


def tab_to(page: Page, name: str) -> int:
    """Press Tab until the element named `name` has the focus; return how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused_name(page) == name:
            return presses
    raise AssertionError(f"{name!r} cannot be reached with Tab within {MAX_TABS} presses")


def test_a_position_is_submitted_with_the_keyboard_only(page, live_url, demo_accounts):
    email, password = demo_accounts[("contributor", "UCLG Africa")]
    title = f"Keyboard-only position {uuid.uuid4().hex[:10]}"

    # Log in: the email field has the focus when the page opens.
    page.goto(f"{live_url}/login")
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/login" not in page.url

    # From the top of the page, Tab to the navigation's "New position" and follow it.
    tab_to(page, "New position")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="New position")).to_be_visible()

    # The form opens with the focus on its first field: type at once, then go field by field.
    expect(page.get_by_label("Title")).to_be_focused()
    page.keyboard.type(title)

    page.keyboard.press("Tab")
    expect(page.get_by_label("Milestone")).to_be_focused()
    # The milestone whose submission window is open (Round 2) is preselected: keep it.
    expect(page.get_by_label("Milestone").locator("option:checked")).to_contain_text(
        "Intergovernmental negotiations – Round 2 (submissions until")

    page.keyboard.press("Tab")
    first_theme = page.get_by_role("group", name="Themes").get_by_role("checkbox").first
    expect(first_theme).to_be_focused()
    page.keyboard.press("Space")
    expect(first_theme).to_be_checked()

    tab_to(page, "Language")
    page.keyboard.press("ArrowDown")  # English -> French
    expect(page.get_by_label("Language").locator("option:checked")).to_have_text("French")

    page.keyboard.press("Tab")
    expect(page.get_by_label("Summary")).to_be_focused()
    page.keyboard.type("Une position saisie au clavier.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Text", exact=True)).to_be_focused()
    page.keyboard.type("Les villes **accueillent** les personnes migrantes.\n\nDeuxième paragraphe.")

    tab_to(page, "Submit for review")
    expect(page.get_by_role("button", name="Submit for review")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The message has the focus, so a screen reader reads it and Tab goes on from there.
    expect(page.get_by_role("status").filter(has_text="Saved and submitted for review.")).to_be_focused()
    expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(page.locator("article header .stage")).to_have_text("Submitted")
    expect(page.get_by_role("link", name="Intergovernmental negotiations – Round 2")).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("accueillent")


def test_enter_in_a_field_saves_the_draft(page, live_url, log_in):
    """Enter in a text field submits the form with its first button: that must be "Save draft"."""
    log_in(page, "contributor", "CEMR")
    title = f"Saved with Enter {uuid.uuid4().hex[:10]}"
    page.goto(f"{live_url}/positions/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Title").press("Enter")
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_text("Draft saved.")).to_be_visible()

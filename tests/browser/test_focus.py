"""Where the focus is when a page opens (static/enhance.js): on the first field of a form page, on the
first field in error of a refused form, on the message after an action (so that a screen reader reads
it and the next Tab goes on from there); list pages start at the top as before.

The journeys count the Tab presses a keyboard user needs (printed with -s, for the issue's figures):
`tabs_until` presses Tab from wherever the page put the focus."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_review_flow import ROUND_2, choose_milestone

pytestmark = pytest.mark.browser

MAX_TABS = 120


def tabs_until(page: Page, found: str) -> int:
    """Tab presses until the JavaScript condition `found` (on `e`, the focused element) holds."""
    check = f"() => {{ const e = document.activeElement; return Boolean(e && ({found})); }}"
    for presses in range(MAX_TABS + 1):
        if page.evaluate(check):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{found!r} not reached within {MAX_TABS} Tab presses")


FOLLOWS_THE_MESSAGE = """(() => {
  const flash = document.querySelector('.flashes .flash');
  const focusable = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
    .filter(x => x.getClientRects().length && !x.disabled && x.tabIndex >= 0);
  const after = focusable.find(x => flash.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING);
  return e === after;
})()"""


def _a_new_position(page: Page, title: str) -> None:
    page.get_by_label("Title").fill(title)
    choose_milestone(page, ROUND_2)


def test_the_position_form_opens_on_its_first_field(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    home_to_link = tabs_until(page, "e.innerText && e.innerText.trim() === 'New position'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_be_focused()
    to_title = tabs_until(page, "e.id === 'title'")
    to_save = tabs_until(page, "e.name === 'save'")
    print(f"\nhome -> New position: {home_to_link} Tabs; form opened -> Title: {to_title} Tabs; "
          f"Title -> Save draft: {to_save} Tabs")
    assert to_title == 0


def test_after_saving_one_tab_reaches_the_control_after_the_message(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    page.goto(f"{live_url}/positions/new")
    _a_new_position(page, f"Focus after saving {uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name="Save draft").click()
    message = page.get_by_role("status").filter(has_text="Draft saved.")
    expect(message).to_be_focused()
    to_next = tabs_until(page, FOLLOWS_THE_MESSAGE)
    # Back to the form with the keyboard: Tab to "Edit", Enter, and the title has the focus again.
    to_edit = tabs_until(page, "e.innerText && e.innerText.trim() === 'Edit'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_be_focused()
    to_save = tabs_until(page, "e.name === 'save'")
    print(f"\nafter Save draft: message -> next control: {to_next} Tab; message -> Edit: {to_edit} Tabs; "
          f"edit form opened -> Save draft: {to_save} Tabs")
    assert to_next == 1


def test_a_refused_submit_puts_the_focus_on_the_first_field_in_error(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    page.goto(f"{live_url}/positions/new")
    _a_new_position(page, f"Focus on errors {uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name="Submit for review").click()
    themes = page.get_by_role("group", name="Themes")
    expect(themes.get_by_role("checkbox").first).to_be_focused()  # the first field in error
    page.keyboard.press("Space")
    to_text = tabs_until(page, "e.id === 'text'")
    page.keyboard.type("Now with a text.")
    to_save = tabs_until(page, "e.name === 'save'")
    print(f"\nrefused submit: first theme focused; -> Text: {to_text} Tabs; Text -> Save draft: {to_save} Tabs")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Draft saved.")).to_be_focused()


def test_reference_editing_opens_on_its_field_and_returns_to_the_message(page, live_url, log_in):
    log_in(page, "secretariat", "UCLG")
    page.goto(f"{live_url}/themes")
    page.get_by_role("link", name="Edit 23. International cooperation").click()
    expect(page.get_by_label("Short name", exact=True)).to_be_focused()
    page.get_by_label("Short name in French").fill("")
    page.get_by_label("Short name", exact=True).fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Short name", exact=True)).to_be_focused()  # the field in error
    page.keyboard.type("International cooperation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Saved: 23. International cooperation.")).to_be_focused()


def test_list_pages_start_at_the_top(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    for path in ("/positions", "/search?q=cities", "/"):
        page.goto(f"{live_url}{path}")
        assert page.evaluate("document.activeElement === document.body"), path
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()


def test_withdraw_then_restore_with_the_keyboard(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    page.goto(f"{live_url}/positions/new")
    _a_new_position(page, f"Withdrawn by keyboard {uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name="Save draft").click()
    to_withdraw = tabs_until(page, "e.innerText && e.innerText.trim() === 'Withdraw…'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Withdraw this position?")).to_be_focused()  # the question
    to_confirm = tabs_until(page, "e.innerText && e.innerText.trim() === 'Withdraw'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="The position is now Withdrawn")).to_be_focused()
    to_restore = tabs_until(page, "e.innerText && e.innerText.trim() === 'Restore'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("article header .stage")).to_have_text("Draft")
    print(f"\nwithdraw and restore: -> Withdraw…: {to_withdraw} Tabs; confirmation -> Withdraw: {to_confirm} Tabs; "
          f"-> Restore: {to_restore} Tabs")
    assert to_confirm == 1
    assert to_restore <= 3  # past the milestone and History links of the position's facts


def test_a_comment_added_keeps_the_focus_on_the_comments(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    page.goto(f"{live_url}/positions/new")
    _a_new_position(page, f"Commented {uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("textbox", name="Comment").fill("A note for my colleagues.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_role("region", name="Comments")).to_be_focused()
    expect(page.get_by_role("region", name="Comments")).to_contain_text("A note for my colleagues.")


def test_a_colleagues_newer_save_is_announced_and_focused(page, live_server, live_url, log_in):
    from sqlalchemy import select

    from drafting.extensions import db
    from drafting.models import CompactSection

    log_in(page, "secretariat", "UCLG")
    with live_server.app_context():
        section_id = db.session.scalar(select(CompactSection.id).where(CompactSection.order == 5))
    page.goto(f"{live_url}/sections/{section_id}/edit")
    with live_server.app_context():
        db.session.get(CompactSection, section_id).note = "Saved by a colleague meanwhile."
        db.session.commit()
        db.session.remove()
    page.get_by_label("Note", exact=True).fill("Mine.")
    page.get_by_role("button", name="Save").click()
    alert = page.get_by_role("alert").filter(has_text="Someone else saved a change while you were editing.")
    expect(alert).to_be_focused()
    expect(alert).to_contain_text("Saved by a colleague meanwhile.")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Mine.")

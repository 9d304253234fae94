"""Issue 9 in the browser: decisions reach the authors, nothing typed is lost, the preview.

Each journey counts the clicks it takes (printed with -s), for the issue's before/after figures."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_review_flow import ROUND_2, THEME, choose_milestone, log_out, main_nav, stage_badge

pytestmark = pytest.mark.browser


def _new_position(page: Page, title: str, text: str = "Cities deliver services to newcomers.") -> str:
    """A CEMR contributor drafts and submits a complete position; returns its URL."""
    main_nav(page).get_by_role("link", name="New position").click()
    page.get_by_label("Title").fill(title)
    choose_milestone(page, ROUND_2)
    page.get_by_role("group", name="Themes").get_by_label(THEME).check()
    page.get_by_label("Text", exact=True).fill(text)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Saved and submitted for review.")).to_be_visible()
    return page.url


def test_request_changes_reaches_the_author_at_the_top_and_in_the_notification(page, live_url, log_in):
    token = uuid.uuid4().hex[:8]
    title, reason = f"Housing first {token}", f"Cite paragraph 31(c), please ({token})."
    log_in(page, "contributor", "CEMR")
    position_url = _new_position(page, title)
    log_out(page)

    log_in(page, "reviewer", "Metropolis")
    page.goto(position_url)
    # Keyboard: Tab presses from the top of the page to the comment box (after the text).
    presses = 0
    while presses < 80:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.id") == "decision-comment":
            break
    review = page.get_by_role("region", name="Review")
    review.get_by_label("Reason for your decision (shared with the authors)").fill(reason)
    review.get_by_label("Internal note").fill(f"Internal only {token}")
    review.get_by_role("button", name="Request changes").click()  # 1 click: no "Start review", no visibility
    expect(stage_badge(page)).to_have_text("Changes requested")
    print(f"\nreviewer request-changes journey: 1 click; {presses} Tab presses from the top to the comment box")
    log_out(page)

    log_in(page, "contributor", "CEMR")
    page.goto(position_url)
    decision = page.get_by_role("region", name="Changes requested by")
    expect(decision).to_contain_text(reason)
    expect(page.get_by_text(f"Internal only {token}")).to_have_count(0)
    main_nav(page).get_by_role("link", name="Notifications").click()
    page.get_by_role("link", name=f"Changes requested: {title}").click()
    expect(page.locator(".mail-body")).to_contain_text(reason)
    expect(page.locator(".mail-body")).not_to_contain_text("Internal only")


def test_withdraw_confirm_then_restore(page, live_url, log_in):
    token = uuid.uuid4().hex[:8]
    log_in(page, "contributor", "CEMR")
    _new_position(page, f"To withdraw {token}")
    page.get_by_role("link", name="Withdraw…").click()
    expect(page.get_by_role("heading", name="Withdraw this position?")).to_be_visible()
    page.get_by_role("link", name="Keep it").click()
    expect(stage_badge(page)).to_have_text("Submitted")  # a wrong click changes nothing
    page.get_by_role("link", name="Withdraw…").click()
    page.get_by_role("button", name="Withdraw").click()
    expect(stage_badge(page)).to_have_text("Withdrawn")
    page.get_by_role("button", name="Restore").click()
    expect(stage_badge(page)).to_have_text("Draft")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()


def test_a_refused_submit_keeps_what_was_typed(page, live_url, log_in):
    token = uuid.uuid4().hex[:8]
    log_in(page, "contributor", "CEMR")
    main_nav(page).get_by_role("link", name="New position").click()
    page.get_by_label("Title").fill(f"Incomplete {token}")
    choose_milestone(page, ROUND_2)
    page.get_by_label("Summary").fill(f"A summary typed with care {token}")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("heading", name="New position")).to_be_visible()  # still on the form
    expect(page.get_by_label("Title")).to_have_value(f"Incomplete {token}")
    expect(page.get_by_label("Summary")).to_have_value(f"A summary typed with care {token}")
    expect(page.locator("#text-error")).to_have_text("Needed before submitting: a text or at least one amendment.")
    expect(page.get_by_role("group", name="Themes")).to_contain_text("Needed before submitting: at least one theme.")
    # Fix the two fields and submit: 2 clicks for the whole journey (before: Submit, Edit, Submit).
    page.get_by_role("group", name="Themes").get_by_label(THEME).check()
    page.get_by_label("Text", exact=True).fill("Now with a text.")
    page.get_by_role("button", name="Submit for review").click()
    expect(stage_badge(page)).to_have_text("Submitted")


def test_the_typed_text_comes_back_after_a_reload_until_saved(page, live_url, log_in):
    token = uuid.uuid4().hex[:8]
    log_in(page, "contributor", "CEMR")
    main_nav(page).get_by_role("link", name="New position").click()
    page.get_by_label("Title").fill(f"Survives a crash {token}")
    page.get_by_label("Text", exact=True).fill(f"Paragraph typed before the tab closed {token}.")
    page.get_by_role("group", name="Themes").get_by_label(THEME).check()
    page.wait_for_timeout(500)  # the draft is kept 300 ms after the last key
    page.evaluate("window.onbeforeunload = null")
    page.context.new_page().goto(f"{live_url}/positions/new")  # as if the browser had crashed and reopened
    page.close()
    again = page.context.pages[-1]
    expect(again.get_by_text("Restored what you typed here earlier")).to_be_visible()
    expect(again.get_by_label("Title")).to_have_value(f"Survives a crash {token}")
    expect(again.get_by_label("Text", exact=True)).to_have_value(f"Paragraph typed before the tab closed {token}.")
    expect(again.get_by_role("group", name="Themes").get_by_label(THEME)).to_be_checked()
    again.get_by_role("button", name="Save draft").click()
    expect(again.get_by_text("Draft saved.")).to_be_visible()
    again.goto(f"{live_url}/positions/new")  # saved: the local draft is gone
    expect(again.get_by_label("Title")).to_have_value("")
    expect(again.get_by_text("Restored what you typed here earlier")).to_be_hidden()


def test_leaving_a_form_with_unsaved_changes_asks_first(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    main_nav(page).get_by_role("link", name="New position").click()
    page.get_by_label("Title").fill("Not saved")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Milestones").click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    expect(page.get_by_label("Title")).to_have_value("Not saved")  # dismissed: still on the form


def test_preview_shows_the_servers_rendering(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    main_nav(page).get_by_role("link", name="New position").click()
    page.get_by_label("Text", exact=True).fill("# Housing\n\nCities **deliver**.\n\n<script>alert(1)</script>")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview: Text")
    expect(preview.locator("strong")).to_have_text("deliver")
    expect(preview.locator("h3")).to_have_text("Housing")
    expect(preview.locator("script")).to_have_count(0)
    expect(page.get_by_label("Text", exact=True)).to_be_hidden()
    page.get_by_role("button", name="Write").click()
    expect(page.get_by_label("Text", exact=True)).to_be_focused()


def test_the_home_page_says_what_needs_each_role(page, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    page.goto(live_url + "/")
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    expect(page.get_by_role("region", name="Your network's drafts")).to_contain_text("closes in")
    log_out(page)
    log_in(page, "secretariat", "UCLG")
    expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
    expect(page.get_by_role("region", name="Approved positions not yet compiled")).to_be_visible()

"""UCLG's joint proposal in the browser: the secretariat records a proposal with the keyboard only, from the
list of amended paragraphs to the saved proposal, and a network agrees with it; then how the pages look
on a phone and on a desk (screenshots kept in the test's folder)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import JointProposal, OutboxMessage, TextParagraph, TextRevision
from tests.browser.test_keyboard import focused_name, tab_to

pytestmark = pytest.mark.browser

# The demo's zero draft: paragraph 10 is amended by Metropolis only and has no joint proposal yet.
PARAGRAPH = "10"


def _paragraph_id(live_server) -> tuple[int, int]:
    with live_server.app_context():
        revision = db.session.scalar(select(TextRevision.id).where(TextRevision.name == "Zero draft"))
        paragraph = db.session.scalar(select(TextParagraph.id).where(TextParagraph.revision_id == revision,
                                                                     TextParagraph.number == PARAGRAPH))
        db.session.remove()
    return revision, paragraph


def _tab_to_prefix(page: Page, prefix: str) -> None:
    for _ in range(200):
        page.keyboard.press("Tab")
        if focused_name(page).startswith(prefix):
            return
    raise AssertionError(f"{prefix!r} not reached")


def test_the_secretariat_records_a_proposal_with_the_keyboard_and_a_network_agrees(page, live_url, live_server,
                                                                                  log_in):
    revision_id, paragraph_id = _paragraph_id(live_server)
    log_in(page, "secretariat", "UCLG")
    page.goto(f"{live_url}/text/{revision_id}/joint?state=none")
    # From the list, Tab to the paragraph's link and open it.
    tab_to(page, f"Paragraph {PARAGRAPH}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Joint proposal for paragraph {PARAGRAPH}")).to_be_visible()

    # Start from Metropolis's wording: the form opens filled with it.
    _tab_to_prefix(page, "Start from the wording of Metropolis")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    wording = page.get_by_label("UCLG's wording")
    expect(wording).to_have_value("We commit to ensure that every migrant has proof of legal identity and adequate "
                                  "documentation, issued free of charge by the competent authorities.")

    # Choose "modified" with the arrow keys, change the wording, give the reason and the outcome.
    page.get_by_label("One network's wording as it is").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("One network's wording, modified")).to_be_checked()
    wording.focus()
    page.keyboard.press("Control+End")
    page.keyboard.press("Backspace")  # the full stop
    page.keyboard.type(", where possible.")
    page.keyboard.press("Tab")
    expect(page.locator("#reason")).to_be_focused()
    page.keyboard.type("Free of charge is what cities ask; “where possible” is what Member States can accept.")
    tab_to(page, "What the proposal does with it")
    # Starting from the wording preselected "Taken into the joint proposal"; one down: "Taken in a modified form".
    expect(page.get_by_label("What the proposal does with it")).to_have_value("taken")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("What the proposal does with it")).to_have_value("modified")
    tab_to(page, "Record the proposal")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(".flash-success")).to_contain_text(
        "the networks concerned are asked to answer")
    expect(page.get_by_text("Not answered yet:")).to_be_visible()

    with live_server.app_context():
        proposal = db.session.scalar(select(JointProposal).where(JointProposal.paragraph_id == paragraph_id))
        assert proposal.choice == "modified" and proposal.text.endswith(", where possible.")
        asked = db.session.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.kind == "joint_proposal", OutboxMessage.dedupe_key.like(f"joint:{proposal.id}:1:%"))).all()
        assert asked and all("metropolis" in email for email in asked)
        db.session.remove()

    # Metropolis agrees, with the keyboard too.
    page.context.clear_cookies()
    log_in(page, "contributor", "Metropolis")
    page.goto(f"{live_url}/text/{revision_id}/paragraphs/{paragraph_id}/joint")
    page.get_by_label("Agree", exact=True).focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Agree", exact=True)).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the answer").press("Enter")
    expect(page.locator(".flash-success")).to_contain_text("Your network's answer is recorded.")
    expect(page.locator("main .tag.state-agreed").first).to_have_text("Agreed by all")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_joint_proposal_pages_at_phone_and_desk_widths(browser, live_url, live_server, demo_accounts, width,
                                                          tmp_path):
    with live_server.app_context():
        revision = db.session.scalar(select(TextRevision.id).where(TextRevision.name == "Zero draft"))
        paragraph = db.session.scalar(select(TextParagraph.id).where(TextParagraph.revision_id == revision,
                                                                     TextParagraph.number == "18"))
        db.session.remove()
    context = browser.new_context(base_url=live_url, locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        email, password = demo_accounts[("secretariat", "UCLG")]
        page.goto(f"{live_url}/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        for name, url in (("list", f"/text/{revision}/joint"),
                          ("paragraph", f"/text/{revision}/paragraphs/{paragraph}/joint")):
            page.goto(f"{live_url}{url}")
            assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
            folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
            page.screenshot(path=str(folder / f"joint-{name}-{width}.png"), full_page=True)
        for part in ("wordings", "answers", "proposal-form"):
            selector = ".wordings" if part == "wordings" else f"#{part}"
            page.locator(selector).screenshot(path=str(folder / f"joint-{part}-{width}.png"))
        wordings = page.locator(".wordings > li")
        boxes = [wordings.nth(i).bounding_box() for i in range(wordings.count())]
        lefts = {round(box["x"]) for box in boxes}
        # Side by side on a desk, stacked as cards on a phone.
        assert (len(lefts) == 1) == (width == 390), lefts
    finally:
        context.close()

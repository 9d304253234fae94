"""Issue 23, points 4 and 5 in a browser: Reject asks to confirm, showing the reason; "Propose an
amendment" beside a paragraph of the negotiated text opens the network's draft (or a new position)
with that paragraph picked and its proposed text ready to edit."""

from __future__ import annotations

import uuid

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Position, TextParagraph, Theme, User
from drafting.negotiated_text.revisions import published_revisions
from drafting.positions.operations import PositionContent, create_position
from drafting.positions.workflow import transition
from drafting.reference.snapshot import reference_names
from tests.browser.test_every_page import AXE_OPTIONS, PAGE_CHECKS

pytestmark = pytest.mark.browser



def _submitted_position(live_server, email: str, title: str) -> int:
    with live_server.app_context():
        author = db.session.query(User).filter_by(email=email).one()
        milestone = next(m for m in reference_names().milestones_taking_positions if "Round 2" in m.name)
        theme = db.session.query(Theme).filter_by(kind="objective", number=15).one()
        position = create_position(author, PositionContent(title=title, milestone_id=milestone.id,
                                                           text="Cities act.", theme_ids=[theme.id]))
        transition(position, "submit", author)
        return position.id


def test_reject_asks_to_confirm_showing_the_reason(page, live_server, live_url, log_in, demo_accounts):
    title = f"Out of scope {uuid.uuid4().hex[:8]}"
    position_id = _submitted_position(live_server, demo_accounts[("contributor", "CEMR")][0], title)
    log_in(page, "reviewer", "Metropolis")
    page.goto(f"{live_url}/positions/{position_id}")
    review = page.get_by_role("region", name="Review")
    review.get_by_label("Reason for your decision (shared with the authors)").fill("Beyond the compact's scope.")
    review.get_by_role("button", name="Reject").click()

    expect(page.get_by_role("heading", level=1, name="Reject this position?")).to_be_focused()
    expect(page.locator("main .reason")).to_have_text("Beyond the compact's scope.")
    # A page only a POST reaches, so not in test_every_page's walk: the same checks here.
    page.evaluate(Axe().axe_script)  # (an inline <script> would break the page's CSP)
    found = page.evaluate(PAGE_CHECKS, AXE_OPTIONS)
    assert not (found["cut"] or found["small"] or found["misaligned"] or found["axe"]), found
    assert found["overflow"] <= 0
    page.get_by_role("link", name="Back to the review").click()
    expect(page.locator("article header .stage")).to_have_text("Submitted")  # nothing changed

    review = page.get_by_role("region", name="Review")
    review.get_by_label("Reason for your decision (shared with the authors)").fill("Beyond the compact's scope.")
    review.get_by_role("button", name="Reject").click()
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("article header .stage")).to_have_text("Rejected")
    expect(page.get_by_role("region", name="Rejected by")).to_contain_text("Beyond the compact's scope.")
    with live_server.app_context():
        assert db.session.get(Position, position_id).stage == "rejected"


def test_propose_an_amendment_from_a_paragraph_of_the_text(page, live_server, live_url, log_in):
    log_in(page, "contributor", "CEMR")
    with live_server.app_context():
        revision_ids = [r.id for r in published_revisions()]
    link = None
    for revision_id in revision_ids:
        page.goto(f"{live_url}/text/{revision_id}")
        candidate = page.get_by_role("link", name="Propose an amendment to paragraph 7(b)")
        if candidate.count():
            link = candidate
            break
    assert link is not None, "no revision offers a proposal on paragraph 7(b)"
    # The paragraph as that revision words it (an earlier test may have published Rev 1, whose 7(b) differs).
    with live_server.app_context():
        quoted = db.session.scalar(select(TextParagraph.text).where(
            TextParagraph.revision_id == revision_id, TextParagraph.number == "7(b)"))
    assert quoted.startswith("Improve the comparability"), quoted
    link.click()  # one click from the paragraph to the form

    fieldsets = page.locator("fieldset.amendment")
    picked = fieldsets.filter(has=page.locator("option:checked", has_text="7(b) — Improve")).last
    expect(picked.get_by_label("Current text")).to_have_value(quoted)
    expect(picked.get_by_label("Proposed text")).to_have_value(quoted)
    expect(picked.get_by_label("Proposed text")).to_be_focused()
    page.keyboard.press("End")
    page.keyboard.type(", city by city")
    if page.get_by_label("Title").input_value() == "":
        page.get_by_label("Title").fill(f"From the text {uuid.uuid4().hex[:8]}")
    page.get_by_role("button", name="Save draft").click()
    amendments = page.get_by_role("region", name="Proposed amendments")
    expect(amendments.locator("ins").filter(has_text="city by city")).to_be_visible()

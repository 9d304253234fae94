"""After the next revision of the text is published, the contributor sees what became of the amendment:
the secretariat loads and publishes the revision, its page says the amendments are being re-anchored
(the worker does it), and the position page shows the status, linked to the paragraph."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Milestone, Theme, User

pytestmark = pytest.mark.browser

PARAGRAPH = "Improve the comparability of migration statistics between countries;"
PROPOSED = "Improve the comparability of migration statistics between countries, city by city;"


def _position_with_an_amendment(app, email: str, title: str) -> tuple[int, str]:
    """A CEMR draft amending paragraph 7(b) of the revision Round 2 amends; and that revision's text as
    the secretariat would paste it, with the proposal taken up."""
    from drafting.negotiated_text.revisions import current_revision
    from drafting.positions.operations import PositionContent, create_position

    with app.app_context():
        author = db.session.scalar(select(User).where(User.email == email))
        round_2 = db.session.scalar(select(Milestone).where(Milestone.name.contains("Round 2")))
        revision = current_revision(round_2)
        paragraph = next(p for p in revision.paragraphs if p.text == PARAGRAPH)
        theme = db.session.scalar(select(Theme).limit(1))
        position = create_position(author, PositionContent(
            title=title, milestone_id=round_2.id, text="Cities count.", theme_ids=[theme.id],
            amendments=[{"key": "city", "paragraph_id": paragraph.id, "kind": "replace",
                         "proposed_text": PROPOSED, "rationale": "Cities collect the first figures."}]))
        lines = []
        for p in revision.paragraphs:
            text = PROPOSED if p.id == paragraph.id else p.text
            if p.kind == "heading":
                lines.append(f"# {text}")
            elif "(" in p.number:
                lines.append(f"({p.number.split('(', 1)[1]} {text}")
            else:
                lines.append(f"{p.number}. {text}" if p.number else text)
        position_id = position.id
        db.session.remove()
    return position_id, "\n".join(lines)


def test_after_the_next_revision_the_contributor_sees_the_status(browser, live_server, live_url, demo_accounts,
                                                                 log_in):
    name = f"Rev {uuid.uuid4().hex[:6]}"
    email, _password = demo_accounts[("contributor", "CEMR")]
    position_id, text = _position_with_an_amendment(live_server, email, f"Statistics city by city {name}")

    secretariat = browser.new_context(base_url=live_url, locale="en-GB").new_page()
    secretariat.set_default_timeout(15_000)
    log_in(secretariat, "secretariat", "UCLG")
    secretariat.goto("/text/new")
    secretariat.get_by_label("Name").fill(name)
    # Dated and presented after every other revision, so that no round's positions amend it meanwhile.
    secretariat.get_by_label("Date").fill("2018-12-01")
    secretariat.get_by_label("Milestone").select_option(label="Adoption of the Global Compact on Migration")
    secretariat.get_by_label("Text").fill(text)
    secretariat.get_by_role("button", name="Preview").click()
    with secretariat.expect_navigation():
        secretariat.get_by_role("button", name="Publish").click()
    expect(secretariat.get_by_role("heading", name=name)).to_be_visible()
    expect(secretariat.get_by_role("status").filter(has_text=re.compile("Re-anchoring|re-anchored"))).to_be_visible()
    secretariat.context.close()

    contributor = browser.new_context(base_url=live_url, locale="en-GB").new_page()
    contributor.set_default_timeout(15_000)
    try:
        log_in(contributor, "contributor", "CEMR")
        statuses = contributor.locator("section[aria-labelledby=amendment-statuses-heading]")
        for _attempt in range(50):  # the worker follows the amendments within a moment
            contributor.goto(f"/positions/{position_id}")
            if statuses.count():
                break
            contributor.wait_for_timeout(200)
        expect(statuses.get_by_text("Taken up")).to_be_visible()
        expect(statuses.get_by_text(name)).to_be_visible()
        expect(statuses.get_by_role("link", name="7(b)")).to_have_attribute("href", re.compile(r"^/text/\d+#p-7-b$"))
        contributor.goto("/notifications")
        expect(contributor.get_by_text(f"{name}: what became of your amendments").first).to_be_visible()
    finally:
        contributor.context.close()

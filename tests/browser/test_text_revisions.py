"""The negotiated text end to end, as its users meet it: a contributor proposes an amendment by picking
a paragraph of the zero draft; the secretariat loads the next revision (pasted), checks the preview and
publishes it; the worker follows the amendments into it; the contributor is told, and the position page
shows what became of the proposal.

This file publishes the demo's Rev 1 on the shared live server (tied to Round 3, so that the earlier
rounds still amend the zero draft): it is named to run after the other browser tests."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from drafting.negotiated_text.demo import demo_text

pytestmark = pytest.mark.browser

PARAGRAPH_3 = ("No State can address migration alone; cooperation between States and with all levels of "
               "government is needed.")
PROPOSAL_3 = ("No State can address migration alone; cooperation between States and with local and regional "
              "authorities is needed.")


def choose(select, words: str) -> None:
    select.select_option(select.locator("option", has_text=words).first.get_attribute("value"))


def test_an_amendment_follows_the_text_into_the_next_revision(page, live_url, log_in):
    title = f"Local authorities in the preamble {uuid.uuid4().hex[:8]}"

    # 1. The contributor proposes new wording for paragraph 3 of the zero draft.
    log_in(page, "contributor", "CEMR")
    page.goto(f"{live_url}/positions/new")
    page.get_by_label("Title").fill(title)
    choose(page.get_by_label("Milestone"), "Round 2")
    page.get_by_role("button", name="Propose an amendment").click()
    fieldset = page.get_by_role("group", name="Amendment 1")
    fieldset.get_by_label("Find a paragraph").fill("alone")
    expect(fieldset.get_by_label("Current text")).to_have_value(PARAGRAPH_3)
    fieldset.get_by_label("Proposed text").fill(PROPOSAL_3)
    fieldset.get_by_label("Rationale").fill("Cities and regions are the level of government closest to migrants.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    position_url = page.url
    amendments = page.locator("section.amendments")
    expect(amendments.locator("ins")).to_have_text(["inserted words", "Inserted: local and regional authorities"])
    expect(amendments.locator("del")).to_have_text(["deleted words", "Deleted: all levels of government"])
    page.get_by_role("button", name=re.compile("Log out|Sign out")).click()

    # 2. The secretariat pastes Rev 1, reads the preview, publishes.
    log_in(page, "secretariat", "UCLG")
    page.get_by_role("link", name="Negotiated text").first.click()
    page.get_by_role("link", name="Load a revision").click()
    page.get_by_label("Name").fill("Rev 1")
    page.get_by_label("Date").fill("2018-03-26")
    choose(page.get_by_label("Milestone"), "Round 3")
    page.get_by_label("Text").fill(demo_text("revision_1"))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("section.preview")
    expect(preview).to_contain_text("21 numbered paragraphs")
    expect(preview).to_contain_text("We recognise that migrants arrive")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rev 1")

    # The worker follows every amendment anchored to the zero draft (the demo's and ours); the notice
    # updates itself (static/following.js), without a reload.
    done = page.get_by_text(re.compile(r"amendments re-anchored to this revision"))
    expect(done).to_be_visible(timeout=60_000)
    expect(done).to_contain_text("Taken up")
    page.get_by_role("button", name=re.compile("Log out|Sign out")).click()

    # 3. The contributor is told, and the position says what became of the proposal.
    log_in(page, "contributor", "CEMR")
    page.get_by_role("link", name=re.compile("Notifications")).first.click()
    message = page.get_by_role("link", name=re.compile(re.escape(title))).first
    expect(message).to_be_visible()
    page.goto(position_url)
    statuses = page.locator("table.amendment-statuses")
    row = statuses.get_by_role("row").filter(has_text="Paragraph 3")
    expect(row).to_contain_text("Taken up")
    expect(row).to_contain_text("Rev 1")
    expect(row.get_by_role("link", name="3")).to_have_attribute("href", re.compile(r"^/text/\d+#p-3$"))

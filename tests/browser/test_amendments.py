"""A contributor proposes an amendment by picking a paragraph of the negotiated text with the keyboard:
"Propose an amendment" adds the fieldset without reloading the page, the filter finds the paragraph by
its words, its text is quoted read-only and copied into "Proposed text", and the position page shows the
proposal as a change to the text."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PARAGRAPH = "Improve the comparability of migration statistics between countries;"


def focused_label(page) -> str:
    return page.evaluate("() => { const e = document.activeElement; "
                         "return e && e.labels && e.labels.length ? e.labels[0].innerText.trim() : ''; }")


def test_a_contributor_picks_a_paragraph_with_the_keyboard_without_a_reload(page, live_url, log_in):
    title = f"Data that counts cities {uuid.uuid4().hex[:8]}"
    log_in(page, "contributor", "CEMR")
    page.goto(f"{live_url}/positions/new")
    page.get_by_label("Title").fill(title)
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads

    page.get_by_role("button", name="Propose an amendment").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => window.sameDocument === true")
    fieldset = page.get_by_role("group", name="Amendment 1")
    expect(fieldset).to_be_visible()
    expect(fieldset.get_by_label("Find a paragraph")).to_be_focused()

    page.keyboard.type("comparability statistics")
    expect(fieldset.get_by_text("Paragraphs found: 1")).to_be_visible()
    page.keyboard.press("Tab")
    assert focused_label(page) == "Paragraph"
    expect(fieldset.get_by_label("Paragraph", exact=True).locator("option:checked")).to_contain_text("7(b) — Improve")
    expect(fieldset.get_by_label("Current text")).to_have_value(PARAGRAPH)
    expect(fieldset.get_by_label("Current text")).to_have_attribute("readonly", "")
    expect(fieldset.get_by_label("Proposed text")).to_have_value(PARAGRAPH)

    page.keyboard.press("Tab")
    assert focused_label(page) == "Kind"  # "Replace wording" is kept
    page.keyboard.press("Tab")
    assert focused_label(page) == "Current text"
    page.keyboard.press("Tab")
    assert focused_label(page) == "Proposed text"
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    page.keyboard.type(", city by city")
    page.keyboard.press("Tab")
    assert focused_label(page) == "Rationale"
    page.keyboard.type("Cities collect the first figures.")
    assert page.evaluate("() => window.sameDocument === true")

    # A second one by number: "Propose an amendment", 7 keys and Tab pick paragraph 7(b) again; Delete
    # needs no proposed text, and the field goes away.
    presses = 0
    page.get_by_role("button", name="Propose an amendment").focus()
    page.keyboard.press("Enter")
    second = page.get_by_role("group", name="Amendment 2")
    expect(second.get_by_label("Find a paragraph")).to_be_focused()
    page.keyboard.type("7(b)")
    page.keyboard.press("Tab")
    presses += 1 + len("7(b)") + 1
    expect(second.get_by_text("Paragraphs found: 1")).to_be_visible()
    expect(second.get_by_label("Current text")).to_have_value(PARAGRAPH)
    page.keyboard.press("Tab")
    page.keyboard.press("End")  # the last kind: Delete
    presses += 2
    expect(second.get_by_label("Kind").locator("option:checked")).to_have_text("Delete")
    expect(second.get_by_label("Proposed text")).to_be_hidden()
    print(f"\nkey presses to pick paragraph 7(b) and propose its deletion: {presses}")
    assert page.evaluate("() => window.sameDocument === true")

    page.get_by_role("button", name="Save draft").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    amendments = page.locator("section.amendments")
    expect(amendments.get_by_role("link", name="Paragraph 7(b)").first).to_have_attribute(
        "href", re.compile(r"^/text/\d+#p-7-b$"))
    expect(amendments.locator("ins")).to_contain_text([", city by city"])
    expect(amendments.get_by_text("Replace wording")).to_be_visible()
    expect(amendments.locator("del")).to_contain_text([PARAGRAPH])  # the deletion, struck through

"""The secretariat compiles Round 1's consolidated document in a browser, downloads it, and the Word file
holds what the approved positions say: chapters and sections as Word headings, every approved title,
Arabic paragraphs right to left. The positions then show the edition that includes them."""

from __future__ import annotations

import re
import time

import pytest
from docx import Document
from docx.oxml.ns import qn
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROUND_1 = "Intergovernmental negotiations - Round 1"
# The approved Round 1 positions of the demo data (drafting/positions/demo.py).
APPROVED_ROUND_1 = ["DEMO · L'inclusion commence au niveau local", "DEMO · بيانات محلية من أجل سياسات أفضل"]
ARABIC = re.compile(r"[\u0600-\u06FF]")


def wait_until_ready(page, edition_number: int, seconds: float = 120):
    """The editions page, reloaded as a person would, until the worker has prepared the edition."""
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=str(edition_number), exact=True))
    deadline = time.monotonic() + seconds
    while not row.get_by_text("Ready", exact=True).is_visible():
        assert not row.get_by_text("Failed", exact=True).is_visible(), row.inner_text()
        assert time.monotonic() < deadline, f"edition {edition_number} is not ready after {seconds} s"
        page.wait_for_timeout(500)
        page.reload()
    return row


def test_secretariat_compiles_downloads_and_the_positions_show_their_edition(page, live_url, log_in, tmp_path):
    log_in(page, "secretariat", "UCLG")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Milestones").click()
    page.get_by_role("link", name=ROUND_1).click()
    expect(page.get_by_role("heading", level=1, name=ROUND_1)).to_be_visible()
    page.get_by_role("link", name="Compile", exact=True).click()

    expect(page.get_by_role("heading", name="Compile an edition")).to_be_visible()
    going_in = page.get_by_role("table")
    for title in APPROVED_ROUND_1:
        expect(going_in.get_by_role("cell", name=title)).to_be_visible()
    page.get_by_role("button", name="Compile", exact=True).click()

    expect(page.get_by_role("heading", name="Editions", level=1)).to_be_visible()
    flash = page.get_by_text(re.compile(r"Edition \d+ of \d+ positions is being prepared"))
    expect(flash).to_be_visible()
    edition_number, count = (int(n) for n in re.findall(r"\d+", flash.inner_text())[:2])
    assert count >= len(APPROVED_ROUND_1)
    row = wait_until_ready(page, edition_number)
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    document = Document(str(saved))
    paragraphs = document.paragraphs
    styles = {p.style.name for p in paragraphs}
    assert {"Heading 1", "Heading 2"} <= styles, styles
    headings = {p.text for p in paragraphs if p.style.name.startswith("Heading ")}
    for title in APPROVED_ROUND_1:
        assert title in headings, f"{title!r} is not a heading of the compiled document"
    # The Arabic position's own paragraphs (not the table of contents, which follows the document's
    # direction) are right to left: its title, its summary, its body.
    arabic = [p for p in paragraphs if ARABIC.search(p.text) and not p.style.name.startswith("TOC")]
    assert {"Heading 2", "Numbered Paragraph"} <= {p.style.name for p in arabic}, \
        [(p.style.name, p.text) for p in arabic]
    left_to_right = [p.text for p in arabic if p._p.pPr is None or p._p.pPr.find(qn("w:bidi")) is None]
    assert not left_to_right, left_to_right

    # Each approved position now says which edition includes it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Milestone").select_option(label=ROUND_1)
    page.get_by_label("Stage").select_option(label="Included")
    page.get_by_role("button", name="Search", exact=True).click()
    for title in APPROVED_ROUND_1:
        page.get_by_role("table").get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", level=1, name=title)).to_be_visible()
        expect(page.locator("article header .stage")).to_have_text("Included")
        expect(page.get_by_text(f"Included in edition {edition_number}", exact=True)).to_be_visible()
        page.go_back()

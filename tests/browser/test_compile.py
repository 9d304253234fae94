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

from drafting.documents.render.words import typographic_quotes

pytestmark = pytest.mark.browser

ROUND_1 = "Intergovernmental negotiations – Round 1"
# The approved Round 1 positions of the demo data (drafting/demo_positions.py).
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
        title = typographic_quotes(title)  # headings print typographic apostrophes, as the rest of the document
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


def test_secretariat_compiles_the_text_with_proposed_amendments_by_keyboard(page, live_server, log_in, tmp_path):
    """The kind and the text revision chosen with the keyboard only; the revision field shows for that
    kind alone (static/compile.js, under the strict CSP); the Word file carries the amendment as a
    tracked change by its network."""
    import zipfile
    from datetime import date

    from sqlalchemy import select

    from drafting.extensions import db
    from drafting.models import Position, Revision, TextParagraph, User
    from drafting.negotiated_text.operations import publish_revision

    name = f"Keyboard draft {time.monotonic_ns()}"
    with live_server.app_context():
        secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
        # Dated long before the demo's text: it does not become any milestone's current revision.
        revision = publish_revision(name=name, issued_on=date(2017, 1, 2), milestone=None, source_filename="",
                                    structure="# Objective 1\n1. Cities count every resident.\n", by=secretariat)
        target = db.session.scalar(select(TextParagraph).where(TextParagraph.revision_id == revision.id,
                                                               TextParagraph.number == "1"))
        position = db.session.scalar(select(Position).where(Position.title == APPROVED_ROUND_1[0]))
        network = position.organisation.short_name
        current = db.session.scalar(select(Revision).where(Revision.position_id == position.id,
                                                           Revision.number == position.revision_number))
        current.amendments = [*(current.amendments or []), {
            "key": "kbd00001", "paragraph_id": target.id, "kind": "replace", "current_text": target.text,
            "proposed_text": "Cities and regions count every resident.", "rationale": "Keyboard test.",
            "paragraph": "1"}]
        position.amendments = current.amendments
        db.session.commit()
        revision_id = revision.id
        db.session.remove()

    log_in(page, "secretariat", "UCLG")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Milestones").click()
    page.get_by_role("link", name=ROUND_1).click()
    page.get_by_role("link", name="Compile", exact=True).click()
    expect(page.get_by_role("heading", name="Compile an edition")).to_be_visible()
    revision_field = page.get_by_label("Text revision")
    expect(revision_field).to_be_hidden()  # the consolidated kind is chosen: no revision to pick

    page.get_by_role("radio", name="Consolidated positions").focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Text with proposed amendments")).to_be_checked()
    expect(revision_field).to_be_visible()
    expect(page.get_by_label("Chapters")).to_be_hidden()
    page.keyboard.press("Tab")
    expect(revision_field).to_be_focused()
    page.keyboard.type("Keyboard draft")  # the list's own type-ahead
    expect(revision_field).to_have_value(str(revision_id))
    page.get_by_role("button", name="Compile", exact=True).focus()
    page.keyboard.press("Enter")

    flash = page.get_by_text(re.compile(r"Edition \d+ of \d+ positions is being prepared"))
    expect(flash).to_be_visible()
    edition_number = int(re.findall(r"\d+", flash.inner_text())[0])
    row = wait_until_ready(page, edition_number)
    expect(row.get_by_text("Text with proposed amendments")).to_be_visible()
    expect(row.get_by_text(name, exact=True)).to_be_visible()
    expect(row.get_by_text(f"{name} with the amendments proposed by local and regional governments")).to_be_visible()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    body = zipfile.ZipFile(saved).read("word/document.xml").decode()
    inserted = re.findall(rf'<w:ins [^>]*w:author="{re.escape(network)}"[^>]*>.*?</w:ins>', body)
    assert any("and regions" in change for change in inserted), inserted


def test_the_suggested_title_follows_the_document_language_and_a_written_title_stays(page, live_url, log_in):
    log_in(page, "secretariat", "UCLG")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Milestones").click()
    page.get_by_role("link", name=ROUND_1).click()
    page.get_by_role("link", name="Compile", exact=True).click()
    title = page.get_by_label("Title", exact=True)
    expect(title).to_have_value(f"Local and regional governments\u2019 positions: {ROUND_1}")
    language = page.get_by_label("Document language")
    language.select_option("fr")
    expect(title).to_have_value("Positions des gouvernements locaux et régionaux\u00a0: "
                                 "Négociations intergouvernementales – Série 1")  # the milestone in French too
    language.select_option("es")
    expect(title).to_have_value("Posiciones de los gobiernos locales y regionales: "
                                 "Negociaciones intergubernamentales – Ronda 1")
    # The field is as wide as the page's text, not the half-width column of the other fields.
    text_width = page.locator("main").bounding_box()["width"]
    assert title.bounding_box()["width"] > 0.8 * text_width
    assert page.get_by_label("Symbol").bounding_box()["width"] < 0.7 * text_width

    title.fill("Our own title")
    language.select_option("en")
    expect(title).to_have_value("Our own title")


def test_secretariat_compiles_the_uclg_joint_proposal_by_keyboard(page, live_server, log_in, tmp_path):
    """The fourth kind chosen with the keyboard: the revision field and the agreed-only option show for it
    (the option for it alone); the Word file carries the joint proposal as a change authored "UCLG"."""
    import os
    import zipfile
    from datetime import date

    from sqlalchemy import select

    from drafting.extensions import db
    from drafting.models import TextParagraph, User
    from drafting.negotiated_text.operations import publish_revision
    from tests.support.joint_rows import propose

    name = f"Joint draft {time.monotonic_ns()}"
    with live_server.app_context():
        secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
        revision = publish_revision(name=name, issued_on=date(2017, 1, 3), milestone=None, source_filename="",
                                    structure="# Objective 1\n1. Cities count every resident.\n", by=secretariat)
        target = db.session.scalar(select(TextParagraph).where(TextParagraph.revision_id == revision.id,
                                                               TextParagraph.number == "1"))
        propose(target, secretariat, choice="modified", text="Cities and regions count every resident.",
                reason="Regions hold the registers.")
        db.session.commit()
        revision_id = revision.id
        db.session.remove()

    log_in(page, "secretariat", "UCLG")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Milestones").click()
    page.get_by_role("link", name=ROUND_1).click()
    page.get_by_role("link", name="Compile", exact=True).click()
    agreed_only = page.get_by_label("Only the joint proposals every network concerned agreed to")
    expect(agreed_only).to_be_hidden()
    page.get_by_role("radio", name="Consolidated positions").focus()
    page.keyboard.press("ArrowDown")
    expect(agreed_only).to_be_hidden()  # the text with proposed amendments: not its option
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Table of proposals")).to_be_checked()
    expect(agreed_only).to_be_hidden()  # nor the table's
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="UCLG joint proposal")).to_be_checked()
    revision_field = page.get_by_label("Text revision")
    expect(revision_field).to_be_visible()
    expect(agreed_only).to_be_visible()
    expect(page.get_by_label("Chapters")).to_be_hidden()
    revision_field.select_option(str(revision_id))
    if os.environ.get("JOINT_SCREENSHOTS"):
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"{os.environ['JOINT_SCREENSHOTS']}/compile-joint-{width}.png", full_page=True)
    page.get_by_role("button", name="Compile", exact=True).focus()
    page.keyboard.press("Enter")

    flash = page.get_by_text(re.compile(r"Edition \d+ of \d+ positions is being prepared"))
    expect(flash).to_be_visible()
    edition_number = int(re.findall(r"\d+", flash.inner_text())[0])
    row = wait_until_ready(page, edition_number)
    expect(row.get_by_text("UCLG joint proposal")).to_be_visible()
    expect(row.get_by_text(f"{name} with UCLG’s joint proposals")).to_be_visible()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="Download").click()
    assert download_info.value.suggested_filename.endswith("-uclg-joint-proposal.docx")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    body = zipfile.ZipFile(saved).read("word/document.xml").decode()
    assert set(re.findall(r'<w:(?:ins|del) [^>]*w:author="([^"]*)"', body)) == {"UCLG"}
    assert "and regions" in "".join(re.findall(r"<w:ins [^>]*>.*?</w:ins>", body))

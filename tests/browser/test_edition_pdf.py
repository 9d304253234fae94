"""The secretariat compiles an edition in French, waits while the worker prepares it (LibreOffice through
the tests' unoserver), and downloads both files: the Word file and its PDF, both in French."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from .test_compile import ROUND_1, wait_until_ready

pytestmark = [pytest.mark.browser, pytest.mark.office]


@pytest.fixture
def with_libreoffice(live_server, unoserver_config):
    """The live server's worker reaches the tests' unoserver (read by each job, at run time)."""
    before = {key: live_server.config.get(key) for key in unoserver_config}
    live_server.config.update(unoserver_config)
    yield
    live_server.config.update(before)


def test_an_edition_in_french_comes_with_its_pdf(page, live_url, log_in, tmp_path, with_libreoffice):
    log_in(page, "secretariat", "UCLG")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Milestones").click()
    page.get_by_role("link", name=ROUND_1).click()
    page.get_by_role("link", name="Compile", exact=True).click()
    page.get_by_label("Document language").select_option(label="French")
    symbol = page.get_by_label("Symbol").input_value()
    page.get_by_role("button", name="Compile", exact=True).click()

    flash = page.get_by_text(re.compile(r"Edition \d+ of \d+ positions is being prepared"))
    expect(flash).to_be_visible()
    number = int(re.findall(r"\d+", flash.inner_text())[0])
    row = wait_until_ready(page, number, seconds=240)

    with page.expect_download() as word:
        row.get_by_role("link", name="Download").click()
    with page.expect_download() as pdf:
        row.get_by_role("link", name="PDF", exact=True).click()
    assert word.value.suggested_filename.endswith(".docx") and pdf.value.suggested_filename.endswith(".pdf")
    word_path, pdf_path = tmp_path / "edition.docx", tmp_path / "edition.pdf"
    word.value.save_as(word_path)
    pdf.value.save_as(pdf_path)

    document = Document(str(word_path))
    texts = [p.text for p in document.paragraphs]
    assert symbol in texts and "Distr. générale" in texts  # the first page, in French
    contents = [p for p in document.paragraphs if re.fullmatch(r"TOC \d", p.style.name)]
    assert contents and all(re.search(r"\t\d+$", p.text) for p in contents), "the contents list has its pages"

    pages = len(PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    last = int(re.search(r"(\d+)$", contents[-1].text).group(1))
    assert 1 < last <= pages
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf_path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert symbol in cover and "Distr. générale" in cover and "Page 1" not in cover

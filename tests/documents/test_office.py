"""Editions through LibreOffice (one unoserver for the session): the PDF, and the contents list's page
numbers taken from LibreOffice's own layout of the same file, in one load of it."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from drafting.documents.editions import compile_edition, retry_preparation
from drafting.documents.jobs.preparation import prepare_edition
from drafting.documents.jobs.tasks import resume_lost_preparations
from drafting.documents.naming import CompileOptions
from drafting.documents.office import contents_pages as pagination
from drafting.documents.office import unoserver as office
from drafting.documents.uploads import attach_annex
from drafting.extensions import db
from drafting.models import Edition, StageEvent
from drafting.models.documents import PREPARATION_LOST_AFTER
from tests.support.worker import queued_jobs, run_queued_jobs

from ..conftest import BACKENDS, base_config, milestone
from .conftest import compile_ready, headings, open_docx, prepared, w, word_file, xml_of

pytestmark = pytest.mark.office


@pytest.fixture
def backend():
    """The files do not depend on the database: convert them on SQLite only."""
    return "sqlite"


@pytest.fixture
def app_config(backend, unoserver_config):
    return base_config(BACKENDS[backend], **unoserver_config, UNOSERVER_TIMEOUT=240)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx_bytes: bytes, tmp_path: Path) -> Path:
    """A plain `soffice --convert-to pdf`, one process for one file: for tests of the builder alone."""
    if SOFFICE is None:
        pytest.fail("LibreOffice (soffice) is not installed: `make test` installs libreoffice-writer-nogui")
    source = tmp_path / "edition.docx"
    source.write_bytes(docx_bytes)
    result = subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False,
    )
    pdf = tmp_path / "edition.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000, f"LibreOffice did not convert: {result.stdout}{result.stderr}"
    return pdf


def pdf_text(pdf: bytes, page: int) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                            capture_output=True, check=True, timeout=60)
    return re.sub(r"\s+", " ", result.stdout.decode())


def contents_list(data: bytes) -> list[tuple[str, int | None]]:
    """Each entry of the Word file's contents list: its text and the page number printed after it."""
    rows = []
    for paragraph in xml_of(data).iter(w("p")):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        if style is None or not re.fullmatch(r"TOC ?\d", style.get(w("val"), "")):
            continue
        before, after = "", None  # the page number is what follows the entry's (last) tab
        for node in paragraph.iter(w("t"), w("tab")):
            if node.getparent().tag == w("tabs"):
                continue  # a tab stop of the paragraph's properties, not a tab in its text
            if node.tag == w("tab"):
                before, after = before + (after or ""), ""
            elif after is None:
                before += node.text or ""
            else:
                after += node.text or ""
        number = (after or "").strip()
        rows.append((before.strip(), int(number) if number.isdigit() else None))
    return rows


def assert_sound_edition(edition: Edition, cover_words: str, sample: int = 6) -> None:
    """What a reader of the PDF and of the Word file relies on."""
    assert edition.state == "ready", edition.failure_reason
    assert edition.pdf_data.startswith(b"%PDF") and edition.pdf_size == len(edition.pdf_data)
    assert edition.pdf_sha256 == hashlib.sha256(edition.pdf_data).hexdigest()
    assert edition.sha256 == hashlib.sha256(edition.data).hexdigest()
    page_count = len(PdfReader(io.BytesIO(edition.pdf_data)).pages)
    entries = contents_list(edition.data)
    numbers = [number for _text, number in entries]
    assert entries and None not in numbers, "every entry of the contents list has its page"
    assert numbers == sorted(numbers) and numbers[0] > 1 and numbers[-1] <= page_count
    # The numbers are LibreOffice's own: each sampled heading is on the page its entry names.
    step = max(1, len(entries) // sample)
    for text, number in [*entries[::step], entries[-1]]:
        page = pdf_text(edition.pdf_data, number)
        # Word by word: pdftotext marks right-to-left runs with embedding characters.
        assert all(word in page for word in re.findall(r"\w{3,}", text)[:5]), f"{text!r} is not on page {number}"
    cover = pdf_text(edition.pdf_data, 1)
    assert cover_words in cover
    assert "Page 1 of" not in cover, "the cover carries no running header or footer"


def test_an_edition_with_arabic_comments_and_an_annex_gets_a_pdf_and_numbered_contents(
        app, make_position, make_user, section):
    amendment = {"section_id": section(4).id, "paragraph": "31(c)", "current_text": "Now.",
                 "proposed_text": "Local governments too.", "rationale": "Cities."}
    make_position("approved", org="UCLG-MEWA", title="المدن ترحب بالقادمين", language="ar",
                  text="السلطات المحلية **تقدم** الخدمات.\n\n1. السكن\n2. الصحة", amendments=[amendment])
    english = make_position("approved", org="CEMR", title="Housing", text="# Why\n\nCities *house* people.",
                            amendments=[dict(amendment)])
    attach_annex(english, english.created_by, "costs.docx", word_file("Annex costs.", comment="Check this"))
    from drafting.models import Comment

    db.session.add(Comment(position=english, author=make_user("reviewer", "CEMR"), body="Well argued.",
                           visibility="shared", revision_number=1))
    db.session.commit()
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"),
                            CompileOptions(title="Cities and migration", preface="To the co-facilitators.",
                                           review_comments=True))
    assert_sound_edition(edition, "Cities and migration")
    assert "Annex costs." in "".join(pdf_text(edition.pdf_data, n) for n in range(1, edition_pages(edition) + 1))


def edition_pages(edition: Edition) -> int:
    return len(PdfReader(io.BytesIO(edition.pdf_data)).pages)


def test_the_demo_data_editions_get_their_pdf(app):
    """The demo set of `make run`: its zero-draft edition, and a Round 1 edition with every option."""
    from drafting.demo import load_demo
    from drafting.models import User

    load_demo()
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    zero = prepared(db.session.scalar(select(Edition).where(Edition.number == 1)))
    round1 = compile_ready(milestone("Round 1"), secretariat,
                           CompileOptions(preface="**Note.** Demo.", review_comments=True))
    for edition in (zero, round1):
        assert_sound_edition(edition, edition.title[:30])
        assert headings(open_docx(edition.data), 2)


def test_a_large_generated_set_gets_its_pdf_with_every_heading_on_its_page(app, make_user, section):
    from tests.support.seed import seed_approved_positions

    seed_approved_positions(200, milestone("Round 2"), section)
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"), CompileOptions(title="Generated set"))
    assert_sound_edition(edition, "Generated set", sample=12)
    assert len(contents_list(edition.data)) > 200


def test_libreoffice_down_fails_the_edition_and_retry_finishes_it(app, make_position, make_user):
    position = make_position("approved", org="CEMR", title="Housing")
    secretariat = make_user("secretariat")
    running = app.config["UNOSERVER_URL"]
    app.config["UNOSERVER_URL"] = "http://127.0.0.1:9"  # nothing listens there
    edition = compile_ready(milestone("Round 2"), secretariat, CompileOptions())
    assert edition.state == "failed" and edition.failure_reason == "office"
    assert edition.data is None and edition.pdf_data is None and position.stage == "approved"

    app.config["UNOSERVER_URL"] = running
    assert retry_preparation(edition) and edition.state == "preparing"
    edition = prepared(edition)
    assert edition.state == "ready" and edition.pdf_data.startswith(b"%PDF")
    db.session.refresh(position)
    assert position.stage == "included"


def test_a_worker_killed_half_way_leaves_no_half_edition_and_the_job_runs_again(app, make_position, make_user,
                                                                               monkeypatch):
    position = make_position("approved", org="CEMR", title="Housing")
    edition = compile_edition(milestone("Round 2"), make_user("secretariat"), CompileOptions())
    real = office.to_pdf_with_contents

    def killed_after_the_conversion(document, **kwargs):
        real(document, **kwargs)
        raise KeyboardInterrupt  # what a killed worker leaves: nothing after this point runs

    monkeypatch.setattr(office, "to_pdf_with_contents", killed_after_the_conversion)
    run_queued_jobs(app)  # the worker takes the job off the queue, and is stopped in the middle of it
    assert queued_jobs(app) == []
    db.session.rollback()
    db.session.expire_all()
    half = db.session.get(Edition, edition.id)
    assert half.state == "preparing" and half.data is None and half.pdf_data is None
    assert db.session.get(type(position), position.id).stage == "approved"

    # The lost job is queued again once it has been preparing too long, and the worker finishes it.
    monkeypatch.setattr(office, "to_pdf_with_contents", real)
    half.queued_at = half.queued_at - PREPARATION_LOST_AFTER
    db.session.commit()
    resume_lost_preparations.call_local()
    assert queued_jobs(app) == ["prepare_edition_task"]
    run_queued_jobs(app)
    db.session.expire_all()
    finished = db.session.get(Edition, edition.id)
    assert finished.state == "ready"
    stored = (finished.sha256, finished.pdf_sha256)
    assert prepare_edition(edition.id) == "ready"  # a second run of a ready edition changes nothing
    db.session.expire_all()
    again = db.session.get(Edition, edition.id)
    assert (again.sha256, again.pdf_sha256) == stored
    assert db.session.scalar(select(func.count()).select_from(StageEvent)
                             .where(StageEvent.action == "include")) == 1


def test_a_french_edition_with_annexes_numbers_each_annex_on_its_own_page(app, make_position, make_user):
    """French annex headings carry a no-break space before ":"; their contents entries still get the
    pages LibreOffice puts them on."""
    first = make_position("approved", org="CEMR", title="Logement", language="fr", text="Les villes logent.")
    second = make_position("approved", org="UCLG", title="Santé", language="fr", text="Les villes soignent.")
    attach_annex(first, first.created_by, "couts.docx", word_file("Annexe des coûts.", *["Ligne."] * 60))
    attach_annex(second, second.created_by, "sante.docx", word_file("Annexe santé.", *["Ligne."] * 60))
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"),
                            CompileOptions(title="Les villes et les migrations", language="fr"))
    assert_sound_edition(edition, "Les villes et les migrations", sample=1)
    annexes = [(text, page) for text, page in contents_list(edition.data) if "couts" in text or "sante" in text]
    assert len(annexes) == 2 and annexes[0][1] < annexes[1][1], annexes
    for text, page in annexes:
        assert ("couts" if "couts" in text else "sante") in pdf_text(edition.pdf_data, page)


def pdf_contents_numbers(pdf: bytes, count: int) -> list[int]:
    """The page numbers printed at the end of the PDF's contents entries (after the dot leaders), in
    order: the first `count` of them, from page 2 on."""
    numbers: list[int] = []
    page = 2
    while len(numbers) < count and page <= len(PdfReader(io.BytesIO(pdf)).pages):
        lines = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-", "-"], input=pdf,
                               capture_output=True, check=True, timeout=60).stdout.decode().splitlines()
        numbers += [int(m.group(1)) for line in lines if (m := re.search(r"\.{4,}\s*(\d+)\s*$", line))]
        page += 1
    return numbers[:count]


@pytest.mark.parametrize("channel", ["uno", "xml-rpc"])
def test_one_load_of_libreoffice_numbers_the_contents_of_the_word_file_and_of_the_pdf_alike(
        app, make_position, make_user, monkeypatch, channel):
    """LibreOffice is asked once per preparation: it lays the file out, updates the contents list and
    exports the PDF from that one load; the Word file carries the same numbers, each heading's page.
    Through the UNO port (`uno_export.py`, which reports the pages it wrote: the PDF is not read for
    them), or unoserver's XML-RPC alone where no UNO port is set (the pages read from the PDF's outline)."""
    if channel == "xml-rpc":
        app.config["UNOSERVER_UNO_PORT"] = 0
    paragraphs = "\n\n".join(f"Paragraph {n}: local governments deliver services to newcomers, " * 6
                              for n in range(40))
    for org, title in (("CEMR", "Housing"), ("Metropolis", "Health"), ("UCLG-MEWA", "Schools"),
                       ("UCLG Africa", "Jobs")):
        make_position("approved", org=org, title=title, text=paragraphs)
    loads, real, exports = [], office.to_pdf_with_contents, office._export_over_uno  # noqa: SLF001 (the seam counted)
    outline_reads, read_outline = [], pagination.heading_pages

    def counted(document, **kwargs):
        loads.append("contents")
        return real(document, **kwargs)

    def through_uno(*args):
        loads.append("uno")
        return exports(*args)

    def from_outline(*args):
        outline_reads.append(1)
        return read_outline(*args)

    monkeypatch.setattr(office, "to_pdf", lambda *a, **k: pytest.fail("a second load of LibreOffice"))
    monkeypatch.setattr(office, "to_pdf_with_contents", counted)
    monkeypatch.setattr(office, "_export_over_uno", through_uno)
    monkeypatch.setattr(pagination, "heading_pages", from_outline)
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"), CompileOptions(title="One layout"))
    assert loads == (["contents", "uno"] if channel == "uno" else ["contents"]), loads
    assert len(outline_reads) == (0 if channel == "uno" else 1)
    assert_sound_edition(edition, "One layout", sample=1)
    numbers = [number for _text, number in contents_list(edition.data)]
    assert len(set(numbers)) > 4, "the headings are spread over several pages"
    assert pdf_contents_numbers(edition.pdf_data, len(numbers)) == numbers
    root = PdfReader(io.BytesIO(edition.pdf_data)).trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"]), "the PDF is tagged"


def _unlinked_contents(data: bytes) -> bytes:
    """`data` with the hyperlinks of its contents entries unwrapped: entries LibreOffice cannot number in
    place, as a contents list that Word or a person rewrote may have them."""
    import zipfile

    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source.read("word/document.xml"))
    for link in list(root.iter(w("hyperlink"))):
        parent = link.getparent()
        for child in list(link):
            link.addprevious(child)
        parent.remove(link)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
                            if item.filename == "word/document.xml" else source.read(item))
    return out.getvalue()


@pytest.mark.usefixtures("app")
def test_a_contents_list_libreoffice_cannot_number_in_place_is_updated_by_libreoffice_itself():
    """Entries that are not links to their headings: LibreOffice regenerates the list from its own
    layout (reporting no pages of its own), and the pages read back from the PDF's outline are the
    numbers that list prints."""
    from drafting.documents.render.builder import PLACEHOLDER_PAGE, build_document, contents_entries

    from .conftest import entry, plan_of

    text = "\n\n".join("Local governments deliver services to newcomers, " * 12 for _ in range(12))
    plan = plan_of(*(entry(n, title, text, org=org) for n, (title, org) in enumerate(
        (("Housing", "CEMR"), ("Health", "Metropolis"), ("Schools", "UCLG-MEWA"), ("Jobs", "UCLG Africa")), 1)))
    placeholder = build_document(plan, contents_pages=PLACEHOLDER_PAGE)
    unlinked = _unlinked_contents(placeholder)
    entries = [item.text for item in contents_entries(placeholder)]
    assert [item.bookmark for item in contents_entries(unlinked)] == [""] * len(entries)

    pdf, pages = office.to_pdf_with_contents(unlinked)
    assert pages is None, "LibreOffice reports no pages for a list it regenerated"
    from_outline = pagination.heading_pages(pdf, entries)
    assert len(set(from_outline)) > 3, "the headings are spread over several pages"
    assert pdf_contents_numbers(pdf, len(entries)) == from_outline

    pdf, pages = office.to_pdf_with_contents(placeholder)
    assert pages == from_outline, "numbered in place, the same pages"
    assert pdf_contents_numbers(pdf, len(entries)) == pages


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Each font of the PDF's pages: whether its file is embedded."""
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is None:
                continue
            descriptor = descriptor.get_object()
            fonts[str(font.get("/BaseFont"))] = any(key in descriptor for key in ("/FontFile", "/FontFile2",
                                                                                "/FontFile3"))
    return fonts


@pytest.mark.parametrize("archive", [False, True])
def test_the_pdf_is_tagged_with_embedded_fonts_and_pdfa_when_chosen(app, make_position, make_user, archive):
    make_position("approved", org="UCLG-MEWA", title="المدن ترحب بالقادمين", language="ar",
                  text="UCLG-MEWA: السلطات المحلية تقدم الخدمات.")
    make_position("approved", org="CEMR", title="Housing", text="Cities house people.")
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"),
                            CompileOptions(title="Cities and migration", pdf_archive=archive))
    assert_sound_edition(edition, "Cities and migration")
    reader = PdfReader(io.BytesIO(edition.pdf_data))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, "a tagged PDF: screen readers follow its structure"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root.get("/Lang", "")).startswith("en")
    assert reader.metadata.title == "Cities and migration" and reader.outline
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any("Amiri" in name for name in fonts), f"Arabic in the serif face the document names: {fonts}"
    xmp = root["/Metadata"].get_object().get_data().decode() if "/Metadata" in root else ""
    if archive:
        assert re.search(r"pdfaid:part[>=\"']+2", xmp) and re.search(r"pdfaid:conformance[>=\"']+B", xmp), xmp
    else:
        assert "pdfaid:part" not in xmp

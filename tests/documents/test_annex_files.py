"""Uploaded annexes inside an edition: each its own section on the edition's page, landscape kept,
lists numbered on their own, the cover untouched; and one process compiling any number of editions."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from lxml import etree

from drafting.documents.plan.data import AnnexFile
from drafting.documents.render import wordml
from drafting.documents.render.builder import build_document
from drafting.documents.render.front_matter import _width, header_budget
from tests.support import annex_samples
from tests.support import hostile_docx as hostile
from tests.support.docx_structure import assert_sound_docx

from .conftest import assert_closing_rule, body_text, headings, open_docx, w, word_file, xml_of
from .test_builder import entry, plan_of
from .test_office import convert_to_pdf

A4 = ("11906", "16838")
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"


def _edition(*annexes: tuple[str, bytes], **plan_options):
    positions = [entry(1, "Housing first", "Cities house newcomers.", annexes=[AnnexFile(name, data)
                                                                             for name, data in annexes])]
    plan = plan_of(*positions, **plan_options)
    data = build_document(plan)
    assert_sound_docx(data)  # docs-frame's structural checks, on every edition these tests build
    return plan, data


def _sections(data: bytes):
    body = xml_of(data).find(w("body"))
    return [s for s in body.iter(w("sectPr"))]


def _page(sect_pr) -> tuple[str, str, str | None]:
    size = sect_pr.find(w("pgSz"))
    return size.get(w("w")), size.get(w("h")), size.get(w("orient"))


def test_every_section_is_a4_and_the_landscape_one_stays_landscape():
    plan, data = _edition(("costs.docx", annex_samples.letter_annex_with_landscape_table()))
    sections = _sections(data)
    # The edition's own content, then the annex's three sections (portrait, landscape, portrait).
    assert len(sections) == 4
    pages = [_page(s) for s in sections]
    assert pages[0][:2] == A4 and pages[1][:2] == A4 and pages[3][:2] == A4
    assert pages[2] == (A4[1], A4[0], "landscape")
    edition_margins = sections[0].find(w("pgMar")).attrib
    for section in sections[1:]:
        assert section.find(w("pgMar")).attrib == edition_margins


def test_annex_sections_take_the_edition_header_and_footer_and_the_cover_keeps_its_first_page():
    plan, data = _edition(("costs.docx", annex_samples.letter_annex_with_landscape_table()))
    sections = _sections(data)
    document = open_docx(data)
    edition_refs = {(r.tag, r.get(w("type")), r.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                                                       "relationships}id")) for r in sections[0]
                    if r.tag in (w("headerReference"), w("footerReference"))}
    assert sections[0].find(w("titlePg")) is not None  # the cover: no running header on the first page
    for section in sections[1:]:
        refs = {(r.tag, r.get(w("type")), r.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                                                  "relationships}id")) for r in section
                if r.tag in (w("headerReference"), w("footerReference"))}
        if _page(section)[2] == "landscape":  # the running header's copy with a wider tab (see below)
            refs = {ref for ref in refs if ref[0] == w("footerReference")}
        assert refs and refs <= edition_refs and all(kind != "first" for _tag, kind, _id in refs)
        assert section.find(w("titlePg")) is None
    # The annex's own header is not in the edition.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        headers = " ".join(archive.read(n).decode() for n in archive.namelist() if "header" in n)
    assert "annex running header" not in headers
    assert "Costs column 8" in body_text(document)


def test_two_annexes_keep_their_own_numbered_lists():
    plan, data = _edition(("first.docx", annex_samples.numbered_annex("First")),
                          ("second.docx", annex_samples.numbered_annex("Second")))
    body = xml_of(data)
    numbering = xml_of(data, "word/numbering.xml")

    def list_of(label: str) -> set[str]:
        ids = set()
        for paragraph in body.iter(w("p")):
            text = "".join(paragraph.itertext(w("t")))
            if text.startswith(label) and text.split()[-1] in ("alpha", "beta", "gamma"):
                num_id = paragraph.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
                assert num_id is not None, f"{text} lost its number"
                ids.add(num_id.get(w("val")))
        return ids

    first, second = list_of("First"), list_of("Second")
    assert len(first) == 1 and len(second) == 1 and first != second

    def definition(num_id: str):
        num = [n for n in numbering.iter(w("num")) if n.get(w("numId")) == num_id][0]
        abstract_id = num.find(w("abstractNumId")).get(w("val"))
        return [a for a in numbering.iter(w("abstractNum")) if a.get(w("abstractNumId")) == abstract_id][0]

    one, two = definition(first.pop()), definition(second.pop())
    assert one.get(w("abstractNumId")) != two.get(w("abstractNumId"))
    assert one.find(w("nsid")) is None or one.find(w("nsid")).get(w("val")) != two.find(w("nsid")).get(w("val"))
    for abstract in (one, two):
        level = abstract.find(w("lvl"))
        assert level.find(w("numFmt")).get(w("val")) == "decimal" and level.find(w("start")).get(w("val")) == "1"
    ids = [n.get(w("numId")) for n in numbering.iter(w("num"))]
    assert len(ids) == len(set(ids))
    abstract_ids = [a.get(w("abstractNumId")) for a in numbering.iter(w("abstractNum"))]
    assert len(abstract_ids) == len(set(abstract_ids))


def test_the_annex_heading_names_the_position_and_the_file_title_and_annex_headings_go_below_it():
    plan, data = _edition(("Budget 2018.final.docx", annex_samples.numbered_annex("First")))
    document = open_docx(data)
    assert "“Housing first” (CEMR): Budget 2018.final" in headings(document, 2)
    assert "First heading" in headings(document, 3)  # the annex's Heading 1, below the annex's heading
    assert "First heading" not in headings(document, 1)


def test_pictures_and_web_links_come_along():
    plan, data = _edition(("pictures.docx", annex_samples.numbered_annex("First")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert media and "https://www.uclg.org/" in rels
    body = xml_of(data)
    blips = list(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
    rel_ids = {r.get("Id") for r in etree.fromstring(rels.encode())}
    assert blips and all(b.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
                         in rel_ids for b in blips)


def test_an_annex_stored_before_cleaning_is_cleaned_when_compiling():
    plan, data = _edition(("remote.docx", hostile.includepicture_fields()), ("image.docx", hostile.external_image()))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        everything = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                              if n.endswith((".xml", ".rels")))
    assert "tracker.example.com" not in everything and "INCLUDEPICTURE" not in everything.upper()
    assert 'TargetMode="External"' not in everything.replace(
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"', "")
    assert not plan.left_out


def test_an_annex_that_fails_the_check_is_left_out_and_the_edition_still_builds():
    plan, data = _edition(("entity.docx", hostile.dtd_entity()), ("fine.docx", word_file("A fine annex.")))
    document = open_docx(data)  # well-formed, opens
    text = body_text(document)
    assert "A fine annex." in text and "Before the entity" not in text
    assert [(item.filename, "document type declaration" in item.reason) for item in plan.left_out] == [
        ("entity.docx", True)]


def _core(data: bytes):
    return xml_of(data, "docProps/core.xml")


def test_one_process_compiles_with_an_annex_then_without_then_with_two_and_every_core_xml_is_sound():
    runs = [
        _edition(("one.docx", annex_samples.numbered_annex("One"))),
        _edition(),
        _edition(("a.docx", annex_samples.numbered_annex("A")),
                 ("b.docx", annex_samples.letter_annex_with_landscape_table())),
    ]
    for plan, data in runs:
        core = _core(data)
        assert core.tag == f"{{{CP}}}coreProperties"
        allowed = {CP, DC, DCTERMS}
        assert {etree.QName(child).namespace for child in core} <= allowed
        assert core.find(f"{{{DC}}}title").text == plan.title
        assert core.find(f"{{{CP}}}lastModifiedBy").text == plan.compiled_by
        assert core.find(f"{{{DC}}}creator").text == "UCLG World Secretariat"
        assert core.find(f"{{{CP}}}revision").text == str(plan.edition_number)
        assert core.find(f"{{{DCTERMS}}}modified").text.startswith("2018-02-10T09:30")
        open_docx(data)


def test_the_compile_page_names_the_annexes_the_edition_will_leave_out(client, login_as, make_position):
    from drafting.extensions import db
    from drafting.models import Attachment

    from ..conftest import milestone

    position = make_position("approved", org="CEMR", title="Housing first")
    # Stored before uploads were checked for DTDs: the check made when compiling refuses it.
    db.session.add(Attachment(position=position, filename="entity.docx", size=1, sha256="e" * 64,
                              data=hostile.dtd_entity(), uploaded_by=position.created_by))
    db.session.add(Attachment(position=position, filename="fine.docx", size=1, sha256="f" * 64,
                              data=word_file("Fine."), uploaded_by=position.created_by))
    db.session.commit()
    login_as("secretariat")
    page = client.get(f"/milestones/{milestone('Round 2').id}/compile").get_data(as_text=True)
    assert "Word annexes the edition will leave out" in page
    assert "entity.docx" in page and "document type declaration" in page and "fine.docx" not in page


@pytest.mark.office
def test_libreoffice_lays_out_two_annexes_with_their_own_numbers_and_a_landscape_page(tmp_path):
    plan, data = _edition(("first.docx", annex_samples.numbered_annex("First")),
                          ("wide.docx", annex_samples.letter_annex_with_landscape_table("Wide")),
                          ("second.docx", annex_samples.numbered_annex("Second")))
    pdf = convert_to_pdf(data, tmp_path)
    pages = _pdf_pages(pdf)
    # The cover: its title once (no running header repeating it), no page footer.
    assert pages[0].count(plan.title) == 1 and "Page 1 of" not in pages[0]
    text = "\n".join(pages)
    for label in ("First", "Wide", "Second"):
        first_item = "first step" if label == "Wide" else "alpha"
        assert re.search(rf"1\.\s+{label} {first_item}", text), f"{label}'s list lost its numbers"
    assert re.search(r"3\.\s+Second gamma", text)
    sizes = _pdf_page_sizes(pdf)
    landscape = [index for index, (width, height) in enumerate(sizes) if width > height]
    assert len(landscape) == 1 and pages[landscape[0]].count("Wide column") == 8
    assert all(sorted((round(w_), round(h))) == [595, 842] for w_, h in sizes)  # every page A4
    assert plan.title in pages[landscape[0]]  # the edition's running header on the landscape page too
    assert not any(page.strip() == "" for page in pages)  # no blank page between sections


def _pdf_pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _pdf_page_sizes(pdf) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(m.group(1)), float(m.group(2)))
            for m in re.finditer(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def _header_tabs(data: bytes, sect_pr) -> list[tuple[str, str]]:
    """The tab stops of the running header (the default one) of a section: (alignment, position)."""
    document = open_docx(data)
    reference = [r for r in sect_pr.findall(w("headerReference")) if r.get(w("type")) == "default"][0]
    header = document.part.related_parts[reference.get(f"{{{R}}}id")].element
    return [(tab.get(w("val")), tab.get(w("pos"))) for tab in header.iter(w("tab")) if tab.get(w("pos"))]


def _text_width(sect_pr) -> int:
    margins = sect_pr.find(w("pgMar"))
    return int(sect_pr.find(w("pgSz")).get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))


def test_each_section_s_running_header_has_its_right_tab_at_its_own_text_width():
    _plan, data = _edition(("wide.docx", annex_samples.letter_annex_with_landscape_table("Wide")),
                           ("wider.docx", annex_samples.letter_annex_with_landscape_table("Wider")))
    sections = _sections(data)
    landscape = [s for s in sections if _page(s)[2] == "landscape"]
    assert len(landscape) == 2
    for section in sections:
        assert _header_tabs(data, section) == [("right", str(_text_width(section)))]
    # A4 turned, 2.2 cm margins: the title ends 25.3 cm from the left margin, not at 16.6 cm.
    assert _header_tabs(data, landscape[0]) == [("right", "14344")]
    # One copy of the header for every landscape section; the style itself stops nowhere.
    references = {r.get(f"{{{R}}}id") for s in landscape for r in s.findall(w("headerReference"))}
    assert len(references) == 1
    header_style = [s for s in xml_of(data, "word/styles.xml").iter(w("style")) if s.get(w("styleId")) == "Header"]
    assert not list(header_style[0].iter(w("tab")))


def _header_text(data: bytes, sect_pr) -> str:
    document = open_docx(data)
    reference = [r for r in sect_pr.findall(w("headerReference")) if r.get(w("type")) == "default"][0]
    header = document.part.related_parts[reference.get(f"{{{R}}}id")].element
    return "".join(node.text or "" for node in header.iter(w("t")))


def test_a_landscape_section_s_running_header_holds_as_much_of_the_title_as_its_width_allows():
    title = ("Local and regional governments' contributions to the intergovernmental negotiations of the "
             "Global Compact for Safe, Orderly and Regular Migration, second round, New York")
    symbol = "UCLG/GCM/2018/R2/3"
    _plan, data = _edition(("wide.docx", annex_samples.letter_annex_with_landscape_table("Wide")),
                           title=title, symbol=symbol)
    sections = _sections(data)
    portrait = _header_text(data, sections[0])[len(symbol):]
    wide = _header_text(data, [s for s in sections if _page(s)[2] == "landscape"][0])[len(symbol):]
    assert portrait.endswith("\u2026") and wide.endswith("\u2026")
    assert title.startswith(wide[:-1]) and wide.startswith(portrait[:-1])
    assert len(wide) > 1.3 * len(portrait), (portrait, wide)
    assert_closing_rule(data)  # after the annexes too
    # Each within its line: the portrait budget across 16.6 cm, in proportion across 25.3 cm.
    assert _width(symbol) + 4 + _width(wide) <= header_budget(14344)
    assert _width(symbol) + 4 + _width(portrait) <= header_budget(9412)


def _footnote_texts(data: bytes) -> dict[str, str]:
    notes = xml_of(data, "word/footnotes.xml")
    return {note.get(w("id")): "".join(note.itertext(w("t"))) for note in notes.iter(w("footnote"))}


def test_an_annex_s_footnotes_stay_word_footnotes_numbered_after_those_before_them():
    plan, data = _edition(("notes.docx", hostile.with_footnote()), ("more.docx", hostile.with_footnote("More.")))
    body = xml_of(data)
    references = [r.get(w("id")) for r in body.iter(w("footnoteReference"))]
    notes = _footnote_texts(data)
    assert references == ["1", "2"]  # one per annex, in order, never the same id twice
    assert notes["1"].strip() == "Source: the 2017 survey." and notes["2"].strip() == "Source: More."
    assert set(references) <= set(notes)  # every reference resolves
    footnotes = xml_of(data, "word/footnotes.xml")
    ids = [n.get(w("id")) for n in footnotes.iter(w("footnote"))]
    assert len(ids) == len(set(ids))
    kinds = {n.get(w("type")): n.get(w("id")) for n in footnotes.iter(w("footnote")) if n.get(w("type"))}
    assert kinds == {"separator": "-1", "continuationSeparator": "0"}  # Word's separator lines kept
    declared = [n.get(w("id")) for n in xml_of(data, "word/settings.xml").iter(w("footnote"))]
    assert declared == ["-1", "0"]
    # No stand-in left in the text: the marks are Word's, the notes' text in the edition's footnote style.
    paragraphs = ["".join(p.itertext(w("t"))) for p in body.iter(w("p"))]
    assert "Cities act." in paragraphs and "Cities act.1" not in paragraphs
    assert not any(text.startswith("1. Source") for text in paragraphs)
    styles = {s.get(w("val")) for s in footnotes.iter(w("pStyle"), w("rStyle"))}
    assert styles == {"FootnoteText", "FootnoteReference"}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml").decode()
    assert 'PartName="/word/footnotes.xml"' in types


def test_annex_footnotes_follow_the_edition_s_own_footnotes():
    from drafting.documents.annexes import composer as annex_composer

    plan, data = _edition(("notes.docx", hostile.with_footnote()))
    document = open_docx(data)
    # An edition that already has notes 1 and 2 of its own: the annex's note comes after them.
    edition = AnnexFile("notes.docx", hostile.with_footnote())
    composer = annex_composer.AnnexComposer(document, wordml.Writer(document, "en"))
    composer.footnotes_part()
    assert composer.next_footnote == 2
    source = annex_composer._opened(entry(2, "More", "Text."), edition)
    composer.append(source, last=True)
    references = [r.get(w("id")) for r in document.element.body.iter(w("footnoteReference"))]
    assert references == ["1", "2"]
    assert {n.get(w("id")) for n in composer.footnotes.element.iter(w("footnote"))} == {"-1", "0", "1", "2"}


@pytest.mark.office
def test_libreoffice_prints_an_annex_footnote_at_the_foot_of_its_page(tmp_path):
    _plan, data = _edition(("notes.docx", hostile.with_footnote()),
                           ("wide.docx", annex_samples.letter_annex_with_landscape_table("Wide")))
    pages = _pdf_pages(convert_to_pdf(data, tmp_path))
    page = next(page for page in pages if "Cities act." in page)
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    note = next(index for index, line in enumerate(lines) if "Source: the 2017 survey." in line)
    text = next(index for index, line in enumerate(lines) if line.startswith("Cities act."))
    # The note at the foot of the page that calls it, just above the page footer.
    assert text < note and lines[note + 1].startswith("Page ")
    assert not any(line.startswith("1. Source") for line in lines)

    def header(page: str) -> str:
        return next(line for line in page.splitlines() if "UCLG/GCM/2018/R2/3" in line).rstrip()

    landscape = header(next(page for page in pages if "Wide column 8" in page))
    portrait = header(page)
    assert landscape.endswith("Local governments on the compact")
    # The title at the landscape page's right margin (25.3 cm of text against 16.6), not mid-page.
    assert len(landscape) > 1.3 * len(portrait)


def _annex_with_a_table(rows: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Costs by city.")
    table = document.add_table(rows=rows, cols=2)
    for index, row in enumerate(table.rows):
        row.cells[0].text, row.cells[1].text = f"City {index}", "A long line of costs. " * 12
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.usefixtures("app")
def test_an_annex_table_row_never_breaks_across_pages():
    _plan, data = _edition(("costs.docx", _annex_with_a_table(46)))
    rows = [row for row in xml_of(data).iter(w("tr"))
            if "City" in "".join(row.itertext(w("t")))]
    assert len(rows) == 46
    assert all(row.find(f"{w('trPr')}/{w('cantSplit')}") is not None for row in rows)

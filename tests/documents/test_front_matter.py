"""The UN front matter (first page, running header and footer), the numbered paragraphs and the
contents list with its page numbers, in the document's own language."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from flask_babel import force_locale

from drafting.documents.render.builder import PLACEHOLDER_PAGE, build_document, contents_entries, number_contents
from drafting.documents.render.front_matter import HEADER_BUDGET, _width, short_title

from .conftest import NS, assert_closing_rule, entry, open_docx, plan_of, w, xml_of

NBSP = "\u00a0"


def styled(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def styled_paragraphs(document, style: str) -> list:
    return [p for p in document.paragraphs if p.style.name == style]


def test_original_is_the_one_original_language_in_un_form():
    document = open_docx(build_document(plan_of(entry(1, "Housing", "Text."))))
    assert styled(document, "Cover Distribution")[2] == "Original: English"
    arabic = open_docx(build_document(plan_of(entry(1, "Housing", "Text."),
                                              entry(2, "Villes", "Texte.", language="ar"))))
    assert styled(arabic, "Cover Distribution")[2] == "Original: Arabic/English"


def test_first_page_reads_like_a_un_document():
    document = open_docx(build_document(plan_of(
        entry(1, "Housing", "Text."), entry(2, "Logement", "Texte.", language="fr"),
        entry(3, "Vivienda", "Texto.", language="es"), document_date=date(2018, 2, 20))))
    first = [(p.style.name, p.text) for p in document.paragraphs[:8]]
    assert first == [
        ("Cover Symbol", "UCLG/GCM/2018/R2/3"),
        ("Cover Distribution", "Distr.: General"),
        ("Cover Distribution", "20 February 2018"),
        ("Cover Distribution", "Original: English/French/Spanish"),
        ("Cover Session", "Round 2"),
        ("Cover Line", "New York, 12\u201315 March 2018"),
        ("Cover Title", "Local governments on the compact"),
        ("Cover Line", "Compiled by the UCLG World Secretariat"),
    ]
    for style in ("Cover Symbol", "Cover Distribution"):  # at the top right
        assert document.styles[style].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "Advance unedited version" not in [p.text for p in document.paragraphs]


def test_limited_distribution_and_advance_unedited_notice():
    document = open_docx(build_document(plan_of(entry(1, "Housing", "Text."), distribution="limited",
                                                advance_unedited=True)))
    assert "Distr.: Limited" in styled(document, "Cover Distribution")
    assert styled(document, "Cover Notice") == ["Advance unedited version"]
    # Without a date of its own, the first page carries the day of compiling.
    assert "10 February 2018" in styled(document, "Cover Distribution")


def test_the_cover_has_no_running_header_and_the_header_is_symbol_and_title():
    data = build_document(plan_of(entry(1, "T", "Text.")))
    section = open_docx(data).sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous  # an explicit, empty first-page header
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    assert [p.text for p in section.first_page_footer.paragraphs] == [""]
    assert section.header.paragraphs[0].text == "UCLG/GCM/2018/R2/3\tLocal governments on the compact"
    footer = section.footer.paragraphs[0]._p
    assert [t.text.strip() for t in footer.iter(w("instrText"))] == ["PAGE", "NUMPAGES"]
    assert "".join(footer.itertext(w("t"))).startswith("Page 1 of 1")


def test_header_and_footer_paragraphs_carry_one_paragraph_properties():
    data = build_document(plan_of(entry(1, "T", "Text.")))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [name for name in archive.namelist() if name.startswith(("word/header", "word/footer"))]
    assert len(parts) == 4  # running and first-page, header and footer
    for part in parts:
        for p in xml_of(data, part).iter(w("p")):
            assert len(p.findall("w:pPr", NS)) <= 1, part


def test_a_long_title_is_cut_at_a_word_so_the_running_header_never_wraps():
    title = ("Local and regional governments’ contributions to the intergovernmental negotiations "
             "of the Global Compact for Safe, Orderly and Regular Migration")
    symbol = "UCLG/GCM/2018/INR1/12"
    data = build_document(plan_of(entry(1, "T", "Text."), title=title, symbol=symbol))
    header = open_docx(data).sections[0].header.paragraphs[0].text
    shown = header.split("\t")[1]
    assert header.startswith(symbol + "\t") and shown.endswith("\u2026")
    assert title.startswith(shown[:-1])
    for candidate in (title, title.upper(), "W" * 300, "x"):
        assert _width(symbol) + 4 + _width(short_title(candidate, symbol)) <= HEADER_BUDGET


def body_paragraph_styles(data: bytes) -> list[str]:
    body = xml_of(data).find("w:body", NS)
    styles = []
    for p in body.iter(w("p")):
        style = p.find("w:pPr/w:pStyle", NS)
        styles.append(style.get(w("val")) if style is not None else "")
    return styles


def test_positions_paragraphs_are_numbered_continuously_through_the_document():
    plan = plan_of(entry(1, "Housing", "One.\n\nTwo.\n\n- a list item", summary="Summary."),
                   entry(2, "Health", "Three.\n\nFour."), preface="Preface text.")
    data = build_document(plan)
    styles = body_paragraph_styles(data)
    assert styles.count("NumberedParagraph") == 4  # not the preface, summary, attribution or list
    numbering = xml_of(data, "word/numbering.xml")
    num = next(n for n in numbering.iter(w("num")) if n.get(w("numId")) == "3")
    abstract_id = num.find("w:abstractNumId", NS).get(w("val"))
    abstract = next(a for a in numbering.iter(w("abstractNum")) if a.get(w("abstractNumId")) == abstract_id)
    assert abstract.find("w:lvl/w:lvlText", NS).get(w("val")) == "%1."
    assert num.find("w:lvlOverride", NS) is None  # one list through the document: it never restarts
    style = next(s for s in xml_of(data, "word/styles.xml").iter(w("style"))
                 if s.get(w("styleId")) == "NumberedParagraph")
    assert style.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) == "3"

    unnumbered = build_document(plan_of(entry(1, "Housing", "One.\n\nTwo."), number_paragraphs=False))
    assert "NumberedParagraph" not in body_paragraph_styles(unnumbered)


def toc_paragraphs(data: bytes):
    return [p for p in xml_of(data).iter(w("p"))
            if p.find("w:pPr/w:pStyle", NS) is not None
            and p.find("w:pPr/w:pStyle", NS).get(w("val")) in ("TOC1", "TOC2")]


def test_the_contents_list_ships_with_dot_leaders_and_page_numbers_and_no_update_prompt():
    plan = plan_of(entry(1, "Housing", "Text."), entry(2, "Health", "Text.", org="Metropolis"))
    first = build_document(plan)
    entries = contents_entries(first)
    assert [(e.level, e.text) for e in entries] == [
        (1, "Positions without an objective"), (2, "Housing"), (2, "Health"),
        (1, "Annex: Compilation of proposed amendments"), (1, "Annex: Contributors")]
    # The first pass has no numbers (nor tabs) yet.
    assert all(p.find(".//w:tab", NS) is None for p in toc_paragraphs(first))

    data = build_document(plan, contents_pages=[3, 3, 4, 5, 7])
    numbers = []
    for p in toc_paragraphs(data):
        texts = [node for node in p.iter(w("t"), w("tab"))]
        assert texts[-2].tag == w("tab")  # title, tab (to the right margin, with a dot leader), number
        numbers.append(texts[-1].text)
    assert numbers == ["3", "3", "4", "5", "7"]
    for style in xml_of(data, "word/styles.xml").iter(w("style")):
        if style.get(w("styleId")) in ("TOC1", "TOC2"):
            tab = style.find("w:pPr/w:tabs/w:tab", NS)
            assert (tab.get(w("val")), tab.get(w("leader"))) == ("right", "dot")
    assert xml_of(data, "word/settings.xml").find("w:updateFields", NS) is None
    # Every entry is a link to its heading's bookmark.
    bookmarks = {b.get(w("name")) for b in xml_of(data).iter(w("bookmarkStart"))}
    assert [e.bookmark for e in contents_entries(data)] == [e.bookmark for e in entries]
    assert all(e.bookmark in bookmarks for e in entries)

    with pytest.raises(ValueError, match="3 page numbers for 5 contents entries"):
        build_document(plan, contents_pages=[1, 2, 3])


@pytest.mark.parametrize("language, label", [("en", "Page"), ("fr", "Page"), ("es", "Página")])
def test_page_above_the_contents_page_numbers_and_a_closing_rule_after_the_text(app, language, label):
    """UN documents: "Page" at the right margin above the contents list's numbers (none when the list has
    no numbers, without LibreOffice), and a short centred rule closing the text."""
    plan = plan_of(entry(1, "Housing", "Text."), locale=language)
    numbered = build_document(plan, contents_pages=[3, 3, 4, 5])
    paragraphs = list(xml_of(numbered).iter(w("p")))
    styles = [p.find("w:pPr/w:pStyle", NS).get(w("val")) if p.find("w:pPr/w:pStyle", NS) is not None else ""
              for p in paragraphs]
    above = paragraphs[styles.index("TOC1") - 1]
    assert above.find("w:pPr/w:pStyle", NS).get(w("val")) == "ContentsPageLabel"
    assert "".join(above.itertext(w("t"))) == label
    style = next(s for s in xml_of(numbered, "word/styles.xml").iter(w("style"))
                 if s.get(w("styleId")) == "ContentsPageLabel")
    assert style.find("w:pPr/w:jc", NS).get(w("val")) == "right"
    assert_closing_rule(numbered)

    unnumbered = build_document(plan)
    assert "ContentsPageLabel" not in body_paragraph_styles(unnumbered)
    assert_closing_rule(unnumbered)


def test_numbering_the_laid_out_file_gives_the_file_a_second_build_would():
    """The worker writes LibreOffice's pages over the placeholders of the very file LibreOffice laid out:
    the result is the file a build with those numbers makes, every other part of it byte for byte, and
    a heading titled like a page number is left alone."""
    plan = plan_of(entry(1, "999", "Text 999."), entry(2, "Health", "Text.", org="Metropolis"))
    pages = [3, 3, 4, 5, 12]
    numbered = number_contents(build_document(plan, contents_pages=PLACEHOLDER_PAGE), pages)
    built = build_document(plan, contents_pages=pages)
    with zipfile.ZipFile(io.BytesIO(numbered)) as ours, zipfile.ZipFile(io.BytesIO(built)) as theirs:
        assert ours.namelist() == theirs.namelist()
        for name in ours.namelist():
            assert ours.read(name) == theirs.read(name), name
    assert [e.text for e in contents_entries(numbered)][1] == "999"
    with pytest.raises(ValueError, match="4 page numbers for 5 numbered contents entries"):
        number_contents(build_document(plan, contents_pages=PLACEHOLDER_PAGE), pages[:4])
    with pytest.raises(ValueError):  # already numbered: nothing left to write over
        number_contents(built, pages)


@pytest.mark.usefixtures("app")
def test_the_document_language_is_chosen_not_taken_from_the_interface():
    plan = plan_of(entry(1, "Housing", "Cities house newcomers.", approved_on=date(2018, 2, 1)),
                   locale="fr", document_date=date(2018, 3, 1))
    with force_locale("es"):  # whoever compiles reads the interface in Spanish
        data = build_document(plan)
    document = open_docx(data)
    assert styled(document, "Cover Distribution") == ["Distr. générale", "1er mars 2018", f"Original{NBSP}: anglais"]
    assert styled(document, "Cover Line")[0] == "New York, 12-15 mars 2018"
    # "1er" with its "er" raised, as the French UN documents print it.
    date_runs = [(r.text, r.font.superscript) for r in styled_paragraphs(document, "Cover Distribution")[1].runs]
    assert date_runs == [("1", None), ("er", True), (" mars 2018", None)]
    assert "Approuvée le 1er février 2018" in styled(document, "Attribution")[0]
    assert f"Annexe{NBSP}: contributeurs" in [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "".join(document.sections[0].footer.paragraphs[0]._p.itertext(w("t"))).startswith("Page 1 sur 1")
    # Tagged French: the document's default language; the English position's runs say English.
    defaults = xml_of(data, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert defaults.get(w("val")) == "fr-FR"
    english_runs = [r for r in xml_of(data).iter(w("r")) if "".join(r.itertext(w("t"))) == "Cities house newcomers."]
    assert english_runs[0].find("w:rPr/w:lang", NS).get(w("val")) == "en-GB"


@pytest.mark.usefixtures("app")
def test_a_spanish_document():
    document = open_docx(build_document(plan_of(entry(1, "Housing", "Text."), locale="es", distribution="limited",
                                                advance_unedited=True)))
    assert styled(document, "Cover Distribution")[0] == "Distr. limitada"
    assert styled(document, "Cover Distribution")[2] == "Original: inglés"
    assert styled(document, "Cover Notice") == ["Versión preliminar no editada"]
    assert styled(document, "Cover Line")[0] == "New York, 12 a 15 de marzo de 2018"


# In LibreOffice ---------------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.office
def test_libreoffice_shows_the_symbol_on_page_one_without_running_header_and_numbers_the_paragraphs(tmp_path):
    from .test_office import convert_to_pdf

    plan = plan_of(entry(1, "Housing", "First paragraph.\n\nSecond paragraph."),
                   entry(2, "Health", "Third paragraph."))
    pdf = convert_to_pdf(build_document(plan, contents_pages=[3, 3, 3, 4, 5]), tmp_path)

    def page(number: int) -> str:
        return subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout

    cover = page(1)
    assert "UCLG/GCM/2018/R2/3" in cover and "Distr.: General" in cover
    assert "Page 1 of" not in cover and "Local governments on the compact\n" not in cover.split("Round 2")[0]
    contents = page(2)
    assert "UCLG/GCM/2018/R2/3" in contents and "Page 2 of" in contents  # the running header and footer
    assert "Housing" in contents and "....." in contents  # dot leaders
    positions = page(3)
    lines = [line.strip() for line in positions.splitlines()]
    # Health comes before Housing (same organisation, then by title): its paragraph is number 1.
    for number, text in ((1, "Third paragraph."), (2, "First paragraph."), (3, "Second paragraph.")):
        assert any(line.startswith(f"{number}.") and line.endswith(text) for line in lines), positions

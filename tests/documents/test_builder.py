"""The builder on plain data: structure, fields, languages, Markdown, the amendments annex."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from drafting.documents.plan.data import AmendmentEntry, paragraph_sort_key
from drafting.documents.render import chapters, wordml
from drafting.documents.render.builder import build_document

from .conftest import (
    ADVOCACY,
    NS,
    OBJECTIVE_15,
    OBJECTIVE_16,
    body_text,
    entry,
    headings,
    open_docx,
    plan_of,
    w,
    xml_of,
)


def test_cover_toc_headings_and_attribution():
    document = open_docx(build_document(plan_of(
        entry(1, "Housing first", "Cities house newcomers.", themes=[OBJECTIVE_16], authors=["Ann Author"],
              approved_on=date(2018, 2, 9), approvers=["Rita Reviewer"]),
        entry(2, "Clinics for all", "Access to health.", org="Metropolis", themes=[OBJECTIVE_15, OBJECTIVE_16]),
        entry(3, "No theme", "Text.", org="UCLG Africa"),
        preface="We **thank** the networks.",
    )))
    text = body_text(document)
    for expected in ("Local governments on the compact", "Round 2", "New York",
                     "Compiled by the UCLG World Secretariat", "Edition 3"):
        assert expected in text
    # A position with several objectives goes under its first one; chapters follow objective numbers.
    assert headings(document, 1) == ["Preface", "Objective 15. Access to basic services",
                                     "Objective 16. Inclusion and social cohesion", "Positions without an objective",
                                     "Annex: Compilation of proposed amendments", "Annex: Contributors"]
    assert headings(document, 2) == ["Clinics for all", "Housing first", "No theme"]
    attribution = [p.text for p in document.paragraphs if p.style.name == "Attribution"]
    assert "CEMR full name (CEMR) · Authors: Ann Author · Language: English · Approved on 9 February 2018 by " \
           "Rita Reviewer" in attribution
    assert document.core_properties.title == "Local governments on the compact"
    assert document.core_properties.subject == "Round 2"
    assert document.core_properties.author == "UCLG World Secretariat"
    assert document.core_properties.created.replace(tzinfo=None) == datetime(2018, 2, 10, 9, 30)


def test_toc_is_a_field_whose_cached_result_lists_the_headings():
    data = build_document(plan_of(entry(1, "Housing first", "Text.", themes=[OBJECTIVE_16])))
    body = xml_of(data)
    instructions = [t.text for t in body.iter(w("instrText"))]
    assert ' TOC \\o "1-2" \\h \\z \\u ' in instructions
    toc = [p for p in body.iter(w("p")) if p.find("w:pPr/w:pStyle", NS) is not None
           and p.find("w:pPr/w:pStyle", NS).get(w("val")).startswith("TOC") and
           p.find("w:pPr/w:pStyle", NS).get(w("val")) != "TOCHeading"]
    kinds = [c.get(w("fldCharType")) for p in toc for c in p.iter(w("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert ["".join(p.itertext(w("t"))) for p in toc] == [
        "Objective 16. Inclusion and social cohesion", "Housing first",
        "Annex: Compilation of proposed amendments", "Annex: Contributors"]
    # Each entry links to the bookmark of its heading.
    anchors = {link.get(w("anchor")) for p in toc for link in p.iter(w("hyperlink"))}
    bookmarks = {b.get(w("name")) for b in body.iter(w("bookmarkStart"))}
    assert anchors and anchors <= bookmarks


def test_arabic_is_right_to_left_and_french_and_spanish_carry_their_language():
    data = build_document(plan_of(
        entry(1, "المدن ترحب", "السلطات المحلية **تقدم** الخدمات.\n\n- أولا\n- ثانيا", language="ar", org="UCLG-MEWA"),
        entry(2, "Les villes accueillent", "Les *collectivités* locales.", language="fr", org="CEMR"),
        entry(3, "Las ciudades", "Los gobiernos locales.", language="es", org="Metropolis"),
    ))
    body = xml_of(data)
    arabic = [p for p in body.iter(w("p")) if "السلطات" in "".join(p.itertext(w("t")))]
    assert arabic, "the Arabic paragraph is missing"
    for paragraph in arabic + [p for p in body.iter(w("p")) if "أولا" in "".join(p.itertext(w("t")))]:
        assert paragraph.find("w:pPr/w:bidi", NS) is not None
        for run in paragraph.iter(w("r")):
            assert run.find("w:rPr/w:rtl", NS) is not None
            assert run.find("w:rPr/w:lang", NS).get(w("bidi")) == "ar-SA"
    french = [r for r in body.iter(w("r")) if "collectivités" in "".join(r.itertext(w("t")))][0]
    assert french.find("w:rPr/w:lang", NS).get(w("val")) == "fr-FR"
    assert french.find("w:rPr/w:i", NS) is not None
    spanish = [r for r in body.iter(w("r")) if "gobiernos" in "".join(r.itertext(w("t")))][0]
    assert spanish.find("w:rPr/w:lang", NS).get(w("val")) == "es-ES"


MARKDOWN = """# Why cities

Local governments **deliver** services and *welcome* newcomers; see [UCLG](https://www.uclg.org).

## What we ask

1. Recognise cities
2. Fund them
   - directly
   - fairly

- a bullet
- another bullet

A line{hard_break}
with a hard break.
""".format(hard_break="  ")


def test_markdown_becomes_word_structure_without_literal_marks():
    data = build_document(plan_of(entry(1, "Markdown", MARKDOWN)))
    document = open_docx(data)
    text = body_text(document)
    assert "**" not in text and "#" not in text and "](" not in text
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    # Below the position's heading (2) and the builder's own subheadings (3, "Proposed amendments").
    assert ("Heading 4", "Why cities") in styles and ("Heading 5", "What we ask") in styles
    body = xml_of(data)
    numbered = [p for p in body.iter(w("p")) if p.find("w:pPr/w:numPr", NS) is not None]
    levels = {"".join(p.itertext(w("t"))): p.find("w:pPr/w:numPr/w:ilvl", NS).get(w("val")) for p in numbered}
    assert levels == {"Recognise cities": "0", "Fund them": "0", "directly": "1", "fairly": "1",
                      "a bullet": "0", "another bullet": "0"}
    num_ids = {"".join(p.itertext(w("t"))): p.find("w:pPr/w:numPr/w:numId", NS).get(w("val")) for p in numbered}
    assert num_ids["Recognise cities"] == num_ids["Fund them"] != num_ids["a bullet"]
    bold = [r for r in body.iter(w("r")) if r.find("w:rPr/w:b", NS) is not None]
    assert "deliver" in ["".join(r.itertext(w("t"))) for r in bold]
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    link = next(h for h in body.iter(w("hyperlink")) if h.get(r_id))
    rel_id = link.get(r_id)
    assert document.part.rels[rel_id].target_ref == "https://www.uclg.org"
    assert "".join(link.itertext(w("t"))) == "UCLG"
    assert any(r.find("w:br", NS) is not None for r in body.iter(w("r")))


def test_javascript_links_are_plain_text():
    body = xml_of(build_document(plan_of(entry(1, "Links", "A [trap](javascript:alert(1)) here."))))
    assert all(h.get(w("anchor")) for h in body.iter(w("hyperlink")))  # only the TOC's internal links
    assert "trap" in "".join(body.itertext(w("t")))


PLAIN_TEXTS = [
    "One paragraph.\n\nAnother one\nwith a soft break.\n\n\n  Indented a little.  ",
    "Word **bold** and *italic* and _under_ and [link](https://example.org).\n\nPlain.",
    "Trailing single space \nnext line.\n\n   \n\nAfter a blank line of spaces.",
    "Ampersand & less < greater > quotes \" ' fine.",
    "**Summary.** Cities *deliver* services & more.\n\nPlain *one*, **two**; and (**three**).",
]


@pytest.mark.parametrize("text", PLAIN_TEXTS)
def test_fast_paragraph_path_gives_the_same_document_as_the_token_walk(text, monkeypatch):
    plan = plan_of(entry(1, "Same", text))
    fast = xml_of(build_document(plan))
    monkeypatch.setattr(wordml, "_has_block_syntax", lambda source: True)
    walked = xml_of(build_document(plan))
    from lxml import etree

    def paragraphs(body):
        return [etree.tostring(p) for p in body.iter(w("p"))]

    assert paragraphs(fast) == paragraphs(walked)


def test_control_characters_do_not_break_the_document():
    nasty = "Cities\x01 deliver\x0b services\x1f.\ufffe\n\n**Bold\x08**"
    document = open_docx(build_document(plan_of(entry(1, "Title\x02 here", nasty, summary="S\x07um"),
                                                preface="Pre\x0cface")))
    text = body_text(document)
    assert "Cities deliver services." in text and "Bold" in text and "Title here" in text


def test_paragraph_references_sort_naturally():
    refs = ["32", "31(c)", "4", "31(b)", "31", "100", "31 (a)", "31(aa)", "31(z)", "007"]
    assert sorted(refs, key=paragraph_sort_key) == ["4", "007", "31", "31 (a)", "31(b)", "31(c)", "31(z)", "31(aa)",
                                                    "32", "100"]
    plan = plan_of(entry(1, "A", "x", amendments=[_amendment("007", "One."), _amendment("7", "Two.")]))
    assert [r.label for r in chapters.compile_amendments(plan)] == ["Section 4, paragraph 7"]


def _amendment(paragraph, proposed, section_order=4, current="Current wording."):
    return AmendmentEntry(section_id=section_order, section_name=f"Section {section_order}",
                          section_order=section_order, paragraph=paragraph, current_text=current,
                          proposed_text=proposed, rationale="Because.")


def test_amendments_annex_merges_proposals_differing_only_in_whitespace_and_orders_paragraphs():
    plan = plan_of(
        entry(1, "A", "Text.", org="CEMR", amendments=[_amendment("32", "Add cities."),
                                                      _amendment("31(c)", "Local  governments\ndeliver.")]),
        entry(2, "B", "Text.", org="Metropolis", amendments=[_amendment("31 (C)", "Local governments deliver. "),
                                                            _amendment("31(b)", "Something else.")]),
        entry(3, "C", "Text.", org="UCLG Africa", amendments=[_amendment("31(c)", "LOCAL GOVERNMENTS DELIVER."),
                                                             _amendment("31(c)", "Local governments deliver"),
                                                             _amendment("2", "Preamble change.", section_order=1)]),
    )
    rows = chapters.compile_amendments(plan)
    assert [r.label for r in rows] == ["Section 1, paragraph 2", "Section 4, paragraph 31(b)",
                                       "Section 4, paragraph 31(c)", "Section 4, paragraph 32"]
    merged = rows[2]
    # Case and punctuation make different proposals; the printed form is the first one's, whitespace collapsed.
    assert [(p.text, p.networks) for p in merged.proposals.values()] == [
        ("Local governments deliver.", ["CEMR", "Metropolis"]), ("LOCAL GOVERNMENTS DELIVER.", ["UCLG Africa"]),
        ("Local governments deliver", ["UCLG Africa"])]

    document = open_docx(build_document(plan))
    annex = [t for t in document.tables if [c.text for c in t.rows[0].cells][2:3] == ["Proposals"]]
    assert len(annex) == 1
    annex = annex[0]
    assert [c.text for c in annex.rows[0].cells] == ["Paragraph", "Current text", "Proposals", "Rationale"]
    sub_rows = [r for r in annex.rows if r.cells[0].text == "Section 4, paragraph 31(c)"]
    assert len(sub_rows) == 3  # one sub-row per proposal, the paragraph cell merged across them
    proposals = [r.cells[2].text for r in sub_rows]
    assert "Proposed by CEMR, Metropolis" in proposals[0] and "Local governments deliver." in proposals[0]
    assert "LOCAL GOVERNMENTS DELIVER." in proposals[1] and "Proposed by UCLG Africa" in proposals[2]
    assert "Local  governments" not in body_text(document)
    # Each position's own table: paragraph, current text, proposed text, rationale.
    own = document.tables[0]
    assert [c.text for c in own.rows[0].cells] == ["Paragraph", "Current text", "Proposed text", "Rationale"]


def test_compact_text_is_english_left_to_right_and_the_rationale_follows_the_position():
    amendment = AmendmentEntry(section_id=4, section_name="Section 4", section_order=4, paragraph="31(c)",
                               current_text="Engage with stakeholders.", proposed_text="Engage with cities.",
                               rationale="المدن تقدم الخدمات.")
    data = build_document(plan_of(entry(1, "موقف", "نص.", language="ar", org="UCLG-MEWA", amendments=[amendment]),
                                  entry(2, "Position", "Texte.", language="fr", org="CEMR", amendments=[
                                      AmendmentEntry(4, "Section 4", 4, "31(c)", "Engage with stakeholders.",
                                                     "Engage with cities.", "Les villes agissent.")])))
    body = xml_of(data)

    def paragraph_of(text: str):
        return [p for p in body.iter(w("p")) if "".join(p.itertext(w("t"))) == text]

    for text in ("Engage with stakeholders.", "Engage with cities."):
        found = paragraph_of(text)
        assert found
        for paragraph in found:
            assert paragraph.find("w:pPr/w:bidi", NS) is None
            assert not [r for r in paragraph.iter(w("rtl"))] and not [r for r in paragraph.iter(w("lang"))]
    rationale = paragraph_of("المدن تقدم الخدمات.")
    assert rationale and all(p.find("w:pPr/w:bidi", NS) is not None for p in rationale)
    # In the annex the merged proposal keeps each network's rationale, each in its language.
    french = paragraph_of("CEMR: Les villes agissent.")
    assert french and french[0].find(".//w:lang", NS).get(w("val")) == "fr-FR"
    assert paragraph_of("UCLG-MEWA: المدن تقدم الخدمات.")


def test_an_empty_reference_leaves_no_dangling_paragraph_label():
    document = open_docx(build_document(plan_of(entry(1, "A", "Text.", amendments=[_amendment("", "Add.")]))))
    text = body_text(document)
    assert "paragraph \n" not in text and not text.rstrip().endswith("paragraph")
    assert "Section 4, paragraph" not in text


def test_contributors_annex_counts_per_organisation_and_theme():
    document = open_docx(build_document(plan_of(
        entry(1, "A", "x", org="CEMR", authors=["Ann", "Bo"], themes=[OBJECTIVE_15, ADVOCACY]),
        entry(2, "B", "x", org="CEMR", authors=["Ann"], themes=[OBJECTIVE_15]),
        entry(3, "C", "x", org="Metropolis", authors=["Cy"], themes=[OBJECTIVE_16]),
        amendments_annex=False)))
    organisations, themes = document.tables[-2], document.tables[-1]
    assert [[c.text for c in r.cells] for r in organisations.rows][1:] == [
        ["CEMR full name (CEMR)", "Ann, Bo", "2"], ["Metropolis full name (Metropolis)", "Cy", "1"]]
    assert [[c.text for c in r.cells] for r in themes.rows][1:] == [
        ["Objective 15. Access to basic services", "2"], ["Objective 16. Inclusion and social cohesion", "1"],
        ["Workstream: Advocacy", "1"]]
    assert "Annex: Compilation of proposed amendments" not in headings(document, 1)


@pytest.mark.parametrize(("grouping", "expected"), [
    ("organisation", ["CEMR — CEMR full name", "Metropolis — Metropolis full name"]),
    ("workstream", ["Workstream: Advocacy", "Positions without a workstream"]),
])
def test_other_groupings(grouping, expected):
    document = open_docx(build_document(plan_of(
        entry(1, "A", "x", org="Metropolis", themes=[OBJECTIVE_15]),
        entry(2, "B", "x", org="CEMR", themes=[OBJECTIVE_15, ADVOCACY]),
        grouping=grouping, amendments_annex=False)))
    assert headings(document, 1)[:2] == expected

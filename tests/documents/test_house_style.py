"""What a UN documents editor checks in any edition: its words and reference names in the document's
language, every style it refers to defined, black headings, complex-script sizes equal to Latin ones."""

from __future__ import annotations

import re

from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.models import Comment, CompactSection, Theme

from ..conftest import milestone
from .conftest import compile_ready, headings, open_docx, w, xml_of


def _referenced_styles(data: bytes) -> set[str]:
    used = set()
    for part in ("word/document.xml", "word/comments.xml"):
        try:
            root = xml_of(data, part)
        except KeyError:
            continue
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used |= {node.get(w("val")) for node in root.iter(w(tag))}
    return used


def test_a_french_edition_names_objectives_sections_and_the_milestone_in_french(app, make_position, make_user):
    amendment = {"section_id": db.session.query(CompactSection).order_by(CompactSection.order).first().id,
                 "paragraph": "12", "current_text": "Now.", "proposed_text": "Cities too.", "rationale": "Why."}
    make_position("approved", org="CEMR", title="Logement", language="fr", text="Texte.", theme_numbers=(15,),
                  amendments=[amendment])
    objective = db.session.query(Theme).filter_by(number=15).one()
    section = db.session.get(CompactSection, amendment["section_id"])
    assert objective.short_label_fr and section.name_fr
    round_2 = milestone("Round 2")
    edition = compile_ready(round_2, make_user("secretariat"), CompileOptions(language="fr"))
    document = open_docx(edition.data)
    chapters = headings(document, 1)
    assert any(objective.short_label_fr in heading for heading in chapters), chapters
    assert not any(objective.short_label in heading for heading in chapters if objective.short_label)
    text = "\n".join(p.text for p in document.paragraphs)
    assert round_2.name_fr in text and round_2.name not in text
    assert edition.title.endswith(round_2.name_fr)
    tables = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert section.name_fr in tables + text


def test_every_style_the_edition_refers_to_is_defined_comments_included(app, make_position, make_user):
    position = make_position("approved", org="CEMR", title="Housing", text="# Why\n\nCities.")
    db.session.add(Comment(position=position, author=make_user("reviewer", "CEMR"), body="Well argued.",
                           visibility="shared", revision_number=1))
    db.session.commit()
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"), CompileOptions(review_comments=True))
    styles = xml_of(edition.data, "word/styles.xml")
    defined = {style.get(w("styleId")) for style in styles.iter(w("style"))}
    used = _referenced_styles(edition.data)
    assert {"CommentText", "CommentReference"} <= used
    assert used <= defined, used - defined


def test_headings_are_black_and_complex_script_sizes_equal_latin_sizes(app, make_position, make_user):
    make_position("approved", org="CEMR", title="Housing")
    edition = compile_ready(milestone("Round 2"), make_user("secretariat"), CompileOptions())
    styles = xml_of(edition.data, "word/styles.xml")
    for style in styles.iter(w("style")):
        rpr = style.find(w("rPr"))
        if rpr is None:
            continue
        size, cs = rpr.find(w("sz")), rpr.find(w("szCs"))
        if size is not None:
            assert cs is not None and cs.get(w("val")) == size.get(w("val")), style.get(w("styleId"))
        if re.fullmatch(r"Heading\d", style.get(w("styleId"))):
            color = rpr.find(w("color"))
            assert color is None or color.get(w("val")) in ("000000", "auto"), style.get(w("styleId"))
    normal = next(s for s in styles.iter(w("style")) if s.get(w("styleId")) == "Normal")
    spacing = normal.find(f"{w('pPr')}/{w('spacing')}")
    assert (spacing.get(w("line")), spacing.get(w("lineRule"))) == ("240", "exact")
    # A chapter's first line, or an amendments table under its heading, does not touch the heading.
    after = {s.get(w("styleId")): int(s.find(f"{w('pPr')}/{w('spacing')}").get(w("after")))
             for s in styles.iter(w("style")) if s.get(w("styleId")) in ("Heading1", "Heading3")}
    assert after == {"Heading1": 240, "Heading3": 120}


def test_numbered_lists_inside_numbered_paragraphs_are_lettered(app):
    from drafting.documents.render.builder import build_document

    from .conftest import entry, plan_of

    data = build_document(plan_of(entry(1, "Lists", "We ask:\n\n1. Recognise cities\n2. Fund them")))
    body, numbering = xml_of(data), xml_of(data, "word/numbering.xml")
    item = next(p for p in body.iter(w("p")) if "".join(p.itertext(w("t"))) == "Recognise cities")
    num_id = item.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}").get(w("val"))
    num = next(n for n in numbering.iter(w("num")) if n.get(w("numId")) == num_id)
    abstract_id = num.find(w("abstractNumId")).get(w("val"))
    abstract = next(a for a in numbering.iter(w("abstractNum")) if a.get(w("abstractNumId")) == abstract_id)
    first = abstract.find(w("lvl"))
    assert (first.find(w("numFmt")).get(w("val")), first.find(w("lvlText")).get(w("val"))) == ("lowerLetter", "(%1)")


def test_no_leftovers_of_python_docx_and_an_id_of_its_own_for_each_edition(app):
    from drafting.documents.render.builder import build_document

    from .conftest import entry, plan_of

    plan = plan_of(entry(1, "Cities' role", "Text."), locale="fr")
    data = build_document(plan)
    styles = xml_of(data, "word/styles.xml")
    assert styles.find(w("latentStyles")) is None
    table_styles = {s.get(w("styleId")) for s in styles.iter(w("style")) if s.get(w("type")) == "table"}
    assert table_styles == {"TableNormal", "AmendmentsTable"}
    assert len(list(styles.iter(w("style")))) < 70
    fonts = {font.get(w("name")) for font in xml_of(data, "word/fontTable.xml").iter(w("font"))}
    assert not fonts & {"Calibri", "Cambria", "ＭＳ 明朝", "ＭＳ ゴシック"}
    settings = xml_of(data, "word/settings.xml")
    assert settings.find(w("themeFontLang")).get(w("val")) == "fr-FR"
    doc_id = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    ids = [next(xml_of(build, "word/settings.xml").iter(f"{doc_id}docId")).get(f"{doc_id}val")
           for build in (data, build_document(plan_of(entry(1, "Cities' role", "Text."), locale="fr")),
                         build_document(plan_of(entry(1, "Cities' role", "Text."), symbol="UCLG/GCM/2018/R2/4")))]
    assert ids[0] == ids[1] != ids[2], ids
    assert "Cities\u2019 role" in headings(open_docx(data), 2)


def _indent(data: bytes, paragraph) -> tuple[str | None, str | None]:
    """(left, hanging) of a paragraph as Word resolves it: its own w:ind, else its list level's, else its
    style's and the styles it is based on."""
    def ind_of(ppr):
        ind = ppr.find(w("ind")) if ppr is not None else None
        return (ind.get(w("left")), ind.get(w("hanging"))) if ind is not None else None

    ppr = paragraph.find(w("pPr"))
    if ind_of(ppr):
        return ind_of(ppr)
    styles = {s.get(w("styleId")): s for s in xml_of(data, "word/styles.xml").iter(w("style"))}
    style = ppr.find(w("pStyle")).get(w("val")) if ppr is not None and ppr.find(w("pStyle")) is not None else None
    num_id = ppr.find(f"{w('numPr')}/{w('numId')}") if ppr is not None else None
    chain = []
    while style:
        chain.append(styles[style])
        based = styles[style].find(w("basedOn"))
        style = based.get(w("val")) if based is not None else None
    if num_id is None:
        num_id = next((s.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}") for s in chain
                       if s.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}") is not None), None)
    if num_id is not None:
        numbering = xml_of(data, "word/numbering.xml")
        num = next(n for n in numbering.iter(w("num")) if n.get(w("numId")) == num_id.get(w("val")))
        abstract = next(a for a in numbering.iter(w("abstractNum"))
                        if a.get(w("abstractNumId")) == num.find(w("abstractNumId")).get(w("val")))
        if ind_of(abstract.find(f"{w('lvl')}/{w('pPr')}")):
            return ind_of(abstract.find(f"{w('lvl')}/{w('pPr')}"))
    return next((ind_of(s.find(w("pPr"))) for s in chain if ind_of(s.find(w("pPr")))), (None, None))


def test_numbered_paragraphs_hang_alike_in_every_edition_kind(app):
    from datetime import date

    from drafting.documents.plan.data import TextLine, TextWithAmendments
    from drafting.documents.render.builder import build_document

    from .conftest import entry, plan_of

    consolidated = build_document(plan_of(entry(1, "Housing", "Cities house.\n\nThey ask:\n\n1. Funds\n2. Land"),
                                          number_paragraphs=True))
    tracked_plan = plan_of()
    tracked_plan.text = TextWithAmendments("Zero draft", date(2018, 2, 5), [
        TextLine(1, "paragraph", "We commit to strengthen the evidence base.", "16"),
        TextLine(2, "paragraph", "Elaborate a strategy for data;", "16(a)")], [], [])
    tracked = build_document(tracked_plan)

    def paragraph(data: bytes, text: str):
        return next(p for p in xml_of(data).iter(w("p")) if "".join(p.itertext(w("t"))).endswith(text))

    # "16." at the margin and its text 1 cm in; "(a)" where that text starts, its own text 1 cm further.
    assert _indent(consolidated, paragraph(consolidated, "Cities house.")) == ("567", "567")
    assert _indent(tracked, paragraph(tracked, "evidence base.")) == ("567", "567")
    assert _indent(consolidated, paragraph(consolidated, "Funds")) == ("1134", "567")
    assert _indent(tracked, paragraph(tracked, "strategy for data;")) == ("1134", "567")

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

"""What a Word user would otherwise have to repair: compatibility mode, application properties, parts
left from python-docx's template, widows and orphans, headings alone at a page's foot, split table rows,
Word comments' dates and which comments are attached."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from lxml import etree

from drafting.documents.plan.data import AmendmentEntry, ReviewNote
from drafting.documents.render.builder import build_document
from drafting.documents.render.packaging import APPLICATION
from tests.support.docx_structure import assert_sound_docx

from .conftest import NS, entry, open_docx, plan_of, w, xml_of

APP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def test_word_2013_compatibility_mode_and_no_python_docx_leftovers():
    data = build_document(plan_of(entry(1, "T", "Text.")))
    settings = xml_of(data, "word/settings.xml")
    modes = [s.get(w("val")) for s in settings.iter(w("compatSetting")) if s.get(w("name")) == "compatibilityMode"]
    assert modes == ["15"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not [n for n in names if n.startswith("customXml/") or "stylesWithEffects" in n or "thumbnail" in n]
    assert settings.find("w:rsids", NS) is None


def test_application_properties_name_this_application_without_stale_counts():
    app = xml_of(build_document(plan_of(entry(1, "T", "Text."))), "docProps/app.xml")
    assert app.find(f"{APP_NS}Application").text == APPLICATION
    for stale in ("Pages", "Words", "Characters", "Lines", "Paragraphs", "Template", "AppVersion"):
        assert app.find(f"{APP_NS}{stale}") is None, stale


def test_body_text_has_widow_control_and_headings_keep_with_the_next_paragraph():
    document = open_docx(build_document(plan_of(entry(1, "T", "Text."))))
    styles = xml_of(build_document(plan_of(entry(1, "T", "Text."))), "word/styles.xml")
    assert styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", NS) is not None
    assert document.styles["Normal"].paragraph_format.widow_control
    for level in (1, 2, 3, 4):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next, level
    assert document.styles["Normal"].font.name is None  # from the document defaults: Times New Roman
    fonts = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Times New Roman"
    assert fonts.get(w("cs")) == "Amiri"  # the serif Arabic face LibreOffice has (fonts-hosny-amiri)


def test_table_rows_never_split_and_header_rows_repeat():
    amendment = AmendmentEntry(None, "", 1, "31(b)", "Now.", "Proposed.\n" * 40, "Why.")
    data = build_document(plan_of(entry(1, "T", "Text.", amendments=[amendment])))
    tables = list(xml_of(data).iter(w("tbl")))
    assert len(tables) >= 3  # the position's amendments, the annex, the contributors
    for table in tables:
        rows = table.findall("w:tr", NS)
        assert all(row.find("w:trPr/w:cantSplit", NS) is not None for row in rows)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])


def test_word_comments_carry_the_time_they_were_written():
    written = datetime(2018, 1, 15, 16, 45, 10)
    data = build_document(plan_of(entry(1, "T", "Text.", review_notes=[ReviewNote("Rita Reviewer", written,
                                                                                  "Well argued.")]),
                                  review_comments=True))
    comments = xml_of(data, "word/comments.xml")
    comment = comments.find("w:comment", NS)
    assert comment.get(w("date")) == "2018-01-15T16:45:10Z"
    assert "".join(comment.itertext(w("t"))) == "Well argued."
    assert_sound_docx(data)


def test_core_properties_stay_sound_when_the_cp_prefix_is_rebound(monkeypatch):
    """Importing docxcompose (no longer a dependency) rebound python-docx's "cp" prefix for the whole
    process; the builder writes core.xml itself, so a library doing that again cannot damage it."""
    from docx.oxml import ns

    monkeypatch.setitem(ns.nsmap, "cp", "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties")

    data = build_document(plan_of(entry(1, "T", "Text."), symbol="UCLG/GCM/2018/R2/3"))
    assert_sound_docx(data)
    core = xml_of(data, "docProps/core.xml")
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    dc = "{http://purl.org/dc/elements/1.1/}"
    assert core.find(f"{cp}lastModifiedBy").text == "Ana Secretariat"
    assert core.find(f"{dc}identifier").text == "UCLG/GCM/2018/R2/3"
    assert core.find(f"{dc}title").text == "Local governments on the compact"
    assert etree.QName(core.find(f"{cp}revision")).namespace == cp[1:-1]

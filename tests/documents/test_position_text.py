"""A position's Markdown stays inside the position in Word: its headings below the position's, refused
links as text, bidi controls gone, line and paragraph separators as breaks."""

from __future__ import annotations

from drafting.documents.render import builder
from tests.support.docx_structure import assert_sound_docx

from .conftest import body_text, headings, open_docx, w, xml_of
from .test_builder import entry, plan_of


def build_document(plan) -> bytes:
    data = builder.build_document(plan)
    assert_sound_docx(data)
    return data


def test_a_heading_in_a_position_stays_below_the_builders_own_headings():
    document = open_docx(build_document(plan_of(entry(1, "Housing", "# Our view\n\nText.\n\n## Detail\n\nMore."))))
    assert headings(document, 2) == ["Housing"]
    assert "Our view" not in headings(document, 1) + headings(document, 2) + headings(document, 3)
    assert headings(document, 4) == ["Our view"] and headings(document, 5) == ["Detail"]


def test_a_refused_link_keeps_its_text_only():
    data = build_document(plan_of(entry(1, "Links", "See [the plan](javascript:alert(1)) and [a file](file:///x).")))
    text = body_text(open_docx(data))
    assert "See the plan and a file." in text
    assert "](" not in text and "javascript" not in text
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    assert not [link for link in xml_of(data).iter(w("hyperlink")) if link.get(r_id)]


def test_bidi_controls_are_removed_by_the_builder():
    data = build_document(plan_of(entry(1, "Cities \u202eseitic\u202c", "We \u202ahelp\u202c \u2067all\u2069.")))
    text = body_text(open_docx(data))
    assert "We help all." in text and "Cities seitic" in text
    assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_line_and_paragraph_separators_become_breaks_not_joined_words():
    data = build_document(plan_of(entry(1, "Separators", "first line\u2028second line\u2029new paragraph\x85next")))
    body = xml_of(data)
    paragraphs = ["".join(p.itertext(w("t"))) for p in body.iter(w("p"))]
    assert "first line second line" in paragraphs
    assert "new paragraph next" in paragraphs
    assert "linesecond" not in body_text(open_docx(data)) and "\x85" not in body_text(open_docx(data))

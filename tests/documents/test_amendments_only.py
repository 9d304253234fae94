"""Issue 23, point 5: a position made only of amendments is printed as its amendments."""

from __future__ import annotations

from drafting.documents.plan.data import AmendmentEntry
from drafting.documents.render.builder import build_document

from .conftest import entry, plan_of, w, xml_of


def test_a_position_of_amendments_only_is_printed_as_its_amendments_with_no_empty_text():
    amendment = AmendmentEntry(section_id=4, section_name="Section 4", section_order=4, paragraph="31(c)",
                               current_text="Engage with stakeholders.", proposed_text="Engage with cities.",
                               rationale="Cities deliver.")
    body = xml_of(build_document(plan_of(entry(1, "Only amendments", "", amendments=[amendment]))))
    paragraphs = ["".join(p.itertext(w("t"))) for p in body.iter(w("p"))]
    title = paragraphs.index("Only amendments")
    heading = paragraphs.index("Proposed amendments", title)
    # Between the title and the amendments: the attribution (and summary) only, no empty text paragraph.
    assert all(text.strip() for text in paragraphs[title + 1:heading])
    assert "Engage with cities." in "".join(paragraphs[heading:])
    assert "Cities deliver." in "".join(paragraphs[heading:])

"""Direction by run, from the script of the text: Arabic runs right to left (w:rtl, w:cs), Latin words
inside Arabic text in runs of their own, left to right; an English paragraph of an Arabic position is
not a right-to-left paragraph."""

from __future__ import annotations

import pytest

from drafting.documents.render.builder import build_document
from drafting.documents.render.wordml import script_segments

from .conftest import NS, entry, plan_of, w, xml_of

ARABIC = "السلطات المحلية تقدم الخدمات"


def test_mixed_text_is_cut_where_the_script_changes_with_neutrals_as_word_attaches_them():
    assert script_segments(f"UCLG-MEWA: {ARABIC} 12.", True) == [("UCLG-MEWA", False), (f": {ARABIC} 12.", True)]
    assert script_segments("The rationale includes the local level.", True) == [
        ("The rationale includes the local level.", False)]
    assert script_segments(f"{ARABIC} (CEMR) {ARABIC}", True) == [
        (f"{ARABIC} (", True), ("CEMR", False), (f") {ARABIC}", True)]
    assert script_segments(f"Cities: {ARABIC}", False) == [("Cities: ", False), (ARABIC, True)]


def _runs(data: bytes) -> list[tuple[str, bool, bool]]:
    """Each run of the body: its text, whether it is right to left, whether it asks complex script."""
    return [("".join(r.itertext(w("t"))), r.find("w:rPr/w:rtl", NS) is not None, r.find("w:rPr/w:cs", NS) is not None)
            for r in xml_of(data).iter(w("r")) if "".join(r.itertext(w("t")))]


@pytest.mark.usefixtures("app")
def test_an_arabic_position_writes_latin_words_left_to_right_and_arabic_right_to_left():
    amendment = {"section_id": None, "section_name": "Preamble", "section_order": 1, "paragraph": "3",
                 "current_text": ARABIC, "proposed_text": f"{ARABIC} UCLG-MEWA", "kind": "modify",
                 "rationale": "The rationale includes the local level.", "anchored": False}
    from drafting.documents.plan.data import AmendmentEntry

    data = build_document(plan_of(entry(1, "المدن", f"UCLG-MEWA: {ARABIC}.", language="ar", org="UCLG-MEWA",
                                        amendments=[AmendmentEntry(**amendment)])))
    runs = _runs(data)
    assert ("UCLG-MEWA", False, False) in runs
    assert (f": {ARABIC}.", True, True) in runs
    # The English rationale: one left-to-right run, in a paragraph that is not right to left.
    assert ("The rationale includes the local level.", False, False) in runs
    body = xml_of(data)
    rationale = next(p for p in body.iter(w("p"))
                     if "".join(p.itertext(w("t"))) == "The rationale includes the local level.")
    assert rationale.find("w:pPr/w:bidi", NS) is None
    assert all(rtl == cs for _text, rtl, cs in runs)
    assert not any(rtl for text, rtl, _cs in runs if text.isascii() and any(c.isalpha() for c in text))

"""The importer finds sections, numbered and lettered paragraphs, whether the numbers are typed or
come from Word's automatic numbering, and flags what it cannot number."""

from __future__ import annotations

import pytest

from drafting.negotiated_text.structure import parse_plain_text
from drafting.negotiated_text.word_import import parse_docx
from tests.support.wordfiles import DraftFile


def numbers(parsed) -> list[str]:
    return [p.number for p in parsed.numbered]


def test_typed_numbers_headings_and_letters():
    draft = DraftFile()
    draft.heading("Preamble")
    draft.paragraph("1. We, the Ministers, gathered in Marrakech.")
    draft.paragraph("2.  We recognise the role of cities.")
    draft.heading("Objective 1: Collect and use data")
    draft.paragraph("16. We commit to strengthen the evidence base. To realize this, we will:")
    draft.paragraph("(a) Elaborate a strategy for data;")
    draft.paragraph("(b) Improve international comparability;")
    draft.paragraph("")
    parsed = parse_docx(draft.bytes())
    assert parsed.sections == ["Preamble", "Objective 1: Collect and use data"]
    assert numbers(parsed) == ["1", "2", "16", "16(a)", "16(b)"]
    sixteen_a = parsed.numbered[3]
    assert sixteen_a.text == "Elaborate a strategy for data;"
    assert sixteen_a.anchor == "p-16-a"
    assert sixteen_a.section == "Objective 1: Collect and use data"
    assert parsed.numbered[1].text == "We recognise the role of cities."  # double space folded
    assert parsed.unnumbered == []


def test_word_automatic_numbering_single_level_has_no_number_in_the_text():
    draft = DraftFile()
    decimal = draft.list_definition([("decimal", "%1.")])
    num = draft.list_instance(decimal)
    draft.heading("Vision")
    for text in ("First paragraph.", "Second paragraph.", "Third paragraph."):
        draft.paragraph(text, num)
    parsed = parse_docx(draft.bytes())
    assert numbers(parsed) == ["1", "2", "3"]
    assert parsed.numbered[2].text == "Third paragraph."


def test_multi_level_numbering_letters_restart_under_each_paragraph():
    draft = DraftFile()
    outline = draft.list_definition([("decimal", "%1."), ("lowerLetter", "(%2)")], start=15)
    num = draft.list_instance(outline)
    draft.paragraph("Objective paragraph.", num)
    draft.paragraph("Action one;", num, ilvl=1)
    draft.paragraph("Action two;", num, ilvl=1)
    draft.paragraph("Next objective.", num)
    draft.paragraph("Its first action;", num, ilvl=1)
    parsed = parse_docx(draft.bytes())
    assert numbers(parsed) == ["15", "15(a)", "15(b)", "16", "16(a)"]


def test_a_new_list_instance_with_a_start_override_restarts_and_another_continues():
    draft = DraftFile()
    decimal = draft.list_definition([("decimal", "%1.")])
    first = draft.list_instance(decimal)
    draft.paragraph("One.", first)
    draft.paragraph("Two.", first)
    continued = draft.list_instance(decimal)  # same list, no override: Word continues counting
    draft.paragraph("Three.", continued)
    restarted = draft.list_instance(decimal, restart_at=40)
    draft.paragraph("Forty.", restarted)
    draft.paragraph("Forty-one.", restarted)
    parsed = parse_docx(draft.bytes())
    assert numbers(parsed) == ["1", "2", "3", "40", "41"]


def test_tables_are_read_and_unnumbered_paragraphs_are_flagged():
    draft = DraftFile()
    draft.heading("Follow-up and review")
    draft.paragraph("This paragraph has no number at all.")
    draft.table([["40. We decide to hold a forum.", "41. We invite States."]])
    parsed = parse_docx(draft.bytes())
    assert numbers(parsed) == ["40", "41"]
    assert [p.text for p in parsed.unnumbered] == ["This paragraph has no number at all."]


def test_bullets_are_not_numbers():
    draft = DraftFile()
    bullets = draft.list_definition([("bullet", "•")])
    num = draft.list_instance(bullets)
    draft.paragraph("12. A paragraph.")
    draft.paragraph("A bulleted remark.", num)
    parsed = parse_docx(draft.bytes())
    assert numbers(parsed) == ["12"]
    assert [p.text for p in parsed.unnumbered] == ["A bulleted remark."]


def test_a_file_python_docx_cannot_open_is_refused():
    with pytest.raises(ValueError):
        parse_docx(b"PK\x03\x04 not really a zip")


def test_pasted_text_and_the_canonical_form_round_trip():
    source = """# Preamble
1. We, the Ministers.

Objective 2: Minimize adverse drivers
18. We commit to create conducive conditions. We will:
(a) Invest in programmes;
b) Promote decent work;
A stray sentence without a number.
"""
    parsed = parse_plain_text(source)
    assert parsed.sections == ["Preamble", "Objective 2: Minimize adverse drivers"]
    assert numbers(parsed) == ["1", "18", "18(a)", "18(b)"]
    assert [p.text for p in parsed.unnumbered] == ["A stray sentence without a number."]
    again = parse_plain_text(parsed.canonical_text())
    assert [(p.kind, p.number, p.text) for p in again.paragraphs] == \
        [(p.kind, p.number, p.text) for p in parsed.paragraphs]


def test_duplicate_numbers_are_reported():
    parsed = parse_plain_text("1. One.\n2. Two.\n2. Two again.\n")
    assert parsed.duplicate_numbers == ["2"]


def test_multi_level_decimal_numbers_keep_their_levels_through_the_preview():
    draft = DraftFile()
    outline = draft.list_definition([("decimal", "%1."), ("decimal", "%1.%2.")])
    num = draft.list_instance(outline)
    draft.paragraph("Main.", num)
    draft.paragraph("Sub one.", num, ilvl=1)
    draft.paragraph("Sub two.", num, ilvl=1)
    parsed = parse_docx(draft.bytes())
    assert numbers(parsed) == ["1", "1.1", "1.2"]
    assert numbers(parse_plain_text(parsed.canonical_text())) == ["1", "1.1", "1.2"]

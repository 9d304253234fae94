"""The consolidated edition prints an anchored amendment as UN compilation documents do: the quoted
paragraph, then the proposal as a change to it, inserted words bold and underlined, deleted words struck
through; in the position's table and in the annex compiling all proposals."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.documents.plan.gathering import plan_edition
from drafting.documents.render.builder import build_document
from tests.conftest import milestone
from tests.support.published import paragraph, publish


def _marked_runs(document) -> dict[str, list[str]]:
    """Every run of every table cell, by its mark: "insert" (bold and underlined), "delete" (struck)."""
    found: dict[str, list[str]] = {"insert": [], "delete": []}
    for table in document.tables:
        for run in table._tbl.iter(qn("w:r")):
            properties = run.find(qn("w:rPr"))
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            if properties is None:
                continue
            underlined = properties.find(qn("w:u")) is not None
            if underlined and properties.find(qn("w:b")) is not None:
                found["insert"].append(text)
            if properties.find(qn("w:strike")) is not None:
                found["delete"].append(text)
    return found


def test_anchored_proposals_are_printed_as_changes_to_the_quoted_text(app, make_user, make_position):
    revision = publish(make_user("secretariat"))
    chosen, removed = paragraph(revision, "16(a)"), paragraph(revision, "17")
    position = make_position("approved", milestone_name="Round 2", amendments=[
        {"paragraph_id": chosen.id, "kind": "replace", "proposed_text": "Elaborate and implement, with local "
         "authorities, a comprehensive strategy for improving migration statistics;", "rationale": "Cities count."},
        {"paragraph_id": removed.id, "kind": "delete", "rationale": "Covered by 16."},
        {"section_id": None, "paragraph": "40", "current_text": "Typed.", "proposed_text": "Retyped."},
    ])
    assert position.amendments[0]["current_text"] == chosen.text  # quoted by the server

    edition = compile_edition(milestone("Round 2"), make_user("secretariat"), CompileOptions())
    plan, _taken = plan_edition(edition)
    document = docx.Document(io.BytesIO(build_document(plan)))
    marked = _marked_runs(document)
    # In the position's table and again in the annex.
    assert marked["insert"].count(", with local authorities,") == 2
    assert marked["insert"].count("statistics") == 2 and marked["delete"].count("data") == 2
    assert marked["delete"].count(removed.text) == 2
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("Replace wording" in text for text in cells) and any("Delete" in text for text in cells)
    # An unanchored amendment is printed as it was typed, nothing marked.
    assert "Retyped." in cells and "Retyped." not in marked["insert"]

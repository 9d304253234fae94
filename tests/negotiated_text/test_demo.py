"""The demo data set: the zero draft is published, the rounds' positions amend its paragraphs, and
the demo's Rev 1 puts their amendments in every status (the README's demo tour relies on it)."""

from __future__ import annotations

from sqlalchemy import select

from drafting.demo import load_demo
from drafting.extensions import db
from drafting.models import Position, TextParagraph, TextRevision
from drafting.negotiated_text.demo import demo_text
from drafting.negotiated_text.matching import match_paragraphs
from drafting.negotiated_text.structure import parse_plain_text
from drafting.negotiated_text.uptake import STATUSES, assess
from drafting.positions.amendments import normalised


def _anchored(position: Position) -> list[dict]:
    return [a for a in normalised(position.amendments) if a["paragraph_id"] is not None]


def test_the_demo_publishes_the_zero_draft_and_anchors_the_rounds_amendments(app):
    load_demo()
    revisions = db.session.scalars(select(TextRevision)).all()
    assert [(r.name, r.issued_on.isoformat(), r.milestone.kind) for r in revisions] == [
        ("Zero draft", "2018-02-05", "zero draft")]
    paragraphs = {p.id: p for p in revisions[0].paragraphs}
    positions = db.session.scalars(select(Position).order_by(Position.id)).all()
    anchored = [(p, a) for p in positions for a in _anchored(p)]
    assert len(anchored) >= 8
    for position, amendment in anchored:
        paragraph = paragraphs[amendment["paragraph_id"]]
        # The quoted text is the revision's, whatever the position's language.
        assert amendment["current_text"] == paragraph.text
        assert amendment["paragraph"] == paragraph.number
        assert position.milestone.name.find("Round") >= 0
    # The zero draft's own positions were written before its text: their amendments stay unanchored.
    zero = [p for p in positions if p.milestone.kind == "zero draft" and p.amendments]
    assert zero and all(not _anchored(p) for p in zero)
    kinds = {a["kind"] for _, a in anchored}
    assert kinds == {"replace", "insert_after", "delete"}


def test_the_demo_revision_1_puts_the_demo_amendments_in_every_status(app):
    load_demo()
    old = db.session.scalars(select(TextParagraph).where(TextParagraph.kind == "paragraph")
                             .order_by(TextParagraph.order)).all()
    new = [p for p in parse_plain_text(demo_text("revision_1")).paragraphs if p.kind == "paragraph"]
    successor = {m.old: m.new for m in match_paragraphs([p.text for p in old], [p.text for p in new])
                 if m.old is not None}
    index = {p.id: i for i, p in enumerate(old)}
    statuses = set()
    for position in db.session.scalars(select(Position)):
        for amendment in _anchored(position):
            j = successor.get(index[amendment["paragraph_id"]])
            statuses.add(assess(amendment["kind"], amendment["current_text"], amendment["proposed_text"],
                                new[j].text if j is not None else None, [p.text for p in new]))
    assert statuses == set(STATUSES)

"""The demo data set: the zero draft is published, the rounds' positions amend its paragraphs, and
the demo's Rev 1 puts their amendments in every status (the user guide's demo tour relies on it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from drafting.amendments.rules import normalised
from drafting.amendments.uptake import STATUSES
from drafting.demo import load_demo
from drafting.extensions import db
from drafting.models import AmendmentStatus, Position, TextRevision, User
from drafting.negotiated_text.demo import demo_text
from drafting.negotiated_text.operations import publish_revision, read_pasted_text
from tests.conftest import milestone
from tests.support.worker import run_queued_jobs


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
    secretariat = db.session.scalar(select(User).where(User.role == "secretariat"))
    rev_1 = publish_revision(name="Rev 1", issued_on=date(2018, 3, 26), milestone=milestone("Round 3"),
                             structure=read_pasted_text(demo_text("revision_1")).canonical_text(),
                             source_filename="", by=secretariat)
    run_queued_jobs(app)
    statuses = db.session.scalars(select(AmendmentStatus).where(AmendmentStatus.text_revision_id == rev_1.id)).all()
    assert {s.status for s in statuses} == set(STATUSES)
    anchored = sum(len(_anchored(p)) for p in db.session.scalars(select(Position)))
    assert len(statuses) == anchored

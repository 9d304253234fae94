"""The demo's joint proposals: one paragraph in each state, so that `make run` shows them."""

from __future__ import annotations

from sqlalchemy import select

from drafting.demo import load_demo
from drafting.extensions import db
from drafting.joint_proposals.queries import paragraphs_with_amendments, state_counts
from drafting.models import OutboxMessage, TextRevision


def test_the_demo_has_joint_proposals_in_every_state(app):
    load_demo()
    revision = db.session.scalar(select(TextRevision))
    items = {item.paragraph.number: item for item in paragraphs_with_amendments(revision)}
    assert items["3"].state == "agreed"
    assert items["18"].state == "disputed"
    assert items["13"].state == "proposed"
    assert all(count > 0 for count in state_counts(items.values()).values())
    assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "joint_proposal")).first()

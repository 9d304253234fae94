"""The rules of the joint proposal's one writer: rounds, the unchanged paragraph, a colleague's save
that lands between reading and writing, answers replaced within a round, the answers a network owes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from drafting.extensions import db
from drafting.joint_proposals import operations, queries
from drafting.models import JointProposal, ProposalAnswer, TextParagraph
from tests.support.joint_proposals import CEMR_16, METROPOLIS_16, joint_world

__all__ = ["joint_world"]

TODAY = date(2018, 2, 10)


def _subject(world, number="16") -> queries.ParagraphProposals:
    db.session.expire_all()
    return queries.paragraph_proposals(db.session.get(TextParagraph, world["paragraphs"][number]))


def _input(subject, **changes) -> operations.ProposalInput:
    values = {"choice": "merged", "kind": "replace", "text": CEMR_16, "reason": "Why.",
              "answer_until": date(2018, 2, 20),
              "outcomes": {a.id: ("merged", "") for a in subject.amendments}}
    values.update(changes)
    return operations.ProposalInput(**values)


def _record(world, **changes) -> tuple[JointProposal, bool]:
    subject = _subject(world)
    version = subject.proposal.version if subject.proposal else None
    return operations.record_proposal(subject, world["secretariat"], _input(subject, **changes), version, TODAY)


def test_a_new_kind_starts_a_new_round_and_a_deletion_has_no_wording(joint_world):
    proposal, asked = _record(joint_world)
    assert asked and proposal.round == 1
    proposal, asked = _record(joint_world, kind="delete", text="Left over words.")
    assert asked and proposal.round == 2 and proposal.text == ""
    proposal, asked = _record(joint_world, kind="delete", reason="Another reason.", answer_until=date(2018, 3, 1))
    assert not asked and proposal.round == 2


def test_the_paragraph_left_unchanged_keeps_the_revisions_text(joint_world):
    proposal, _asked = _record(joint_world, choice="unchanged", kind="insert_after", text="Ignored.",
                               outcomes={a.id: ("not_taken", "Member States will not move.")
                                         for a in _subject(joint_world).amendments})
    assert proposal.kind == "replace"
    assert proposal.text == "We commit to strengthen the evidence base on migration by improving data collection."
    assert _subject(joint_world).proposal_change == [queries.Segment("same", proposal.text)]


def test_a_colleagues_save_between_reading_and_writing_is_not_overwritten(joint_world):
    _record(joint_world, reason="First.")
    subject = _subject(joint_world)
    version = subject.proposal.version
    # A colleague's save commits after this request read the proposal.
    db.session.execute(update(JointProposal).values(reason="The colleague's.", version=JointProposal.version + 1))
    db.session.commit()
    with pytest.raises(operations.StaleProposal) as stale:
        operations.record_proposal(subject, joint_world["secretariat"], _input(subject, reason="Mine."), version, TODAY)
    assert stale.value.proposal.reason == "The colleague's."


def test_a_date_in_the_past_is_refused_unless_it_is_the_saved_one(joint_world):
    with pytest.raises(operations.ProposalRefused) as refused:
        _record(joint_world, answer_until=date(2018, 2, 1))
    assert set(refused.value.errors) == {"answer_until"}
    proposal, _asked = _record(joint_world)
    proposal.answer_until = date(2018, 2, 1)  # passed since it was set
    db.session.commit()
    proposal, _asked = _record(joint_world, answer_until=date(2018, 2, 1), reason="Only the reason changes.")
    assert proposal.reason == "Only the reason changes."


def test_answering_again_in_a_round_replaces_the_networks_answer(joint_world):
    _record(joint_world)
    cemr = joint_world["cemr_author"]
    for answer, comment in (("disagree", "Too vague."), ("agree", "After a call, fine.")):
        operations.answer_proposal(_subject(joint_world), cemr.organisation, cemr, answer, comment, 1, TODAY)
    answers = db.session.scalars(select(ProposalAnswer)).all()
    assert [(a.answer, a.comment, a.round) for a in answers] == [("agree", "After a call, fine.", 1)]


def test_the_answers_a_network_owes(joint_world):
    cemr = joint_world["cemr_author"]
    assert queries.answers_due(cemr.organisation_id, TODAY) == []
    _record(joint_world, choice="as_proposed", text=METROPOLIS_16)
    due = queries.answers_due(cemr.organisation_id, TODAY)
    assert [item.paragraph.number for item in due] == ["16"]
    assert queries.answers_due(cemr.organisation_id, date(2018, 2, 21)) == []  # past the date
    operations.answer_proposal(_subject(joint_world), cemr.organisation, cemr, "agree", "", 1, TODAY)
    assert queries.answers_due(cemr.organisation_id, TODAY) == []

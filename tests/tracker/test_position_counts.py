"""The tracker's counts (position_counts, kept by triggers) stay equal to counting the positions, whatever
writes them: the workflow, a bulk move, an edit that changes the milestone, plain SQL, a delete."""

from __future__ import annotations

from sqlalchemy import delete, func, select, text

from drafting.clock import today
from drafting.extensions import db
from drafting.models import Position, PositionCount
from drafting.positions import workflow
from drafting.positions.operations import PositionContent, save_position
from drafting.tracker.queries import build_tracker
from tests.conftest import milestone
from tests.support.query_budget import insert_positions


def kept() -> dict:
    return {(m, o, s): c for m, o, s, c in db.session.execute(
        select(PositionCount.milestone_id, PositionCount.organisation_id, PositionCount.stage, PositionCount.count)
        .where(PositionCount.count > 0))}


def counted() -> dict:
    return {(m, o, s): c for m, o, s, c in db.session.execute(
        select(Position.milestone_id, Position.organisation_id, Position.stage, func.count())
        .group_by(Position.milestone_id, Position.organisation_id, Position.stage))}


def test_the_counts_follow_every_kind_of_write(make_position, make_user):
    draft = make_position("draft")
    approved = make_position("approved", org="Metropolis")
    make_position("in_review")
    assert kept() == counted() and sum(kept().values()) == 3

    # The workflow, one position at a time.
    workflow.transition(draft, "submit", draft.created_by)
    assert kept() == counted()

    # An edit that moves the position to another milestone.
    round_1 = milestone("Round 1")
    content = PositionContent.of(draft)
    content.milestone_id = round_1.id
    save_position(draft, draft.created_by, content, draft.revision_number)
    assert kept() == counted() and kept()[(round_1.id, draft.organisation_id, "submitted")] == 1

    # A bulk move (compiling includes thousands in one statement), then plain SQL, then a delete.
    workflow.transition_many([approved], "include", make_user("secretariat"))
    db.session.commit()
    assert kept()[(approved.milestone_id, approved.organisation_id, "included")] == 1
    db.session.execute(text("UPDATE positions SET stage = 'withdrawn' WHERE id = :id"), {"id": draft.id})
    insert_positions(20, make_user("contributor", "CEMR"))
    assert kept() == counted()
    db.session.execute(delete(Position).where(Position.id == approved.id))
    db.session.commit()
    assert kept() == counted() and sum(kept().values()) == 22


def test_the_tracker_shows_the_kept_counts_and_the_drafts_due_soon(make_position):
    from datetime import timedelta

    round_2 = milestone("Round 2")
    for _ in range(3):
        make_position("draft")
    moved = make_position("draft", org="Metropolis")
    make_position("submitted")
    round_2.submission_deadline = today() + timedelta(days=3)
    db.session.commit()

    def round_2_row():
        return next(r for r in build_tracker(today()).rows if r.milestone.id == round_2.id)

    assert (round_2_row().total, round_2_row().drafts_due_soon) == (5, 4)
    # An extension beyond the week takes one draft out; the rule is workflow's, position by position.
    moved.extended_until = today() + workflow.DUE_SOON + timedelta(days=7)
    db.session.commit()
    assert round_2_row().drafts_due_soon == 3
    # Past the milestone's deadline, only a draft whose extension ends within the week is due soon.
    round_2.submission_deadline = today() - timedelta(days=1)
    moved.extended_until = today() + timedelta(days=2)
    db.session.commit()
    assert round_2_row().drafts_due_soon == 1
    expected = sum(1 for p in db.session.scalars(select(Position).where(Position.milestone_id == round_2.id))
                   if p.stage in workflow.AWAITING_SUBMISSION and (d := workflow.submission_deadline(p)) is not None
                   and today() <= d <= today() + workflow.DUE_SOON)
    assert expected == 1

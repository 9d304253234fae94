"""The stage table: every stage x action, who may move a position, and what each move records."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import STAGES, Comment, StageEvent
from drafting.positions import operations, workflow
from drafting.positions.workflow import TRANSITIONS, WorkflowError, transition
from tests.conftest import milestone

# (action, role that may do it) -> the stages it starts from and where it leads.
EXPECTED = {
    "submit": ({"draft", "changes_requested"}, "submitted"),
    "start_review": ({"submitted"}, "in_review"),
    "request_changes": ({"in_review"}, "changes_requested"),
    "approve": ({"in_review"}, "approved"),
    "reject": ({"in_review"}, "rejected"),
    "withdraw": ({"draft", "submitted", "changes_requested"}, "withdrawn"),
    "reopen": ({"approved", "rejected"}, "in_review"),
    "include": ({"approved"}, "included"),
    "restore": ({"withdrawn"}, "draft"),
}
ACTOR_ROLE = {"submit": "author", "withdraw": "author", "restore": "author", "reopen": "secretariat",
              "include": "secretariat"}
# Decided on a "submitted" position, these start the review implicitly (a start_review event first).
IMPLICIT_START = {"approve", "request_changes", "reject"}


def test_the_table_is_the_one_we_document():
    assert {a: (set(t.sources), t.target) for a, t in TRANSITIONS.items()} == EXPECTED


def _actor(role, position, make_user):
    if role == "author":
        return position.created_by
    if role == "secretariat":
        return make_user("secretariat")
    return make_user("reviewer", "Metropolis")


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("action", list(EXPECTED))
def test_every_stage_and_action(make_position, make_user, stage, action):
    position = make_position(stage)
    actor = _actor(ACTOR_ROLE.get(action, "reviewer"), position, make_user)
    sources, target = EXPECTED[action]
    events_before = db.session.scalar(select(db.func.count()).select_from(StageEvent))
    implicit = stage == "submitted" and action in IMPLICIT_START
    if stage in sources or implicit:
        event = transition(position, action, actor, comment="A reason that is good enough.")
        db.session.refresh(position)
        assert position.stage == target
        from_stage = "in_review" if implicit else stage
        assert (event.from_stage, event.to_stage, event.actor_id) == (from_stage, target, actor.id)
        assert event.comment == "A reason that is good enough."
        if implicit:
            started = db.session.scalars(select(StageEvent).where(StageEvent.position_id == position.id)
                                         .order_by(StageEvent.id.desc()).limit(2)).all()[1]
            assert (started.action, started.from_stage, started.to_stage) == ("start_review", "submitted",
                                                                              "in_review")
    else:
        with pytest.raises(WorkflowError, match="not possible while the position is"):
            transition(position, action, actor, comment="A reason.")
        db.session.rollback()
        db.session.refresh(position)
        assert position.stage == stage
        assert db.session.scalar(select(db.func.count()).select_from(StageEvent)) == events_before


@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_only_contributors_of_the_organisation_move_their_drafts(make_position, make_user, action):
    position = make_position("draft", org="CEMR")
    for outsider in (make_user("contributor", "Metropolis"), make_user("reviewer", "CEMR"),
                     make_user("secretariat")):
        with pytest.raises(WorkflowError, match="may not"):
            transition(position, action, outsider)
    colleague = make_user("contributor", "CEMR")  # co-drafting inside a network
    transition(position, action, colleague)
    assert position.stage == EXPECTED[action][1]


@pytest.mark.parametrize("action", ["start_review", "approve", "request_changes", "reject"])
def test_contributors_and_secretariat_do_not_review(make_position, make_user, action):
    position = make_position("submitted" if action == "start_review" else "in_review")
    for role, org in (("contributor", "CEMR"), ("secretariat", None)):
        with pytest.raises(WorkflowError):
            transition(position, action, make_user(role, org), comment="x")
    assert position.stage in ("submitted", "in_review")


def test_a_reviewer_never_reviews_what_they_wrote(make_position, make_user):
    position = make_position("submitted")
    # A former contributor who became a reviewer, and had edited this position.
    editor = position.created_by
    editor.role = "reviewer"
    db.session.commit()
    with pytest.raises(WorkflowError, match="wrote or edited"):
        transition(position, "start_review", editor)
    assert position.stage == "submitted"


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_request_changes_and_reject_need_a_comment(make_position, make_user, action):
    position = make_position("in_review")
    with pytest.raises(WorkflowError, match="reason is required"):
        transition(position, action, make_user("reviewer"), comment="   ")
    assert position.stage == "in_review"


def test_reopen_needs_a_reason_and_starts_the_approvals_over(make_position, make_user):
    position = make_position("approved")
    secretariat = make_user("secretariat")
    with pytest.raises(WorkflowError, match="reason is required"):
        transition(position, "reopen", secretariat)
    transition(position, "reopen", secretariat, comment="A network asked to add a paragraph.")
    assert position.stage == "in_review"
    assert workflow.approvals_of_current_revision(position) == []


def test_shared_and_internal_comments_of_a_decision(make_position, make_user):
    position = make_position("in_review")
    reviewer = make_user("reviewer")
    transition(position, "request_changes", reviewer, comment="Please cite paragraph 31.", visibility="shared")
    comment = db.session.scalar(select(Comment).where(Comment.position_id == position.id))
    assert (comment.body, comment.visibility) == ("Please cite paragraph 31.", "shared")


def test_two_approvals_needed_when_the_milestone_says_so(make_position, make_user):
    position = make_position("in_review")
    position.milestone.approvals_required = 2
    db.session.commit()
    first, second = make_user("reviewer", "Metropolis"), make_user("reviewer", "UCLG Africa")
    transition(position, "approve", first)
    assert position.stage == "in_review"
    with pytest.raises(WorkflowError, match="already approved"):
        transition(position, "approve", first)
    transition(position, "approve", second)
    assert position.stage == "approved"
    assert position.approved_at is not None


def test_approvals_count_for_the_same_revision_only(make_position, make_user):
    position = make_position("in_review")
    position.milestone.approvals_required = 2
    db.session.commit()
    first, second = make_user("reviewer", "Metropolis"), make_user("reviewer", "UCLG Africa")
    transition(position, "approve", first)
    transition(position, "request_changes", second, comment="One more paragraph, please.")
    content = operations.PositionContent.of(position)
    content.text += "\n\nOne more paragraph."
    operations.save_position(position, position.created_by, content, base_revision=position.revision_number)
    transition(position, "submit", position.created_by)
    transition(position, "start_review", second)
    transition(position, "approve", second)
    assert position.stage == "in_review", "the first approval was of an older revision"
    transition(position, "approve", first)
    assert position.stage == "approved"


class TestDeadlines:
    def test_submission_after_the_deadline_names_it_and_the_next_open_milestone(self, app, make_position):
        position = make_position("draft", milestone_name="Round 1")  # deadline 6 February 2018
        app.config["DRAFTING_TODAY"] = "2018-02-10"
        with pytest.raises(WorkflowError) as refusal:
            transition(position, "submit", position.created_by)
        message = str(refusal.value)
        assert "Round 1" in message and "Feb 6, 2018" in message
        assert "Round 2" in message and "Feb 26, 2018" in message
        assert position.stage == "draft"
        assert not workflow.can_transition(position.created_by, position, "submit")

    def test_the_deadline_day_itself_is_still_open(self, app, make_position):
        position = make_position("draft", milestone_name="Round 1")
        app.config["DRAFTING_TODAY"] = "2018-02-06"
        transition(position, "submit", position.created_by)
        assert position.stage == "submitted"

    def test_an_extension_reopens_the_window_for_one_position(self, app, make_position, make_user):
        late = make_position("draft", milestone_name="Round 1")
        other = make_position("draft", milestone_name="Round 1")
        from datetime import date

        operations.grant_extension(late, make_user("secretariat"), date(2018, 2, 12), "Translation delayed")
        transition(late, "submit", late.created_by)
        assert late.stage == "submitted"
        with pytest.raises(WorkflowError):
            transition(other, "submit", other.created_by)
        event = db.session.scalar(select(StageEvent).where(StageEvent.action == "extend"))
        assert event.comment == "Translation delayed"

    def test_negotiation_rounds_get_default_deadlines(self, app):
        round2 = milestone("Round 2")
        assert (round2.start_date.isoformat(), round2.submission_deadline.isoformat(),
                round2.review_deadline.isoformat()) == ("2018-03-12", "2018-02-26", "2018-03-05")


def test_submission_needs_title_theme_and_text(make_position):
    position = make_position("draft", text="   ", theme_numbers=())
    with pytest.raises(WorkflowError) as refusal:
        transition(position, "submit", position.created_by)
    assert "at least one theme" in str(refusal.value) and "a text" in str(refusal.value)
    assert position.stage == "draft"


def test_carry_forward_copies_the_content_and_links_both(make_position, make_user):
    source = make_position("approved", milestone_name="Round 1", amendments=[
        {"section_id": 4, "paragraph": "31(c)", "current_text": "a", "proposed_text": "b", "rationale": "c"}])
    colleague = make_user("contributor", "CEMR")
    successor = operations.carry_forward(source, milestone("Round 3"), colleague)
    assert successor.stage == "draft"
    assert successor.predecessor_id == source.id and source.successors == [successor]
    assert (successor.title, successor.text, successor.amendments) == (source.title, source.text, source.amendments)
    assert [t.id for t in successor.themes] == [t.id for t in source.themes]
    assert successor.organisation_id == source.organisation_id
    with pytest.raises(WorkflowError, match="later than"):
        operations.carry_forward(source, milestone("Zero draft"), colleague)


def test_a_draft_cannot_be_carried_forward(make_position):
    draft = make_position("draft")
    with pytest.raises(WorkflowError, match="approved"):
        operations.carry_forward(draft, milestone("Round 3"), draft.created_by)


def test_many_positions_are_included_in_one_move_with_their_events(make_position, make_user):
    positions = [make_position("approved", title=f"P{n}") for n in range(3)]
    secretariat = make_user("secretariat")
    workflow.transition_many(positions, "include", secretariat, comment="Edition 1")
    db.session.commit()
    assert [db.session.get(type(p), p.id).stage for p in positions] == ["included"] * 3
    events = db.session.scalars(select(StageEvent).where(StageEvent.action == "include")).all()
    assert sorted((e.position_id, e.from_stage, e.to_stage, e.comment) for e in events) == [
        (p.id, "approved", "included", "Edition 1") for p in positions]


def test_a_bulk_move_is_refused_whole_if_one_position_moved_meanwhile(make_position, make_user):
    from drafting.models import Position

    positions = [make_position("approved", title=f"P{n}") for n in range(2)]
    secretariat = make_user("secretariat")
    with db.engine.begin() as other:  # another request reopens one of them
        other.execute(Position.__table__.update().where(Position.id == positions[1].id).values(stage="in_review"))
    with pytest.raises(WorkflowError, match="Someone else changed"):
        workflow.transition_many(positions, "include", secretariat)
    db.session.rollback()
    assert db.session.get(Position, positions[0].id).stage == "approved"
    assert db.session.scalar(select(db.func.count()).select_from(StageEvent).where(StageEvent.action == "include")) == 0


def test_only_system_moves_go_in_bulk(make_position, make_user):
    position = make_position("submitted")
    with pytest.raises(WorkflowError):
        workflow.transition_many([position], "start_review", make_user("reviewer", "Metropolis"))
    assert position.stage == "submitted"


def test_a_decision_on_a_position_someone_changed_meanwhile_is_refused_not_a_500(app, make_user, make_position):
    """Two reviewers approving the same submitted position at once (found by bench/soak.py): the
    second one's implicit "start review" must not reach the database before its commit's check."""
    from sqlalchemy import update

    from drafting.models import Position
    from drafting.positions.workflow import WorkflowError

    position = make_position("submitted")
    reviewer = make_user("reviewer", "Metropolis")
    assert position.stage == "submitted"  # loaded, as the request loads it
    with db.engine.begin() as other:  # meanwhile, another request moved it
        other.execute(update(Position).where(Position.id == position.id)
                      .values(stage="in_review", version_id=Position.version_id + 1))

    with pytest.raises(WorkflowError, match="in the meantime"):
        transition(position, "approve", reviewer)

    db.session.expire_all()
    assert db.session.get(Position, position.id).stage == "in_review"
    assert [e.action for e in db.session.get(Position, position.id).events] == ["submit"]

"""Issue 23, point 4: the review round trip on one page - the decision on the edit form, the authors'
response at resubmission (on the review page and in the history), the reviewer's labelled boxes and
the confirmation of "Reject"."""

from __future__ import annotations

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Comment, Position, StageEvent
from tests.conftest import login, milestone


def _edit_data(position: Position, **extra) -> dict:
    data = {"title": position.title, "milestone_id": str(position.milestone_id), "language": "en",
            "summary": position.summary, "text": position.text, "base_revision": str(position.revision_number),
            "themes": [str(t.id) for t in position.themes]}
    data.update(extra)
    return data


def test_the_edit_form_of_a_position_with_changes_requested_shows_the_decision_at_the_top(
        client, make_user, make_position):
    position = make_position("changes_requested")
    login(client, position.created_by)
    page = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    reviewer = db.session.scalars(select(StageEvent).where(StageEvent.action == "request_changes")).one().actor
    assert f"Changes requested by {reviewer.name} on February\u00a010,\u00a02018" in page
    assert page.index('class="decision') < page.index('name="title"')  # above the form
    assert "Because." in page
    assert "Response to the reviewers" in page


def test_a_draft_edit_form_shows_no_decision_and_no_response_field(client, make_position):
    position = make_position("draft")
    login(client, position.created_by)
    page = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    assert 'class="decision' not in page
    assert "Response to the reviewers" not in page


def test_resubmitting_with_a_response_shows_it_to_the_reviewers_beside_the_changes_and_in_the_history(
        client, make_user, make_position):
    position = make_position("changes_requested")
    author = position.created_by
    login(client, author)
    response = client.post(f"/positions/{position.id}/edit", data=_edit_data(
        position, text="Local governments deliver services, as paragraph 31(c) says.",
        response="Cited 31(c) as you asked.", save_and_submit="Submit for review"))
    assert response.status_code == 303
    position = db.session.get(Position, position.id)
    assert position.stage == "submitted"
    [submit] = db.session.scalars(select(StageEvent).where(StageEvent.position_id == position.id,
                                                           StageEvent.action == "submit")
                                  .order_by(StageEvent.id.desc()).limit(1)).all()
    assert submit.comment == "Cited 31(c) as you asked." and submit.revision_number == 2

    login(client, make_user("reviewer", "Metropolis"))
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    response_box = page[page.index('<section class="response"'):]
    assert "Cited 31(c) as you asked." in response_box[:response_box.index("</section>")]
    # next to the changes since the revision the reviewers last saw
    assert page.index('id="response-heading"') < page.index('id="changes-heading"')
    assert "as paragraph 31(c) says" in page

    history = client.get(f"/positions/{position.id}/history").get_data(as_text=True)
    assert "Response to the reviewers" in history and "Cited 31(c) as you asked." in history


def test_the_response_leaves_the_review_page_once_the_reviewers_decide(client, make_user, make_position):
    position = make_position("changes_requested")
    login(client, position.created_by)
    client.post(f"/positions/{position.id}/submit", data={"decision-comment": "Done as asked."})
    assert db.session.get(Position, position.id).stage == "submitted"
    reviewer = make_user("reviewer", "Metropolis")
    login(client, reviewer)
    assert "Done as asked." in client.get(f"/positions/{position.id}").get_data(as_text=True)
    client.post(f"/positions/{position.id}/approve", data={"decision-comment": ""})
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert 'id="response-heading"' not in page
    # the response stays in the discussion, shared with the reviewers
    assert db.session.scalars(select(Comment).where(Comment.body == "Done as asked.")).one().is_shared


def test_the_review_panel_names_the_reason_apart_from_the_discussion_comment(client, make_user, make_position):
    position = make_position("submitted")
    login(client, make_user("reviewer", "Metropolis"))
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert '<label for="decision-comment">Reason for your decision (shared with the authors)</label>' in page
    assert '<label for="body">Comment</label>' in page


def test_reject_asks_to_confirm_showing_the_reason_and_changes_nothing_until_confirmed(
        client, make_user, make_position):
    position = make_position("submitted")
    login(client, make_user("reviewer", "Metropolis"))
    response = client.post(f"/positions/{position.id}/reject",
                           data={"decision-comment": "Outside the compact's scope.",
                                 "decision-internal_note": "Discussed with the chair."})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Reject this position?" in page and "Outside the compact&#39;s scope." in page
    assert db.session.get(Position, position.id).stage == "submitted"

    response = client.post(f"/positions/{position.id}/reject",
                           data={"decision-comment": "Outside the compact's scope.",
                                 "decision-internal_note": "Discussed with the chair.", "confirmed": "yes"})
    assert response.status_code == 303
    position = db.session.get(Position, position.id)
    assert position.stage == "rejected"
    bodies = {(c.body, c.visibility) for c in position.comments}
    assert ("Outside the compact's scope.", "shared") in bodies
    assert ("Discussed with the chair.", "internal") in bodies


def test_reject_without_a_reason_is_refused_without_a_confirmation_step(client, make_user, make_position):
    position = make_position("submitted")
    login(client, make_user("reviewer", "Metropolis"))
    response = client.post(f"/positions/{position.id}/reject", data={"decision-comment": ""},
                           follow_redirects=True)
    assert "A reason is required" in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).stage == "submitted"


def test_a_contributor_cannot_reach_the_reject_confirmation(client, make_position):
    position = make_position("submitted")
    login(client, position.created_by)
    response = client.post(f"/positions/{position.id}/reject", data={"decision-comment": "Mine."},
                           follow_redirects=True)
    assert "Reject this position?" not in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).stage == "submitted"


def test_a_position_of_amendments_only_can_be_submitted(client, make_user, make_position):
    position = make_position("draft", text="", amendments=[{
        "section_id": None, "paragraph": "31(c)", "current_text": "Old words.",
        "proposed_text": "New words.", "rationale": "Clearer."}])
    milestone("Round 2")
    login(client, position.created_by)
    response = client.post(f"/positions/{position.id}/submit", follow_redirects=True)
    assert "Saved" not in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).stage == "submitted"


def test_a_position_with_neither_text_nor_amendment_still_needs_one(client, make_position):
    position = make_position("draft", text="")
    login(client, position.created_by)
    page = client.get(f"/positions/{position.id}").get_data(as_text=True)
    assert "Before submitting, add a text or at least one amendment." in page

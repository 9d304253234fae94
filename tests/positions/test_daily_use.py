"""Issue 9, points 1 and 2: decisions reach the authors; nothing is lost by one click or one mistake."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from drafting.clock import today
from drafting.extensions import db
from drafting.models import Comment, OutboxMessage, Position, Revision, StageEvent, Theme
from drafting.positions.workflow import transition
from tests.conftest import login, milestone


def _page(client, position) -> str:
    return client.get(f"/positions/{position.id}").get_data(as_text=True)


def _decision_box(page: str) -> str:
    start = page.find('<section class="decision')
    return page[start:page.find("</section>", start)] if start >= 0 else ""


# 1. Decisions reach the authors --------------------------------------------------------------------

def test_the_reason_for_changes_is_at_the_top_of_the_authors_page_and_in_their_mail(client, make_user,
                                                                                     make_position):
    position = make_position("submitted")
    author = position.created_by
    reviewer = make_user("reviewer", "Metropolis", name="Rita Reviewer")
    login(client, reviewer)
    response = client.post(f"/positions/{position.id}/request_changes",
                           data={"decision-comment": "Cite paragraph 31(c) and the Mechelen figures.",
                                 "decision-internal_note": "Third weak text from this network."})
    assert response.status_code == 303
    assert db.session.get(Position, position.id).stage == "changes_requested"

    login(client, author)
    page = _page(client, position)
    box = _decision_box(page)
    assert "Changes requested by Rita Reviewer on February\u00a010,\u00a02018" in box
    assert "Cite paragraph 31(c) and the Mechelen figures." in box
    assert page.index('class="decision') < page.index('<h2>Text</h2>')  # at the top, before the text
    assert "Third weak text" not in page  # the internal note stays with reviewers and secretariat

    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == author.email,
                                                            OutboxMessage.kind == "changes_requested")).all()
    assert "Cite paragraph 31(c) and the Mechelen figures." in mail.body
    assert "Third weak text" not in mail.body

    login(client, make_user("secretariat"))
    assert "Third weak text from this network." in _page(client, position)


def test_the_decision_leaves_the_top_once_the_position_is_submitted_again(client, make_user, make_position):
    position = make_position("in_review")
    transition(position, "request_changes", make_user("reviewer", "Metropolis"), comment="Shorter, please.")
    login(client, position.created_by)
    assert "Shorter, please." in _decision_box(_page(client, position))
    transition(position, "submit", position.created_by)
    page = _page(client, position)
    assert _decision_box(page) == ""
    assert "Shorter, please." in page  # still among the comments


def test_a_rejection_shows_who_rejected_and_why(client, make_user, make_position):
    position = make_position("in_review")
    transition(position, "reject", make_user("reviewer", "Metropolis", name="Ravi R"), comment="Off topic.")
    login(client, position.created_by)
    box = _decision_box(_page(client, position))
    assert "Rejected by Ravi R on February\u00a010,\u00a02018" in box and "Off topic." in box


def test_an_old_internal_decision_comment_is_not_shown_to_the_authors(client, make_user, make_position):
    """Before issue 9 a decision's comment could be internal: the top box names the decision only."""
    position = make_position("in_review")
    transition(position, "request_changes", make_user("reviewer", "Metropolis"), comment="Weak.", commit=False)
    db.session.flush()
    db.session.execute(Comment.__table__.update().values(visibility="internal"))
    db.session.commit()
    login(client, position.created_by)
    box = _decision_box(_page(client, position))
    assert "Changes requested by" in box and "Weak." not in box


def test_reviewers_decide_straight_from_submitted_and_the_start_is_recorded(client, make_user, make_position):
    position = make_position("submitted")
    reviewer = make_user("reviewer", "Metropolis")
    login(client, reviewer)
    page = _page(client, position)
    assert ">Approve</button>" in page and ">Request changes</button>" in page and ">Reject</button>" in page
    assert ">Start review</button>" not in page
    # The text comes before the review panel.
    assert page.index("<h2>Text</h2>") < page.index('id="review-heading"')
    client.post(f"/positions/{position.id}/approve", data={"decision-comment": ""})
    actions = db.session.scalars(select(StageEvent.action).where(StageEvent.position_id == position.id)
                                 .order_by(StageEvent.id)).all()
    assert actions[-2:] == ["start_review", "approve"]
    assert db.session.get(Position, position.id).stage == "approved"


def test_start_review_stays_where_a_milestone_needs_several_approvals(client, make_user, make_position):
    milestone("Round 2").approvals_required = 2
    db.session.commit()
    position = make_position("submitted")
    login(client, make_user("reviewer", "Metropolis"))
    page = _page(client, position)
    assert ">Start review</button>" in page and ">Approve</button>" in page


def test_request_changes_still_needs_a_comment(client, make_user, make_position):
    position = make_position("submitted")
    login(client, make_user("reviewer", "Metropolis"))
    response = client.post(f"/positions/{position.id}/request_changes", data={"decision-comment": " "},
                           follow_redirects=True)
    assert "A reason is required" in response.get_data(as_text=True)
    assert db.session.get(Position, position.id).stage == "submitted"
    assert db.session.scalar(select(func.count()).select_from(StageEvent)
                             .where(StageEvent.action == "start_review", StageEvent.position_id == position.id)) == 0


# 2. Nothing lost by one click or one mistake -------------------------------------------------------

def test_withdraw_asks_for_confirmation_first(client, make_position):
    position = make_position("submitted")
    login(client, position.created_by)
    page = _page(client, position)
    assert f'href="/positions/{position.id}/withdraw"' in page  # a link to the confirmation, not a POST
    response = client.post(f"/positions/{position.id}/withdraw", data={})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/positions/{position.id}/withdraw")
    assert db.session.get(Position, position.id).stage == "submitted"

    confirm = client.get(f"/positions/{position.id}/withdraw").get_data(as_text=True)
    assert "Withdraw this position?" in confirm and 'name="confirmed" type="hidden" value="yes"' in confirm
    client.post(f"/positions/{position.id}/withdraw", data={"confirmed": "yes"})
    assert db.session.get(Position, position.id).stage == "withdrawn"


def test_a_withdrawn_position_is_restored_by_its_authors_as_a_draft(client, make_user, make_position):
    position = make_position("withdrawn")
    login(client, make_user("reviewer", "Metropolis"))
    assert client.post(f"/positions/{position.id}/restore").status_code == 404  # never submitted: not theirs to see
    colleague = make_user("contributor", "CEMR")
    login(client, colleague)
    assert ">Restore</button>" in _page(client, position)
    client.post(f"/positions/{position.id}/restore")
    assert db.session.get(Position, position.id).stage == "draft"
    event = db.session.scalars(select(StageEvent).where(StageEvent.position_id == position.id)
                               .order_by(StageEvent.id.desc())).first()
    assert (event.action, event.from_stage, event.to_stage, event.actor_id) == ("restore", "withdrawn", "draft",
                                                                                colleague.id)


def test_no_restore_once_the_milestone_is_closed(client, make_position):
    position = make_position("withdrawn")
    position.milestone.submission_deadline = today() - timedelta(days=1)
    db.session.commit()
    login(client, position.created_by)
    page = _page(client, position)
    assert ">Restore</button>" not in page and "The submission deadline for" in page
    client.post(f"/positions/{position.id}/restore", follow_redirects=True)
    assert db.session.get(Position, position.id).stage == "withdrawn"


def _form(title="", text="", themes=(), **extra):
    data = {"title": title, "milestone_id": str(milestone("Round 2").id), "language": "en",
            "summary": "Kept summary", "text": text, "save_and_submit": "Submit for review"}
    data.update(extra)
    if themes:
        data["themes"] = [str(t) for t in themes]
    return data


def test_a_refused_submit_stays_on_the_new_form_with_messages_beside_the_fields(client, make_user):
    login(client, make_user("contributor", "CEMR"))
    response = client.post("/positions/new", data=_form(title="Welcoming cities", text=""))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Position)) == 0  # nothing half-saved
    assert 'value="Welcoming cities"' in page and "Kept summary" in page
    assert '<p class="error" id="text-error">Needed before submitting: a text or at least one amendment.</p>' in page
    assert "Needed before submitting: at least one theme." in page
    assert 'id="title-error"' not in page


def test_a_refused_submit_of_an_edit_saves_no_revision(client, make_position):
    position = make_position("draft")
    login(client, position.created_by)
    response = client.post(f"/positions/{position.id}/edit",
                           data=_form(title="A new title typed", text="", base_revision="1",
                                      themes=[t.id for t in db.session.scalars(select(Theme).limit(1))]))
    assert response.status_code == 400
    assert 'value="A new title typed"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Revision)
                             .where(Revision.position_id == position.id)) == 1
    assert db.session.get(Position, position.id).title == "Cities welcome newcomers"


def test_a_submit_after_the_deadline_is_refused_beside_the_milestone(client, make_user):
    login(client, make_user("contributor", "CEMR"))
    closed = milestone("Round 2")
    closed.submission_deadline = today() - timedelta(days=2)
    db.session.commit()
    theme = db.session.scalars(select(Theme).limit(1)).first()
    response = client.post("/positions/new", data=_form(title="Late", text="Text.", themes=[theme.id]))
    assert response.status_code == 400
    assert 'id="milestone_id-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Position)) == 0


def test_an_incomplete_draft_offers_no_submit_button_but_says_what_is_missing(client, make_position):
    position = make_position("draft", text="")
    login(client, position.created_by)
    page = _page(client, position)
    assert ">Submit for review</button>" not in page
    assert "Before submitting, add a text or at least one amendment." in page


# 8. Markdown preview -------------------------------------------------------------------------------

def test_the_preview_is_the_position_pages_rendering(client, make_position):
    text = "# Housing\n\nCities **deliver** services.\n\n<script>alert(1)</script> [x](javascript:alert(1))"
    position = make_position("draft", text=text)
    login(client, position.created_by)
    preview = client.post("/positions/preview", data={"text": text}).get_data(as_text=True)
    page = _page(client, position)
    rendered = preview.split('dir="auto">', 1)[1].rsplit("</div>", 1)[0]
    assert rendered in page  # the same HTML as on the position page
    assert "<strong>deliver</strong>" in rendered and "<h3 dir=\"auto\">Housing</h3>" in rendered
    assert "<script" not in preview and "href=\"javascript" not in preview


def test_the_preview_needs_the_csrf_token(app, client, make_user):
    login(client, make_user("contributor", "CEMR"))
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/positions/preview", data={"text": "*x*"})
    assert response.status_code == 400 and "<em>x</em>" not in response.get_data(as_text=True)


def test_the_forms_offer_preview_and_keep_a_local_draft(client, make_position):
    position = make_position("draft")
    login(client, position.created_by)
    form = client.get(f"/positions/{position.id}/edit").get_data(as_text=True)
    assert f'data-draft-key="position:{position.id}:1"' in form
    assert 'data-preview-for="text"' in form and ">Preview</button>" in form
    assert '<script src="/static/drafts.js" defer></script>' in form
    assert f'data-draft-saved="position:{position.id}" data-draft-revision="1"' in _page(client, position)

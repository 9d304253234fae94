"""Issue 9, point 3: "What needs you" per role, and the in-app "Notifications"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from drafting.clock import today
from drafting.core.dates import page_date
from drafting.extensions import db
from drafting.models import OutboxMessage, Position
from drafting.positions import operations
from drafting.positions.workflow import transition
from tests.conftest import login, milestone
from tests.support.query_budget import BUDGET, insert_positions, statements_for


def _section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start:page.find("</section>", start)]


def test_contributors_see_their_networks_drafts_with_the_days_left(client, make_user, make_position):
    draft = make_position("draft", title="Our draft on housing")
    asked = make_position("changes_requested", title="Please revise me")
    make_position("draft", org="Metropolis", title="Someone else's draft")
    make_position("submitted", title="Already submitted")
    late = make_position("draft", title="Too late now", milestone_name="Round 1")
    round_2 = milestone("Round 2")
    days = (round_2.submission_deadline - today()).days
    login(client, draft.created_by)
    section = _section(client.get("/").get_data(as_text=True), "drafts-heading")
    assert "Our draft on housing" in section and "Please revise me" in section
    assert "Someone else" not in section and "Already submitted" not in section
    assert section.index("Please revise me") < section.index("Our draft on housing")  # changes requested first
    assert f"closes in {days} days" in section
    if late.milestone.submission_deadline < today():
        assert "Too late now" in section and ">closed<" in section
    assert asked.id


def test_a_draft_closing_in_one_day_says_day(client, make_position):
    position = make_position("draft", title="Tomorrow")
    position.milestone.submission_deadline = today() + timedelta(days=1)
    db.session.commit()
    login(client, position.created_by)
    assert "closes in 1 day<" in client.get("/").get_data(as_text=True)


def test_reviewers_see_what_waits_for_them_what_is_overdue_and_what_came_back(client, make_user, make_position):
    reviewer = make_user("reviewer", "Metropolis")
    waiting = make_position("submitted", title="Fresh submission")
    came_back = make_position("in_review", title="Came back")
    transition(came_back, "request_changes", reviewer, comment="More.")
    content = operations.PositionContent.of(came_back)
    content.text += " More."
    operations.save_position(came_back, came_back.created_by, content, base_revision=1)
    transition(came_back, "submit", came_back.created_by)
    overdue = make_position("submitted", title="Late review", milestone_name="Round 1")
    overdue.milestone.review_deadline = today() - timedelta(days=1)
    db.session.commit()
    make_position("approved", title="Done already")

    login(client, reviewer)
    page = client.get("/").get_data(as_text=True)
    mine = _section(page, "waiting-heading")
    assert "Fresh submission" in mine and "Came back" in mine and "Late review" in mine
    assert "Done already" not in mine
    back = _section(page, "resubmitted-heading")
    assert "Came back" in back and "Fresh submission" not in back
    late = _section(page, "overdue-heading")
    assert "Late review" in late and "Fresh submission" not in late
    # Each position waiting for the reviewer carries its deadline.
    review_by = page_date(waiting.milestone.review_deadline, "long", "en")
    assert f"Review by {review_by}" in mine and f"Review by {review_by}" in back
    since = page_date(overdue.milestone.review_deadline, "long", "en")
    assert f"Review overdue since {since}" in mine


def test_a_reviewer_does_not_wait_for_themselves(client, make_user, make_position):
    reviewer = make_user("reviewer", "Metropolis")
    position = make_position("submitted", title="Already approved by me")
    position.milestone.approvals_required = 2
    db.session.commit()
    transition(position, "approve", reviewer)
    login(client, reviewer)
    assert "Already approved by me" not in _section(client.get("/").get_data(as_text=True), "waiting-heading")


def test_the_secretariat_sees_what_to_compile_overdue_reviews_and_failed_mail(client, make_user, make_position):
    make_position("approved", title="Ready to compile")
    failed = OutboxMessage(kind="comment", recipient="gone@example.org", subject="S", body="B")
    db.session.add(failed)
    db.session.commit()  # (written to the log at once: mark it failed as an SMTP refusal would)
    failed.sent_at, failed.attempts, failed.last_error = None, 3, "550 mailbox unavailable"
    db.session.commit()
    login(client, make_user("secretariat"))
    page = client.get("/").get_data(as_text=True)
    compile_section = _section(page, "compile-heading")
    assert "Intergovernmental negotiations – Round 2" in compile_section and "1 approved position" in compile_section
    assert f'href="/milestones/{milestone("Round 2").id}/compile"' in compile_section
    assert "1 message could not be sent" in _section(page, "mail-heading")


def test_notifications_list_the_users_own_messages_and_mark_them_read(client, make_user, make_position):
    position = make_position("in_review")
    author = position.created_by
    transition(position, "request_changes", make_user("reviewer", "Metropolis"), comment="Tighten paragraph 2.")
    other = make_user("contributor", "Metropolis")
    login(client, author)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Changes requested: Cities welcome newcomers" in page and "Unread" in page
    assert '<span class="count">1</span>' in client.get("/positions").get_data(as_text=True)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient_id == author.id))
    shown = client.get(f"/notifications/{message.id}").get_data(as_text=True)
    assert "Tighten paragraph 2." in shown and f'href="/positions/{position.id}"' in shown
    db.session.refresh(message)
    assert message.read_at is not None
    assert '<span class="count">' not in client.get("/positions").get_data(as_text=True)

    login(client, other)
    assert client.get(f"/notifications/{message.id}").status_code == 404  # as a missing one
    assert client.get(f"/notifications/{message.id + 1000}").status_code == 404
    assert "Tighten" not in client.get("/notifications").get_data(as_text=True)


def test_mark_all_as_read(client, make_user, make_position):
    position = make_position("in_review")
    for action in ("request_changes",):
        transition(position, action, make_user("reviewer", "Metropolis"), comment="Again.")
    transition(position, "submit", position.created_by)
    login(client, position.created_by)
    client.post("/notifications/read")
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.recipient_id == position.created_by.id, OutboxMessage.read_at.is_(None))) == 0
    # The home page then says so in words, not as a link to "0 unread notifications".
    section = _section(client.get("/").get_data(as_text=True), "unread-heading")
    assert "Nothing unread." in section and "0 unread" not in section
    assert 'href="/notifications">Earlier notifications</a>' in section


@pytest.mark.slow  # seeds hundreds of positions
@pytest.mark.parametrize("role", ["contributor", "reviewer", "secretariat"])
def test_the_home_page_and_notifications_cost_the_same_with_more_data(client, login_as, make_user, role):
    author = make_user("contributor", "CEMR")
    insert_positions(30, author)
    user = login_as(role, org="UCLG" if role == "secretariat" else "CEMR")

    def add_messages(count):
        db.session.add_all(OutboxMessage(kind="comment", recipient=user.email, recipient_id=user.id, subject=f"S{i}",
                                         body="B", position_id=1) for i in range(count))
        db.session.commit()

    add_messages(5)
    paths = ["/", "/notifications"]
    few = {path: statements_for(client, path) for path in paths}
    insert_positions(470, author)
    add_messages(200)
    assert db.session.scalar(select(func.count()).select_from(Position)) == 500
    many = {path: statements_for(client, path) for path in paths}
    assert all(count <= BUDGET for count in many.values()), many
    assert many == few, "the number of statements grows with the data"

"""Emails on submission, decisions and shared comments, sent through the outbox to a real SMTP server."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from drafting.clock import now
from drafting.extensions import db
from drafting.models import Comment, OutboxMessage, Position
from drafting.positions.operations import add_comment
from drafting.positions.workflow import transition
from tests.support.worker import queued_jobs, run_queued_jobs

TITLE = "Cities welcome newcomers"


def body(message) -> str:
    return message.get_content()


def test_submission_mails_the_reviewers_and_not_the_author(smtp, make_user, make_position):
    first, second = make_user("reviewer", "CEMR"), make_user("reviewer", "Metropolis")
    retired = make_user("reviewer", "CEMR", active=False)
    author = make_user("contributor", "CEMR")

    position = make_position("submitted", author=author)

    assert smtp.mailbox.recipients("Submitted for review") == {first.email, second.email}
    assert not smtp.mailbox.to(author.email) and not smtp.mailbox.to(retired.email)
    [mail] = smtp.mailbox.to(first.email)
    assert mail["Subject"] == f"Submitted for review: {TITLE}"
    text = body(mail)
    assert f"https://drafting.example.org/positions/{position.id}" in text
    assert "Intergovernmental negotiations – Round 2" in text
    assert "Stage: Submitted" in text
    assert f"{author.name} (CEMR) submitted this position" in text


def test_a_reviewer_is_never_told_about_a_position_they_wrote(smtp, make_user, make_position):
    reviewer = make_user("reviewer", "CEMR")
    writer = make_user("contributor", "CEMR")
    position = make_position("draft", author=writer)
    writer.role = "reviewer"  # the author later became a reviewer
    db.session.commit()

    transition(position, "submit", make_user("contributor", "CEMR"))

    assert smtp.mailbox.recipients("Submitted for review") == {reviewer.email}


def test_a_shared_comment_reaches_the_contributors_and_an_internal_one_does_not(smtp, make_user, make_position):
    author = make_user("contributor", "CEMR")
    colleague = make_user("contributor", "CEMR")
    outsider = make_user("contributor", "Metropolis")
    position = make_position("in_review", author=author)
    reviewer = make_user("reviewer", "UCLG Africa")

    add_comment(position, reviewer, "Paragraph 31(c) needs a source.", "shared")
    add_comment(position, reviewer, "Between us: weak argument.", "internal")

    assert smtp.mailbox.recipients("New comment") == {author.email, colleague.email}
    assert not smtp.mailbox.to(outsider.email)
    [mail] = smtp.mailbox.to(colleague.email)
    assert "Paragraph 31(c) needs a source." in body(mail)
    assert all("weak argument" not in body(m) for m in smtp.mailbox.messages)


def test_a_contributor_is_not_mailed_about_their_own_comment(smtp, make_user, make_position):
    author = make_user("contributor", "CEMR")
    colleague = make_user("contributor", "CEMR")
    position = make_position("draft", author=author)

    add_comment(position, author, "I will add the figures tomorrow.", "shared")

    assert smtp.mailbox.recipients("New comment") == {colleague.email}


@pytest.mark.parametrize(("action", "subject"), [
    ("approve", "Approved"), ("reject", "Rejected"), ("request_changes", "Changes requested"),
])
def test_a_decision_mails_the_organisations_contributors(smtp, make_user, make_position, action, subject):
    author = make_user("contributor", "CEMR")
    colleague = make_user("contributor", "CEMR")
    outsider = make_user("contributor", "Metropolis")
    position = make_position("in_review", author=author)
    reviewer = make_user("reviewer", "Metropolis")

    transition(position, action, reviewer, comment="Solid evidence from Mechelen.", visibility="shared")

    assert smtp.mailbox.recipients(f"{subject}: {TITLE}") == {author.email, colleague.email}
    assert not smtp.mailbox.to(outsider.email)
    [mail] = [m for m in smtp.mailbox.to(colleague.email) if m["Subject"].startswith(subject)]
    assert "Solid evidence from Mechelen." in body(mail)


def test_a_decisions_reason_reaches_the_authors_and_the_internal_note_does_not(smtp, make_user, make_position):
    """Issue 9: the reason of "Reject" or "Request changes" is always shared (even if a caller asks for
    "internal"); the internal note is a separate comment that stays out of the contributors' mail."""
    author = make_user("contributor", "CEMR")
    position = make_position("in_review", author=author)

    transition(position, "reject", make_user("reviewer"), comment="Off topic for this round.",
               visibility="internal", internal_note="Between us: the third such text.")

    [mail] = smtp.mailbox.to(author.email)
    assert mail["Subject"] == f"Rejected: {TITLE}"
    assert "Off topic for this round." in body(mail)
    assert "Between us" not in body(mail)
    comments = {c.body: c.visibility for c in db.session.scalars(select(Comment))}
    assert comments == {"Off topic for this round.": "shared", "Between us: the third such text.": "internal"}


def test_reopening_tells_contributors_and_reviewers(smtp, make_user, make_position):
    author = make_user("contributor", "CEMR")
    reviewer = make_user("reviewer", "Metropolis")
    position = make_position("rejected", author=author)

    transition(position, "reopen", make_user("secretariat"), comment="New facts from Round 1.")

    assert {author.email, reviewer.email} <= smtp.mailbox.recipients("Reopened for review")
    assert all("New facts from Round 1." in body(m) for m in smtp.mailbox.messages if "Reopened" in m["Subject"])


def test_withdrawal_tells_reviewers_only_when_they_had_seen_the_position(smtp, make_user, make_position):
    reviewer = make_user("reviewer", "Metropolis")
    author = make_user("contributor", "CEMR")
    submitted = make_position("submitted", author=author, title="Submitted then withdrawn")
    draft = make_position("draft", author=author, title="Never submitted")

    transition(submitted, "withdraw", author)
    transition(draft, "withdraw", author)

    withdrawals = [m["Subject"] for m in smtp.mailbox.to(reviewer.email) if m["Subject"].startswith("Withdrawn")]
    assert withdrawals == ["Withdrawn: Submitted then withdrawn"]


def test_the_message_is_in_the_recipients_language(smtp, make_user, make_position):
    french = make_user("reviewer", "CEMR", locale="fr")
    position = make_position("submitted")

    [mail] = smtp.mailbox.to(french.email)
    # The review deadline of Round 2 (5 March 2018) is formatted for a French reader.
    assert "5 mars 2018" in body(mail)
    assert f"/positions/{position.id}" in body(mail)


def test_with_the_smtp_server_down_the_action_commits_and_the_worker_retries_with_back_off(
        smtp, app, runner, make_user, make_position):
    reviewer = make_user("reviewer", "Metropolis")
    author = make_user("contributor", "CEMR")
    position = make_position("draft", author=author)
    smtp.stop()

    transition(position, "submit", author)

    db.session.expire_all()
    assert db.session.get(Position, position.id).stage == "submitted"
    [waiting] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == reviewer.email)).all()
    assert (waiting.sent_at, waiting.attempts, waiting.last_error) == (None, 0, "")  # the request sent nothing
    assert queued_jobs(app) == ["deliver_messages"]

    run_queued_jobs(app)
    db.session.refresh(waiting)
    assert waiting.sent_at is None and waiting.attempts == 1
    assert "Connection" in waiting.last_error  # ConnectionRefusedError
    first_wait = waiting.next_attempt_at - now()
    assert timedelta(seconds=50) < first_wait <= timedelta(minutes=1)

    not_due = runner.invoke(args=["send-outbox"])  # the next attempt is a minute away
    assert not_due.exit_code == 0 and "Sent 0" in not_due.output
    db.session.refresh(waiting)
    assert waiting.attempts == 1

    still_down = runner.invoke(args=["send-outbox", "--retry-failed"])
    assert still_down.exit_code != 0
    assert "could not be sent" in still_down.output
    db.session.refresh(waiting)
    assert waiting.attempts == 2
    assert timedelta(minutes=1, seconds=50) < waiting.next_attempt_at - now() <= timedelta(minutes=2)  # doubled

    smtp.start()
    result = runner.invoke(args=["send-outbox", "--retry-failed"])
    assert result.exit_code == 0, result.output
    assert "Sent 1" in result.output

    db.session.expire_all()
    delivered = db.session.get(OutboxMessage, waiting.id)
    assert delivered.sent_at is not None and delivered.last_error == "" and delivered.attempts == 3
    assert delivered.next_attempt_at is None
    assert [m["Subject"] for m in smtp.mailbox.to(reviewer.email)] == [f"Submitted for review: {TITLE}"]

    runner.invoke(args=["send-outbox", "--retry-failed"])  # nothing left: nothing sent twice
    assert len(smtp.mailbox.to(reviewer.email)) == 1


def test_a_refused_recipient_fails_alone_and_the_others_still_get_their_mail(smtp, make_user, make_position):
    gone, present = make_user("reviewer", "CEMR"), make_user("reviewer", "Metropolis")
    smtp.mailbox.refused.add(gone.email)

    make_position("submitted")

    assert smtp.mailbox.recipients("Submitted for review") == {present.email}
    refused = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == gone.email))
    assert refused.sent_at is None and refused.attempts == 1
    assert "550" in refused.last_error


def test_without_a_mail_server_messages_go_to_the_log(app, make_user, make_position, caplog):
    app.config["MAIL_SERVER"] = ""
    reviewer = make_user("reviewer", "Metropolis")

    with caplog.at_level("INFO", logger="drafting"):  # the app's logger, whatever level a test left
        make_position("submitted")
        assert reviewer.email not in caplog.text  # the request only wrote the outbox
        run_queued_jobs(app)

    [message] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == reviewer.email)).all()
    assert message.sent_at is not None and message.attempts == 0
    assert f"Submitted for review: {TITLE}" in caplog.text
    assert reviewer.email in caplog.text
    [record] = [r for r in caplog.records if reviewer.email in r.getMessage()]
    line = record.getMessage()
    assert "\n" not in line, "one line per mail"
    assert f"/positions/{message.position_id}" in line, "the link a developer follows stays on the line"


def test_the_worker_logs_each_line_once(app):
    from flask.logging import default_handler

    from drafting.worker import configure_logging

    app.logger.addHandler(default_handler)  # as Flask leaves it when no handler is set up before the app
    try:
        configure_logging(app)
        assert default_handler not in app.logger.handlers and app.logger.propagate
    finally:
        app.logger.removeHandler(default_handler)
    assert logging.getLogger().handlers, "the root logger writes every line, once"


def test_send_outbox_gives_up_on_a_mailbox_that_keeps_refusing(smtp, app, runner, client, make_user, make_position):
    from drafting.notifications.delivery import MAX_ATTEMPTS

    gone = make_user("reviewer", "CEMR")
    smtp.mailbox.refused.add(gone.email)
    make_position("submitted")
    run_queued_jobs(app)  # first attempt, by the worker, right after the submission commits
    for _ in range(MAX_ATTEMPTS + 3):
        runner.invoke(args=["send-outbox", "--retry-failed"])
    refused = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == gone.email))
    db.session.refresh(refused)
    assert refused.sent_at is None and refused.attempts == MAX_ATTEMPTS
    assert runner.invoke(args=["send-outbox"]).exit_code == 0, "an abandoned message is no longer a failure"

    client.post("/logout")
    from tests.conftest import login

    login(client, make_user("secretariat"))
    page = client.get("/outbox").get_data(as_text=True)
    assert "Failed too often, no longer retried" in page and "550" in page


def test_each_mail_names_the_deadline_that_matters_now(smtp, make_user, make_position):
    """Reviewers are told the review deadline; authors asked for changes, the submission deadline."""
    reviewer = make_user("reviewer", "Metropolis")
    author = make_user("contributor", "CEMR")
    position = make_position("in_review", author=author)
    [submitted] = smtp.mailbox.to(reviewer.email)
    assert "Review deadline: March 5, 2018" in body(submitted) and "Submission deadline" not in body(submitted)

    transition(position, "request_changes", reviewer, comment="More, please.", visibility="shared")
    [changes] = smtp.mailbox.to(author.email)
    assert "Submission deadline: February 26, 2018" in body(changes) and "Review deadline" not in body(changes)

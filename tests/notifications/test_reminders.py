"""`send-reminders`: reviews due within three days or overdue, submissions due within three days, once a day."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import OutboxMessage
from drafting.positions.operations import grant_extension
from tests.support.worker import run_queued_jobs

# Pinned today: 2018-02-10. Review deadlines: zero draft 2018-01-29 (overdue), Round 1 2018-02-13 (due),
# Round 2 2018-03-05 (not yet). Submission deadlines: Round 1 2018-02-06 (past), Round 2 2018-02-26.


@pytest.fixture
def calendar(make_user, make_position):
    people = {
        "reviewer": make_user("reviewer", "CEMR"),
        "french_reviewer": make_user("reviewer", "UCLG Africa", locale="fr"),
        "metropolis_author": make_user("contributor", "Metropolis"),
        "metropolis_colleague": make_user("contributor", "Metropolis"),
        "cemr_author": make_user("contributor", "CEMR"),
        "mewa_author": make_user("contributor", "UCLG-MEWA"),
    }
    positions = {
        "due": make_position("in_review", milestone_name="Round 1", title="Review due soon",
                             author=people["cemr_author"]),
        "overdue": make_position("submitted", milestone_name="Zero draft", title="Review overdue",
                                 author=people["cemr_author"]),
        "later": make_position("submitted", milestone_name="Round 2", title="Review due later",
                               author=people["cemr_author"]),
        "extended": make_position("draft", org="Metropolis", milestone_name="Round 1", title="Draft with extension",
                                  author=people["metropolis_author"]),
        "closed": make_position("draft", org="UCLG-MEWA", milestone_name="Round 1", title="Draft too late",
                                author=people["mewa_author"]),
        "far": make_position("draft", org="UCLG-MEWA", milestone_name="Round 2", title="Draft due later",
                             author=people["mewa_author"]),
    }
    grant_extension(positions["extended"], make_user("secretariat"), date(2018, 2, 12))
    return people, positions


def test_reminders_reach_the_right_people_only(smtp, runner, calendar):
    people, positions = calendar
    before = len(smtp.mailbox.messages)

    result = runner.invoke(args=["send-reminders"])

    assert result.exit_code == 0, result.output
    assert "6 review, 2 submission queued" in result.output
    sent = {(m["X-Envelope-To"], m["Subject"]) for m in smtp.mailbox.messages[before:]}
    reviewer, french = people["reviewer"].email, people["french_reviewer"].email
    # make_position made one more reviewer, who started the review of "due".
    starter = next(e.actor for e in positions["due"].events if e.action == "start_review").email
    expected = {
        (reviewer, "Review due February 13, 2018: Review due soon"),
        (french, "Relecture attendue le 13 février 2018 : Review due soon"),
        (starter, "Review due February 13, 2018: Review due soon"),
        (reviewer, "Review overdue: Review overdue"),
        (french, "Relecture en retard : Review overdue"),
        (starter, "Review overdue: Review overdue"),
        (people["metropolis_author"].email, "Submission deadline February 12, 2018: Draft with extension"),
        (people["metropolis_colleague"].email, "Submission deadline February 12, 2018: Draft with extension"),
    }
    assert sent == expected
    # Not the authors (contributors of CEMR), not the draft whose deadline passed, not the later ones.
    assert not any(people["cemr_author"].email == to or people["mewa_author"].email == to for to, _ in sent)
    overdue = next(m for m in smtp.mailbox.messages[before:] if m["Subject"] == "Review overdue: Review overdue")
    assert "was due on January 29, 2018 and is overdue" in overdue.get_content()
    assert f"/positions/{positions['overdue'].id}" in overdue.get_content()


def test_send_reminders_twice_a_day_queues_each_reminder_once_and_again_the_next_day(app, smtp, runner, calendar):
    first = runner.invoke(args=["send-reminders"])
    assert first.exit_code == 0, first.output
    count_after_first = len(smtp.mailbox.messages)
    queued = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                               .where(OutboxMessage.dedupe_key.like("reminder:%")))
    assert queued > 0

    second = runner.invoke(args=["send-reminders"])

    assert second.exit_code == 0, second.output
    assert "0 review, 0 submission queued" in second.output
    assert len(smtp.mailbox.messages) == count_after_first
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.dedupe_key.like("reminder:%"))) == queued

    app.config["DRAFTING_TODAY"] = "2018-02-11"
    next_day = runner.invoke(args=["send-reminders"])

    assert next_day.exit_code == 0, next_day.output
    assert len(smtp.mailbox.messages) == count_after_first + queued
    keys = db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("%:2018-02-11")))
    assert len(list(keys)) == queued


def test_a_reviewer_is_not_reminded_of_a_position_they_wrote(smtp, runner, make_user, make_position):
    writer = make_user("contributor", "CEMR")
    make_position("submitted", milestone_name="Zero draft", author=writer)
    writer.role = "reviewer"
    db.session.commit()
    other = make_user("reviewer", "Metropolis")

    runner.invoke(args=["send-reminders"])

    assert smtp.mailbox.recipients("Review overdue") == {other.email}


def test_a_reviewer_who_approved_is_not_reminded(smtp, runner, make_user, make_position):
    from drafting.positions.workflow import transition

    position = make_position("in_review", milestone_name="Round 1")
    position.milestone.approvals_required = 2
    db.session.commit()
    approver, other = make_user("reviewer", "Metropolis"), make_user("reviewer", "UCLG Africa")
    transition(position, "approve", approver)
    assert position.stage == "in_review"

    runner.invoke(args=["send-reminders"])

    assert other.email in smtp.mailbox.recipients("Review due")
    assert approver.email not in smtp.mailbox.recipients("Review due")


def test_the_worker_sends_the_reminders_daily_and_the_outbox_every_minute(app, smtp, calendar):
    from datetime import datetime

    from drafting.notifications import tasks
    from drafting.worker import huey

    assert tasks.send_reminders.s().validate_datetime(datetime(2018, 2, 10, 7, 0))
    assert not any(tasks.send_reminders.s().validate_datetime(datetime(2018, 2, 10, hour, minute))
                   for hour in range(24) for minute in range(60) if (hour, minute) != (7, 0))
    assert all(tasks.deliver_outbox.s().validate_datetime(datetime(2018, 2, 10, 13, minute)) for minute in range(60))
    people, _ = calendar
    before = len(smtp.mailbox.messages)

    huey.enqueue(tasks.send_reminders.s())  # what the consumer's scheduler does at 07:00
    run_queued_jobs(app)
    huey.enqueue(tasks.send_reminders.s())  # a second run the same day adds nothing
    run_queued_jobs(app)

    reminded = [m["X-Envelope-To"] for m in smtp.mailbox.messages[before:]]
    assert reminded.count(people["reviewer"].email) == 2  # "due" and "overdue", once each
    assert len(reminded) == 8

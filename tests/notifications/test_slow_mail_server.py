"""No web request talks to the mail server: with a server that takes 3 s per reply, every action
answers without opening an SMTP connection, and the worker delivers afterwards."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import OutboxMessage
from drafting.notifications.delivery import deliver
from tests.conftest import login
from tests.support.worker import queued_jobs, run_queued_jobs


@pytest.fixture
def app_config(app_config) -> dict:
    return {**app_config, "MAIL_TIMEOUT": 10}  # longer than the slow server's 3 s per reply


def test_submit_decisions_and_comments_never_wait_on_the_mail_server(app, smtp, make_user, make_position):
    smtp.mailbox.delay = 3.0
    reviewer = make_user("reviewer", "Metropolis")
    author = make_user("contributor", "CEMR")
    position = make_position("draft", author=author)
    authors, reviewers = app.test_client(), app.test_client()
    login(authors, author)
    login(reviewers, reviewer)
    url = f"/positions/{position.id}"
    steps = [
        (authors, f"{url}/submit", {}),
        (reviewers, f"{url}/start_review", {}),
        (reviewers, f"{url}/request_changes", {"decision-comment": "Name the paragraph of the compact."}),
        (reviewers, f"{url}/comments", {"body": "Paragraph 31(c), for instance.", "visibility": "shared"}),
        (authors, f"{url}/submit", {}),
        (reviewers, f"{url}/start_review", {}),
        (reviewers, f"{url}/approve", {}),
    ]

    for client, path, data in steps:
        response = client.post(path, data=data)
        assert response.status_code == 303, (path, response.get_data(as_text=True)[:300])
        assert smtp.mailbox.connections == 0, f"{path} talked to the mail server"

    db.session.expire_all()
    written = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(m.recipient, m.sent_at, m.attempts) for m in written] == [
        (reviewer.email, None, 0),  # submitted
        (author.email, None, 0),  # changes requested
        (author.email, None, 0),  # the shared comment
        (reviewer.email, None, 0),  # submitted again
        (author.email, None, 0),  # approved
    ]
    assert set(queued_jobs(app)) == {"deliver_messages"}

    smtp.mailbox.delay = 0.3  # still slow, but the test need not last a minute
    run_queued_jobs(app)

    assert smtp.mailbox.connections > 0
    assert [m["Subject"].split(":")[0] for m in smtp.mailbox.to(author.email)] == [
        "Changes requested", "New comment", "Approved"]
    assert len(smtp.mailbox.to(reviewer.email)) == 2
    db.session.expire_all()
    assert all(m.sent_at is not None for m in db.session.scalars(select(OutboxMessage)))


def test_two_deliveries_at_once_never_send_a_message_twice(app, smtp, make_user, make_position):
    """The worker's threads, a nudge and the minute's round may all look at the outbox together."""
    reviewers = [make_user("reviewer", org) for org in ("Metropolis", "UCLG Africa", "UCLG-MEWA", "CEMR")]
    make_position("submitted")
    smtp.mailbox.delay = 0.2
    barrier = threading.Barrier(3)
    errors = []

    def delivery():
        with app.app_context():
            try:
                barrier.wait()
                deliver()
            except Exception as error:  # reported below; a thread's exception would be lost
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=delivery) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    for reviewer in reviewers:
        assert len(smtp.mailbox.to(reviewer.email)) == 1, reviewer.email
    db.session.expire_all()
    assert [m.attempts for m in db.session.scalars(select(OutboxMessage))] == [1] * len(reviewers)

"""The secretariat's outbox page: who may see it, what it lists, and a message's body."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import OutboxMessage
from tests.conftest import login
from tests.support.worker import run_queued_jobs


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_the_outbox_is_only_for_the_secretariat(client, login_as, make_user, make_position, role):
    make_user("reviewer", "Metropolis")
    make_position("submitted")
    message = db.session.scalars(select(OutboxMessage)).first()
    login_as(role)

    assert client.get("/outbox").status_code == 403
    assert client.get(f"/outbox/{message.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get("/outbox").status_code in (302, 303)


def test_the_secretariat_reads_the_outbox_and_a_message_body(app, client, smtp, login_as, make_user, make_position):
    reviewer = make_user("reviewer", "Metropolis")
    position = make_position("submitted")
    login_as("secretariat")
    waiting = client.get("/outbox").get_data(as_text=True)
    assert "Pending" in waiting and "Sent" not in waiting  # the request only wrote the outbox

    run_queued_jobs(app)
    page = client.get("/outbox")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert reviewer.email.replace("@", "<wbr>@") in html  # the address may break before its "@", nowhere else
    assert "Submitted for review: Cities welcome newcomers" in html
    assert "Sent" in html
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == reviewer.email))
    detail = client.get(f"/outbox/{message.id}").get_data(as_text=True)
    assert f"https://drafting.example.org/positions/{position.id}" in detail
    assert "submitted this position for review" in detail
    assert client.get("/outbox/999999").status_code == 404


def test_a_failed_message_shows_its_error_and_next_attempt_on_the_outbox_page(
        app, client, smtp, login_as, make_user, make_position):
    make_user("reviewer", "Metropolis")
    smtp.stop()
    make_position("submitted")
    run_queued_jobs(app)
    login_as("secretariat")

    html = client.get("/outbox").get_data(as_text=True)

    assert "Failed, will be retried" in html
    assert "ConnectionRefusedError" in html
    message = db.session.scalar(select(OutboxMessage))
    assert f"Next attempt: {message.next_attempt_at:%Y-%m-%d %H:%M}" in html


def test_the_outbox_is_paginated_newest_first(client, smtp, login_as, make_user, make_position):
    make_user("reviewer", "Metropolis")
    for number in range(55):
        db.session.add(OutboxMessage(kind="comment", recipient=f"r{number}@example.org",
                                     subject=f"Message {number:02d}", body="…", attempts=0, last_error=""))
    db.session.commit()
    make_position("submitted", title="The newest one")
    login_as("secretariat")

    first = client.get("/outbox").get_data(as_text=True)
    second = client.get("/outbox?page=2").get_data(as_text=True)

    assert "The newest one" in first and 'rel="next"' in first
    assert "The newest one" not in second


@pytest.mark.parametrize(("locale", "label"), [
    ("en", "Amendments in a new revision"),
    ("fr", "Amendements dans une nouvelle révision"),
    ("es", "Enmiendas en una nueva revisión"),
])
def test_every_kind_of_message_is_named_in_the_readers_language(app, client, make_user, make_position, locale,
                                                                label):
    from drafting.notifications import amendment_statuses, outbox
    from drafting.notifications.outbox import queue_message
    from drafting.notifications.views import KIND_LABELS

    kinds = {mail.kind for mail in outbox.EVENT_MAILS.values()} | {outbox.COMMENT_MAIL.kind,
                                                                   amendment_statuses.KIND}
    kinds |= {f"reminder_{kind}" for kind in ("review", "submission")}
    assert kinds <= set(KIND_LABELS), "a kind without a name shows raw on the outbox and notifications"

    secretariat = make_user("secretariat", locale=locale)
    position = make_position("submitted")
    queue_message(secretariat, amendment_statuses.KIND, position, "Subject", "Intro")
    db.session.commit()
    login(client, secretariat)
    for url in ("/outbox", "/notifications"):
        html = client.get(url).get_data(as_text=True)
        assert label in html, url
        assert "amendment_statuses" not in html, url

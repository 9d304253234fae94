"""On the secretariat's pages, a user of another role gets the same 403 for an existing id and a missing
one: the answer does not tell which accounts, messages or editions exist."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.models import (
    Attachment,
    CompactSection,
    Milestone,
    Organisation,
    OutboxMessage,
    TextRevision,
    Theme,
)
from tests.conftest import milestone

MISSING = 987654


URLS = [
    ("GET", "/users/{user}/edit"), ("POST", "/users/{user}/edit"), ("POST", "/users/{user}/password"),
    ("POST", "/users/{user}/active"), ("GET", "/outbox/{message}"), ("GET", "/milestones/{milestone}/edit"),
    ("POST", "/milestones/{milestone}/edit"), ("GET", "/milestones/{milestone}/compile"),
    ("GET", "/milestones/{milestone}/editions"), ("GET", "/editions/{edition}/download"),
    ("GET", "/editions/{edition}/pdf"), ("POST", "/editions/{edition}/retry"), ("GET", "/themes/{theme}/edit"),
    ("POST", "/themes/{theme}/edit"), ("GET", "/sections/{section}/edit"), ("POST", "/sections/{section}/edit"),
    ("GET", "/organisations/{organisation}/edit"), ("POST", "/organisations/{organisation}/edit"),
    ("POST", "/text/{revision}/reanchor"),
]


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_an_existing_and_a_missing_id_get_the_same_refusal(client, login_as, make_user, make_position, role):
    make_position("approved", milestone_name="Round 2")
    edition = compile_edition(milestone("Round 2"), make_user("secretariat"), CompileOptions(title="Round 2"))
    target = make_user("contributor")
    message = OutboxMessage(recipient="x@example.org", subject="s", body="b", kind="submitted")
    db.session.add(message)
    db.session.commit()
    existing = {"user": target.id, "message": message.id, "milestone": milestone("Round 2").id,
                "edition": edition.id, "theme": db.session.scalar(select(Theme.id).limit(1)),
                "section": db.session.scalar(select(CompactSection.id).limit(1)),
                "organisation": db.session.scalar(select(Organisation.id).limit(1))}
    revision = TextRevision(name="Zero draft", issued_on=date(2018, 2, 5), published_by=target, reanchor_count=1,
                            reanchor_failure="time")
    db.session.add(revision)
    db.session.commit()
    existing["revision"] = revision.id
    login_as(role)
    for method, pattern in URLS:
        real = client.open(pattern.format(**existing), method=method)
        missing = client.open(pattern.format(**dict.fromkeys(existing, MISSING)), method=method)
        assert real.status_code == missing.status_code == 403, (pattern, real.status_code, missing.status_code)
        for response in (real, missing):
            assert "Your account is not allowed to do this." in response.get_data(as_text=True)
    assert db.session.get(Milestone, existing["milestone"]) is not None


OTHER_PEOPLES = [
    ("GET", "/positions/{position}"), ("GET", "/positions/{position}/history"),
    ("GET", "/positions/{position}/compare"), ("GET", "/positions/{position}/edit"),
    ("POST", "/positions/{position}/edit"), ("POST", "/positions/{position}/comments"),
    ("POST", "/positions/{position}/submit"), ("GET", "/positions/{position}/withdraw"),
    ("GET", "/positions/{position}/attachments"), ("GET", "/attachments/{attachment}"),
    ("POST", "/attachments/{attachment}/delete"), ("GET", "/notifications/{notification}"),
    ("GET", "/text/uptake?network={network}"), ("GET", "/text/uptake.csv?network={network}"),
]


def test_another_persons_position_notification_or_network_answers_as_a_missing_one(client, login_as, make_user,
                                                                                   make_position):
    """Where an object's existence is not the reader's business, theirs and a missing one look alike."""
    position = make_position("draft", org="Metropolis")
    attachment = Attachment(position=position, filename="a.docx", size=4, sha256="0" * 64, data=b"PK..",
                            uploaded_by=position.created_by)
    notification = OutboxMessage(recipient="y@example.org", recipient_id=position.created_by.id, subject="s",
                                 body="b", kind="comment")
    db.session.add_all([attachment, notification])
    db.session.commit()
    existing = {"position": position.id, "attachment": attachment.id, "notification": notification.id,
                "network": position.organisation_id}
    login_as("contributor", "CEMR")
    client.get("/")  # shows the flashes left from logging in
    for method, pattern in OTHER_PEOPLES:
        real = client.open(pattern.format(**existing), method=method)
        missing = client.open(pattern.format(**dict.fromkeys(existing, MISSING)), method=method)
        assert real.status_code == missing.status_code == 404, (pattern, real.status_code, missing.status_code)
        assert _without_token(real) == _without_token(missing), pattern


def _without_token(response) -> str:
    """The page without its CSRF token, which carries the second it was made in."""
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]*"', "", response.get_data(as_text=True))

"""On the secretariat's pages, a user of another role gets the same 403 for an existing id and a missing
one: the answer does not tell which accounts, messages or editions exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.documents.editions import compile_edition
from drafting.documents.naming import CompileOptions
from drafting.extensions import db
from drafting.models import CompactSection, Milestone, Organisation, OutboxMessage, Theme
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
    login_as(role)
    for method, pattern in URLS:
        real = client.open(pattern.format(**existing), method=method)
        missing = client.open(pattern.format(**dict.fromkeys(existing, MISSING)), method=method)
        assert real.status_code == missing.status_code == 403, (pattern, real.status_code, missing.status_code)
        for response in (real, missing):
            assert "Your account is not allowed to do this." in response.get_data(as_text=True)
    assert db.session.get(Milestone, existing["milestone"]) is not None

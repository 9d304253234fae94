"""The positions list, the review queue and a position's page issue a fixed number of SQL statements,
however many positions exist (the tracker and search have their own test in tests/tracker)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Attachment, Position
from tests.support.query_budget import BUDGET, insert_positions, statements_for

# Keyset links into the list (drafting.pagination): the bulk positions are all saved at this moment, and
# more than a page of them lie on either side of these, with 30 positions as with 500.
LATE, EARLY = "2018-02-10T09:00:00_12", "2018-02-10T09:00:00_1"
PAGES = {
    "contributor": ["/positions", "/positions?stage=draft", "/positions/1/history"],
    "reviewer": ["/review", "/review?stage=approved", "/positions", f"/review?after={LATE}&page=3"],
    "secretariat": ["/positions", "/positions?page=2", "/positions?milestone=3&stage=approved", "/review",
                    "/milestones", "/users", f"/positions?after={LATE}&page=9", f"/positions?before={EARLY}&page=8",
                    "/milestones/3/compile", f"/milestones/3/compile?after={LATE.split('_')[1]}&page=2"],
}
# A position's own page gathers a dozen things (events, comments, revisions, approvals, lineage,
# attachments...): only what it shows (17 statements before, 6 to 11 now by role and by what the position
# has), and never more with the data.
DETAIL_PAGES = {"contributor": ["/positions/1"], "reviewer": ["/positions/2"], "secretariat": ["/positions/1"]}
DETAIL_BUDGET = 11


@pytest.mark.slow  # seeds hundreds of positions
@pytest.mark.parametrize("role", list(PAGES))
def test_list_pages_stay_within_budget(client, login_as, make_user, role):
    author = make_user("contributor", "CEMR")
    insert_positions(30, author)
    login_as(role, org="UCLG" if role == "secretariat" else "CEMR")
    paths = DETAIL_PAGES[role] + PAGES[role]  # the position page first: nothing left by a list in the session
    few = {path: statements_for(client, path) for path in paths}

    insert_positions(470, author)
    assert db.session.scalar(select(db.func.count()).select_from(Position)) == 500
    many = {path: statements_for(client, path) for path in paths}

    for path, count in many.items():
        limit = DETAIL_BUDGET if path in DETAIL_PAGES[role] else BUDGET
        assert count <= limit, f"{path}: {count} statements with 500 positions"
    assert many == few, "the number of statements grows with the number of positions"


def test_a_position_page_reads_approvals_successors_and_annexes_only_when_it_has_some(
        client, login_as, make_position):
    login_as("secretariat", org="UCLG")
    plain = make_position("submitted", title="Nothing attached")
    rich = make_position("approved", milestone_name="Round 1", title="Approved, carried forward, annexed")
    later = make_position("draft", milestone_name="Round 3", title="Its successor")
    later.predecessor_id = rich.id
    data = b"PK\x03\x04 an annex"
    db.session.add(Attachment(position_id=rich.id, filename="annex-on-housing.docx", size=len(data),
                              sha256=hashlib.sha256(data).hexdigest(), data=data,
                              uploaded_by_id=rich.created_by_id))
    db.session.commit()
    reviewers = [a.reviewer.name for a in rich.approvals]
    assert reviewers

    # At least three statements fewer for a position without approvals, successors or annexes...
    with_all = statements_for(client, f"/positions/{rich.id}")
    assert statements_for(client, f"/positions/{plain.id}") + 3 <= with_all <= DETAIL_BUDGET
    # ...and a position that has them shows them all.
    page = client.get(f"/positions/{rich.id}").get_data(as_text=True)
    assert all(name in page for name in reviewers)
    assert "Carried forward to" in page and f'href="/positions/{later.id}"' in page
    assert "annex-on-housing.docx" in page
    plain_page = client.get(f"/positions/{plain.id}").get_data(as_text=True)
    assert "Carried forward to" not in plain_page and "No Word annex is attached." in plain_page

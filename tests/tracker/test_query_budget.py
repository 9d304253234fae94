"""The tracker and the search issue a fixed number of SQL statements, however many positions exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Position
from tests.support.query_budget import BUDGET, insert_positions, statements_for

PAGES = {
    "secretariat": ["/tracker", "/search", "/search?q=cities+migration", "/search?stage=approved&q=note",
                    '/search?q="cities and"+-note+or+bulk', "/search?q=cities&page=2",
                    "/tracker.csv", "/tracker-positions.csv", "/tracker.xlsx"],
    "reviewer": ["/search", "/search?q=cities"],
    "contributor": ["/search", "/search?q=cities"],
}


@pytest.mark.slow  # seeds hundreds of positions
@pytest.mark.parametrize("role", list(PAGES))
def test_statements_stay_within_budget_and_do_not_grow_with_the_data(client, login_as, make_user, role):
    author = make_user("contributor", "CEMR")
    insert_positions(30, author)
    login_as(role, org="UCLG" if role == "secretariat" else "CEMR")
    few = {path: statements_for(client, path) for path in PAGES[role]}

    insert_positions(470, author)
    assert db.session.scalar(select(db.func.count()).select_from(Position)) == 500
    many = {path: statements_for(client, path) for path in PAGES[role]}

    for path, count in many.items():
        assert count <= BUDGET, f"{path}: {count} statements with 500 positions"
    assert many == few, "the number of statements grows with the number of positions"

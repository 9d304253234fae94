"""A list of 25 positions through the API costs no more SQL statements than the page, whatever the
number of positions (tests/support/query_budget.py)."""

from __future__ import annotations

import pytest

from drafting.extensions import db
from tests.support.api import bearer
from tests.support.query_budget import counting_statements, insert_positions, statements_for, warm_reference_names


def _api_statements(client, path: str, headers: dict) -> int:
    warm_reference_names()
    db.session.expire_all()
    with counting_statements() as statements:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    assert len(response.get_json()) == 25
    return len(statements)


@pytest.mark.slow  # seeds hundreds of positions
@pytest.mark.parametrize("role", ["contributor", "secretariat"])
def test_a_list_through_the_api_costs_no_more_than_the_page(client, login_as, make_user, role):
    author = make_user("contributor", "CEMR")
    insert_positions(200, author)
    user = login_as(role, org="UCLG" if role == "secretariat" else "CEMR")
    headers = bearer(user)
    client.get("/api/v1/positions", headers=headers)  # the token's first use is written once a minute
    page = statements_for(client, "/positions")
    few = _api_statements(client, "/api/v1/positions", headers)
    insert_positions(300, author)
    many = _api_statements(client, "/api/v1/positions", headers)
    assert many == few, "the API's statements grow with the number of positions"
    assert many <= page, f"the API reads a page of 25 in {many} statements, the page in {page}"

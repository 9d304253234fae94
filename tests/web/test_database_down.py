"""While the database is unreachable, errors still come in the house style with the security headers,
not as the server's plain page."""

from __future__ import annotations

import pytest

from drafting import create_app
from drafting.security import SECURITY_HEADERS
from tests.conftest import base_config

UNREACHABLE = {
    "sqlite": "sqlite:////nonexistent-directory/for-sure/drafting.db",
    "postgresql": "postgresql://postgres@127.0.0.1:1/nothing",
}


@pytest.mark.parametrize("kind", list(UNREACHABLE))
def test_a_request_while_the_database_is_down_gets_the_house_error_page(kind):
    app = create_app(base_config(UNREACHABLE[kind], PROPAGATE_EXCEPTIONS=False))
    client = app.test_client()
    with client.session_transaction() as session:  # a browser that was logged in before the outage
        session["_user_id"] = "1.0123456789abcdef"
        session["_fresh"] = True

    for response in (client.get("/positions"), client.post("/login", data={"email": "a@b.org", "password": "x"})):
        page = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "Something went wrong" in page and "Internal Server Error" not in page
        for header, value in SECURITY_HEADERS.items():
            assert response.headers.get(header) == value, header

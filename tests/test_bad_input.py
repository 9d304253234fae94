"""No address or query string can make a page fail with a 500: nonsense ids and numbers give a 404 or
are ignored, on SQLite (which overflows on integers past 2**63) and PostgreSQL alike."""

from __future__ import annotations

import pytest

BIG = "99999999999999999999999"
URLS = [
    f"/positions/{BIG}", f"/positions/{BIG}/history", f"/milestones/{BIG}", f"/milestones/{BIG}/compile",
    f"/users/{BIG}/edit", f"/outbox/{BIG}", f"/editions/{BIG}/download", f"/attachments/{BIG}",
    f"/positions?milestone={BIG}&stage=nonsense&page={BIG}", "/positions?page=-3",
    f"/positions?after=2018-99-01T00:00:00_{BIG}&page=2", "/positions?before=%00_1", "/positions?after=_",
    f"/review?after=2018-01-01T00:00:00_{BIG}", "/review?before=2018-01-01T00:00:00_-1&page=0",
    f"/review?milestone={BIG}&theme=x&organisation=-1&stage=%00&page={BIG}",
    f"/search?milestone={BIG}&theme={BIG}&language=xx&page={BIG}&q=%00%FF%EF%BF%BF",
    f"/outbox?page={BIG}", "/positions/1/compare?old=abc&new=" + BIG,
]


@pytest.mark.parametrize("url", URLS)
def test_nonsense_in_the_address_is_never_a_server_error(client, login_as, url):
    login_as("secretariat")
    response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    if response.status_code == 404:
        assert "There is nothing at this address." in response.get_data(as_text=True)


def test_a_position_id_beyond_the_database_range_is_a_404_not_an_overflow(client, login_as):
    login_as("contributor")
    assert client.get(f"/positions/{2**31}").status_code == 404
    assert client.get(f"/positions/{2**31 - 1}").status_code == 404


def test_a_nul_byte_in_the_login_form_is_a_wrong_password_not_a_crash(client, make_user):
    user = make_user("contributor")
    response = client.post("/login", data={"email": user.email + "\x00", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong email or password" in response.get_data(as_text=True)

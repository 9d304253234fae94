"""Sessions end on the server: a copy of the session or remember-me cookie taken before logout is
worthless after it; "Log out everywhere" ends every device; "Keep me logged in" lasts 30 days; pages for
a logged-in user are never cached."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import PASSWORD


def _cookies(client) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    """A fresh browser carrying copies of the captured cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _logged_in_with_remember(client, user):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    assert response.status_code == 303
    cookies = _cookies(client)
    assert {"session", "remember_token"} <= set(cookies)
    return cookies


@pytest.mark.parametrize("kept", [("session",), ("remember_token",), ("session", "remember_token")])
def test_cookies_copied_before_logout_lead_to_the_login_page_after_it(app, client, make_user, kept):
    user = make_user("contributor")
    captured = _logged_in_with_remember(client, user)
    assert _replay(app, {k: captured[k] for k in kept}).get("/positions").status_code == 200

    client.post("/logout")

    response = _replay(app, {k: captured[k] for k in kept}).get("/positions")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_log_out_everywhere_ends_the_other_devices_too(app, client, make_user):
    user = make_user("reviewer")
    laptop = _logged_in_with_remember(client, user)
    phone_client = app.test_client()
    phone = _logged_in_with_remember(phone_client, user)
    page = client.get("/account").get_data(as_text=True)
    assert "Log out everywhere" in page and 'action="/account/logout-everywhere"' in page

    response = phone_client.post("/account/logout-everywhere")

    assert response.headers["Location"].startswith("/login")
    for cookies in (laptop, phone):
        assert _replay(app, cookies).get("/review").headers["Location"].startswith("/login")
    # Logging in again works, and only the new session counts.
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 303
    assert client.get("/review").status_code == 200


def test_keep_me_logged_in_lasts_thirty_days(app, client, make_user):
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    response = client.post("/login", data={"email": make_user().email, "password": PASSWORD, "remember": "y"})
    remember = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token=")][0]
    assert "Max-Age=2592000" in remember or "Expires=" in remember


def test_pages_for_a_logged_in_user_are_never_cached(client, login_as):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as("secretariat")
    for url in ("/tracker", "/account", "/users", "/positions", "/tracker.csv"):
        assert client.get(url).headers.get("Cache-Control") == "no-store", url

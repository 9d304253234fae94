"""Security from the first line: CSRF, safe redirects after login, the login rate limit, cookies, headers."""

from __future__ import annotations

import re

import pytest

from drafting import create_app
from drafting.security import is_safe_next
from tests.conftest import PASSWORD, base_config, login

HOUSE_STYLE = "Global Compact drafting desk"


def csrf_token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


class TestCsrfEnabled:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_post_without_token_gets_the_400_page_in_house_style(self, client, make_user):
        user = make_user("contributor")
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert HOUSE_STYLE in html
        assert "did not come from this site" in html
        assert "Traceback" not in html and "CSRF" not in html

    def test_post_with_a_wrong_token_is_refused(self, client, make_user):
        user = make_user("contributor")
        csrf_token(client)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"})
        assert response.status_code == 400
        assert "did not come from this site" in response.get_data(as_text=True)

    def test_post_with_the_token_logs_in(self, client, make_user):
        user = make_user("contributor")
        token = csrf_token(client)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 303
        assert client.get("/milestones").status_code == 200

    def test_logout_button_needs_the_token(self, client, make_user):
        user = make_user("contributor")
        token = csrf_token(client)
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert client.post("/logout").status_code == 400
        assert client.get("/milestones").status_code == 200  # still logged in
        token = csrf_token(client, "/milestones")
        client.post("/logout", data={"csrf_token": token})
        assert client.get("/milestones").status_code == 302

    def test_secretariat_form_needs_the_token(self, client, make_user):
        secretariat = make_user("secretariat")
        token = csrf_token(client)
        client.post("/login", data={"email": secretariat.email, "password": PASSWORD, "csrf_token": token})
        target = make_user("reviewer")
        response = client.post(f"/users/{target.id}/active", data={"active": "0"})
        assert response.status_code == 400
        from drafting.extensions import db

        db.session.refresh(target)
        assert target.active is True


# The login `next` parameter ------------------------------------------------------------------

REFUSED_TARGETS = [
    "//evil.example",
    "/\\evil.example",
    "https:evil.example",
    "https://evil.example",
    "http://evil.example/login",
    "javascript:alert(1)",
    "///evil.example",
    "/\tevil.example",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", REFUSED_TARGETS)
def test_login_refuses_a_next_that_leaves_the_site(client, make_user, target):
    user = make_user("contributor")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/milestones", "/milestones/3?tab=positions", "/account"])
def test_login_follows_a_same_site_next(client, make_user, target):
    user = make_user("contributor")
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == target


def test_already_logged_in_user_is_not_sent_off_site(client, login_as):
    login_as("contributor")
    response = client.get("/login", query_string={"next": "//evil.example"})
    assert response.headers["Location"] == "/"


def test_login_required_page_sends_back_after_login(client, make_user):
    response = client.get("/milestones")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    user = make_user("reviewer")
    response = client.post(response.headers["Location"], data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/milestones"


@pytest.mark.parametrize("target", REFUSED_TARGETS + [None, "/\x00x", "/a\nb"])
def test_is_safe_next_refuses(target):
    assert not is_safe_next(target)


# Rate limiting -------------------------------------------------------------------------------

class TestLoginRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    @staticmethod
    def fail(client, email, address="127.0.0.1"):
        return client.post("/login", data={"email": email, "password": "wrong password!"},
                           environ_overrides={"REMOTE_ADDR": address})

    def test_eleventh_failed_login_in_a_minute_gets_the_429_page(self, client, make_user):
        user = make_user("contributor")
        for attempt in range(10):
            assert self.fail(client, user.email).status_code == 200, f"attempt {attempt + 1} refused"
        response = self.fail(client, user.email)
        html = response.get_data(as_text=True)
        assert response.status_code == 429
        assert HOUSE_STYLE in html and "Too many attempts" in html
        # Even the right password is refused from that address now ...
        blocked = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert blocked.status_code == 429
        # ... but another address is not affected.
        assert self.fail(client, user.email, address="10.1.2.3").status_code == 200

    def test_successful_logins_are_not_counted(self, client, make_user):
        user = make_user("contributor")
        for _ in range(9):
            assert self.fail(client, user.email).status_code == 200
        for _ in range(5):
            login(client, user)
            client.post("/logout")
        assert self.fail(client, user.email).status_code == 200  # the 10th failure
        assert self.fail(client, user.email).status_code == 429

    def test_login_page_itself_is_not_limited(self, client, make_user):
        user = make_user("contributor")
        for _ in range(11):
            self.fail(client, user.email)
        assert client.get("/login").status_code == 200


# Cookies and headers -------------------------------------------------------------------------

def _cookie_headers(response, name):
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


def test_session_and_remember_cookies_are_httponly_and_lax(client, make_user):
    user = make_user("contributor")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    for name in ("session", "remember_token"):
        (header,) = _cookie_headers(response, name)
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header
        assert "Secure" not in header  # testing runs on plain http


def test_cookies_are_secure_in_production(app_config, make_user, monkeypatch):
    user = make_user("contributor")
    monkeypatch.setenv("SECRET_KEY", "production-secret-for-this-test")
    production = create_app({**base_config(app_config["SQLALCHEMY_DATABASE_URI"]), "DRAFTING_ENV": "production",
                              "TESTING": False})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    response = production.test_client().post(
        "/login", data={"email": user.email, "password": PASSWORD, "remember": "y"}, base_url="https://localhost")
    assert response.status_code == 303
    for name in ("session", "remember_token"):
        (header,) = _cookie_headers(response, name)
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def _assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")


@pytest.mark.parametrize("path", ["/login", "/milestones", "/users", "/account", "/themes", "/nowhere",
                                  "/static/style.css"])
def test_security_headers_on_every_response(client, login_as, path):
    login_as("secretariat")
    response = client.get(path)
    _assert_security_headers(response)


@pytest.mark.parametrize("path", ["/login", "/milestones", "/users", "/users/new", "/account", "/organisations",
                                  "/themes", "/nowhere"])
def test_pages_have_no_inline_script_or_style(client, login_as, path):
    login_as("secretariat")
    html = client.get(path).get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert " onclick=" not in html and "javascript:" not in html


def test_anonymous_login_page_has_headers(client):
    _assert_security_headers(client.get("/login"))

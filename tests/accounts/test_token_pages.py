"""Personal access tokens on the pages: created with the password, the secret shown once, listed with their
state, revoked by their owner or the secretariat (who then mails the owner), stopped with the account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from drafting.accounts import personal_tokens
from drafting.accounts.tokens import authenticate, issue
from drafting.clock import now
from drafting.extensions import db
from drafting.models import AccessToken, OutboxMessage
from tests.conftest import PASSWORD, login
from tests.support.query_budget import counting_statements, warm_reference_names

SECRET = re.compile(r"dft_[A-Za-z0-9_-]{40,}")


def _form(**changes) -> dict:
    data = {"name": "Website sync", "scope": "read", "lifetime": "30", "expires_on": "",
            "current_password": PASSWORD}
    data.update(changes)
    return data


def _tokens(user) -> list[AccessToken]:
    db.session.expire_all()
    return list(db.session.scalars(select(AccessToken).where(AccessToken.user_id == user.id)))


def _mails(user, kind) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == user.id,
                                                               OutboxMessage.kind == kind)))


def test_the_secret_is_shown_once_in_the_answer_and_never_again(client, login_as):
    owner = login_as("contributor", "CEMR")
    response = client.post("/account/tokens", data=_form())
    page = response.get_data(as_text=True)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secrets = set(SECRET.findall(page))
    assert len(secrets) == 1
    secret = secrets.pop()
    assert "shown this once" in page
    assert authenticate(secret).user_id == owner.id
    # Not in a cookie, a redirect or a flash message: nothing outside this one answer carries it.
    assert "Location" not in response.headers
    assert all(secret not in value for value in response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        assert secret not in repr(dict(session))
    # Reloaded, listed, on the account page: never again; the list shows its beginning.
    for path in ("/account/tokens", "/account"):
        again = client.get(path).get_data(as_text=True)
        assert secret not in again and not SECRET.search(again)
    listed = client.get("/account/tokens").get_data(as_text=True)
    assert secret[:12] + "…" in listed and "Website sync" in listed and "Active" in listed
    # Nor in the e-mail that tells the owner.
    [mail] = _mails(owner, "token_created")
    assert secret not in mail.body and "Website sync" in mail.body and "/account/tokens" in mail.body


def test_a_form_sent_twice_makes_one_token(client, login_as):
    """A reload of the answer (the browser sends the form again) or a double click: one token, and the
    second answer says why without showing any secret."""
    owner = login_as("reviewer", "CEMR")
    first = client.post("/account/tokens", data=_form())
    second = client.post("/account/tokens", data=_form())
    assert first.status_code == 201 and second.status_code == 400
    page = second.get_data(as_text=True)
    assert "already have an active token named" in page and not SECRET.search(page)
    assert len(_tokens(owner)) == 1
    assert len(_mails(owner, "token_created")) == 1


def test_creating_asks_for_the_current_password(client, login_as):
    owner = login_as("contributor", "CEMR")
    response = client.post("/account/tokens", data=_form(current_password="not the password"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "This is not your current password." in page
    assert 'value="Website sync"' in page  # the form keeps what was typed
    assert _tokens(owner) == []


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": ""}, "This field is required."),
    ({"name": "x" * 101}, "Field cannot be longer than 100 characters."),
    ({"scope": "admin"}, "Not a valid choice"),
    ({"lifetime": "1000"}, "Not a valid choice"),
    ({"lifetime": "date", "expires_on": ""}, "Enter the last day on which the token may be used."),
    ({"lifetime": "date", "expires_on": "not a date"}, "Not a valid date value."),
    ({"lifetime": "date", "expires_on": "2000-01-01"}, "Choose a day after today."),
    ({"lifetime": "date", "expires_on": "2099-01-01"}, "A token lives at most a year"),
])
def test_a_refused_form_says_why_beside_the_field(client, login_as, changes, message):
    owner = login_as("contributor", "CEMR")
    response = client.post("/account/tokens", data=_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _tokens(owner) == []


def test_a_chosen_day_is_the_last_day_of_use(client, login_as):
    owner = login_as("secretariat")
    day = (now() + timedelta(days=365)).date()
    response = client.post("/account/tokens", data=_form(lifetime="date", expires_on=day.isoformat(),
                                                         scope="write"))
    assert response.status_code == 201
    [token] = _tokens(owner)
    assert token.expires_at.date() == day and token.scope == "write"


def test_every_role_may_ask_for_read_and_write(client, login_as):
    for role in ("contributor", "reviewer", "secretariat"):
        login_as(role)
        page = client.get("/account/tokens").get_data(as_text=True)
        assert '<option value="write">Read and write</option>' in page


def test_at_most_twenty_active_tokens(client, login_as):
    owner = login_as("contributor", "CEMR")
    for number in range(personal_tokens.ACTIVE_LIMIT - 1):
        issue(owner, f"Token {number}", "read", now() + timedelta(days=7))
    expired, _ = issue(owner, "Old", "read", now() + timedelta(days=7))
    expired.expires_at = now() - timedelta(days=1)  # an expired token does not count
    db.session.commit()
    assert client.post("/account/tokens", data=_form(name="Twentieth")).status_code == 201
    refused = client.post("/account/tokens", data=_form(name="Twenty-first"))
    assert refused.status_code == 400
    assert "You have 20 active tokens, the most one account may have." in refused.get_data(as_text=True)
    assert personal_tokens.active_count(owner) == 20


def test_the_owner_revokes_after_a_question(client, login_as):
    owner = login_as("contributor", "CEMR")
    token, secret = issue(owner, "Report", "read", now() + timedelta(days=7))
    question = client.get(f"/account/tokens/{token.id}/revoke")
    assert question.status_code == 200 and "Revoke the token “Report”?" in question.get_data(as_text=True)
    assert authenticate(secret) is not None  # asking changes nothing
    answer = client.post(f"/account/tokens/{token.id}/revoke")
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/account/tokens")
    assert authenticate(secret) is None
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "is revoked" in page and "Revoked" in page
    # Sent twice: said, not an error; and the owner is not mailed about their own act.
    again = client.post(f"/account/tokens/{token.id}/revoke", follow_redirects=True)
    assert "was already revoked" in again.get_data(as_text=True)
    assert _mails(owner, "token_revoked") == []


def test_another_persons_token_is_not_found(client, make_user, login_as):
    other = make_user("contributor", "CEMR")
    token, secret = issue(other, "Theirs", "write", now() + timedelta(days=7))
    login_as("contributor", "CEMR")
    assert client.get(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/account/tokens/999999/revoke").status_code == 404
    assert "Theirs" not in client.get("/account/tokens").get_data(as_text=True)
    assert authenticate(secret) is not None


def test_the_secretariat_sees_and_revokes_an_accounts_tokens_and_the_owner_is_told(client, make_user, login_as):
    owner = make_user("reviewer", "CEMR", locale="fr")
    token, secret = issue(owner, "Rapport annuel", "read", now() + timedelta(days=90))
    secretariat = login_as("secretariat")
    page = client.get(f"/users/{owner.id}/edit").get_data(as_text=True)
    assert "Rapport annuel" in page and token.prefix in page and secret not in page
    answer = client.post(f"/account/tokens/{token.id}/revoke")
    assert answer.headers["Location"].endswith(f"/users/{owner.id}/edit#tokens")
    assert authenticate(secret) is None
    [mail] = _mails(owner, "token_revoked")
    assert secretariat.name in mail.body and "Rapport annuel" in mail.body and "révoqué" in mail.body
    assert mail.recipient == owner.email


def test_a_deactivated_accounts_tokens_stop_at_once(client, make_user, login_as):
    owner = make_user("contributor", "CEMR")
    _, secret = issue(owner, "Nightly export", "read", now() + timedelta(days=30))
    assert authenticate(secret) is not None
    login_as("secretariat")
    client.post(f"/users/{owner.id}/active", data={"active": "0"})
    assert authenticate(secret) is None
    page = client.get(f"/users/{owner.id}/edit").get_data(as_text=True)
    assert "Stopped: account deactivated" in page and "none of its tokens works" in page


def test_creating_a_token_mails_its_owner_in_their_language(client, make_user):
    owner = make_user("contributor", "CEMR", locale="es")
    login(client, owner)
    client.post("/account/tokens", data=_form(name="Sitio web"))
    [mail] = _mails(owner, "token_created")
    assert "Sitio web" in mail.body and mail.subject.startswith("Se ")


def test_the_token_list_costs_the_same_with_many_tokens(client, login_as):
    owner = login_as("contributor", "CEMR")

    def statements() -> int:
        warm_reference_names()
        db.session.expire_all()
        with counting_statements() as counted:
            assert client.get("/account/tokens").status_code == 200
        return len(counted)

    issue(owner, "One", "read", now() + timedelta(days=7))
    few = statements()
    for number in range(15):
        issue(owner, f"More {number}", "write", now() + timedelta(days=7))
    assert statements() == few


def test_the_form_needs_its_csrf_token(app_config, client, login_as):
    """With CSRF on (as in production), a creation or a revocation without the token does nothing."""
    app = client.application
    owner = login_as("contributor", "CEMR")
    token, secret = issue(owner, "Kept", "read", now() + timedelta(days=7))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        refused = client.post("/account/tokens", data=_form(name="Forged"))
        assert refused.status_code == 400 and not SECRET.search(refused.get_data(as_text=True))
        assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert [t.name for t in _tokens(owner)] == ["Kept"] and authenticate(secret) is not None


class TestGuessingThePassword:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_the_eleventh_refused_creation_in_an_hour_is_refused_from_any_address(self, client, login_as):
        owner = login_as("contributor", "CEMR")
        for attempt in range(10):
            response = client.post("/account/tokens", data=_form(current_password=f"guess {attempt}"),
                                   environ_overrides={"REMOTE_ADDR": f"10.0.0.{attempt}"})
            assert response.status_code == 400, f"attempt {attempt + 1}"
        assert client.post("/account/tokens", data=_form(),
                           environ_overrides={"REMOTE_ADDR": "10.9.9.9"}).status_code == 429
        assert _tokens(owner) == []
        assert client.get("/account/tokens").status_code == 200  # the list itself is not limited


def test_two_creations_at_once_make_one_token_of_a_name(app, backend, make_user, monkeypatch):
    """Two requests with the same form at the same moment (a double click on a slow line): the account's
    row is locked while one creates, so the other sees its name taken. PostgreSQL only: SQLite lets one
    writer in at a time anyway, and answers the other "database is locked"."""
    if backend != "postgresql":
        pytest.skip("row locks are PostgreSQL's")
    import threading
    import time

    from drafting.accounts import tokens
    from drafting.models import User

    owner_id = make_user("contributor", "CEMR").id
    slow_issue = tokens.issue

    def issue_slowly(*args, **kwargs):
        time.sleep(0.3)  # both requests have read the names by now, were it not for the lock
        return slow_issue(*args, **kwargs)

    monkeypatch.setattr(tokens, "issue", issue_slowly)
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def create():
        with app.app_context():
            try:
                owner = db.session.get(User, owner_id)
                barrier.wait()
                personal_tokens.create(owner, name="Twice", scope="read", expires_at=now() + timedelta(days=7))
                outcomes.append("created")
            except personal_tokens.TokenRefused:
                outcomes.append("refused")
            except Exception as error:  # reported below; a thread's exception would be lost
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(outcomes) == ["created", "refused"]

"""Invitations and "Forgot password?": the e-mailed links by which people choose their own password.

Mail goes through the outbox and the worker to a real SMTP server on loopback, as in life; the links
are read from the e-mails received.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from drafting.accounts import links
from drafting.clock import now
from drafting.extensions import db
from drafting.models import Invitation, OutboxMessage, PasswordReset, User
from tests.conftest import PASSWORD, login, organisation
from tests.notifications.conftest import SMTPServer
from tests.support.worker import queued_jobs, run_queued_jobs

CHOSEN = "my own secret passphrase"
BASE = "https://drafting.example.org"


@pytest.fixture
def smtp():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(app_config, smtp) -> dict:
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp.port, "MAIL_TIMEOUT": 3, "BASE_URL": BASE}


def mail_to(app, smtp, address: str) -> list:
    run_queued_jobs(app)
    # The jobs wrote in sessions of their own; what this test's session loaded before (a page the test
    # client asked for shares it) is read again.
    db.session.expire_all()
    return [m for m in smtp.mailbox.received if m["X-Envelope-To"] == address]


def link_in(message) -> str:
    """The path of the link in an e-mail (the part after BASE_URL)."""
    return re.search(re.escape(BASE) + r"(/\S+)", message.get_content()).group(1)


def logged_in_as(client) -> str | None:
    response = client.get("/account")
    if response.status_code != 200:
        return None
    return re.search(r"<p>([^<·]+) ·", response.get_data(as_text=True)).group(1).strip()


def invite(client, email="nadia@cemr.example.org", org="CEMR", role="contributor", locale="en", name="Nadia Haddad"):
    return client.post("/users/invite", data={"name": name, "email": email, "organisation_id": organisation(org).id,
                                              "role": role, "locale": locale})


# Invitations ------------------------------------------------------------------------------------

def test_invitation_journey_from_invite_to_first_login(app, client, smtp, login_as):
    secretariat = login_as("secretariat")
    assert "Invite someone" in client.get("/users").get_data(as_text=True)
    response = invite(client)
    assert response.status_code == 303
    users_page = client.get("/users").get_data(as_text=True)
    assert "Pending invitations" in users_page and "nadia@cemr.example.org" in users_page
    assert db.session.scalar(select(User).where(User.email == "nadia@cemr.example.org")) is None

    (mail,) = mail_to(app, smtp, "nadia@cemr.example.org")
    assert mail["Subject"] == "Your invitation to the drafting desk"
    body = mail.get_content()
    assert secretariat.name in body and "CEMR" in body and "7 days" in body
    path = link_in(mail)
    assert path.startswith("/invitation/")
    token = path.rsplit("/", 1)[1]

    # Neither the outbox (which the secretariat reads) nor the invitation holds the link: only a hash.
    stored = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    assert token not in stored.body and links.LINK_PLACEHOLDER in stored.body
    assert "/invitation/" not in client.get(f"/outbox/{stored.id}").get_data(as_text=True)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.token_hash and invitation.token_hash not in token and token not in invitation.token_hash

    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Choose your password" in html and "nadia@cemr.example.org" in html
    response = client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert logged_in_as(client) == "Nadia Haddad"
    user = db.session.scalar(select(User).where(User.email == "nadia@cemr.example.org"))
    assert (user.role, user.organisation.short_name, user.active) == ("contributor", "CEMR", True)
    assert user.check_password(CHOSEN)

    client.post("/logout")
    login(client, user, CHOSEN)
    client.post("/logout")

    reused = client.get(path)
    assert reused.status_code == 410
    assert "already been used" in reused.get_data(as_text=True)
    assert client.post(path, data={"new_password": "another passphrase", "confirm": "another passphrase"}
                       ).status_code == 410
    db.session.refresh(user)
    assert user.check_password(CHOSEN)
    login(client, secretariat)
    assert "Pending invitations" not in client.get("/users").get_data(as_text=True)


def test_invitation_in_french_reads_french(app, client, smtp, login_as):
    login_as("secretariat")
    invite(client, locale="fr")
    (mail,) = mail_to(app, smtp, "nadia@cemr.example.org")
    assert "Bonjour Nadia Haddad" in mail.get_content()


@pytest.mark.parametrize(("days", "works"), [(6, True), (8, False)])
def test_invitation_lasts_seven_days_by_the_apps_clock(app, client, smtp, login_as, days, works):
    login_as("secretariat")
    invite(client)
    path = link_in(mail_to(app, smtp, "nadia@cemr.example.org")[0])
    client.post("/logout")
    app.config["DRAFTING_TODAY"] = "2018-02-{:02d}".format(10 + days)
    page = client.get(path)
    if works:
        assert page.status_code == 200 and "Choose your password" in page.get_data(as_text=True)
    else:
        assert page.status_code == 410
        assert "This invitation has expired" in page.get_data(as_text=True)
        assert client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 410
        assert db.session.scalar(select(User).where(User.email == "nadia@cemr.example.org")) is None


def tampered(path: str) -> list[str]:
    """The link with one character changed in its signature or its payload, cut short, or with a
    signature of another length. (Characters are changed in the middle: the last character of a
    base64 string carries padding bits, so some changes there decode to the same bytes.)"""
    prefix, token = path.rsplit("/", 1)
    payload, _, signature = token.rpartition(".")

    def change(text: str, at: int) -> str:
        return text[:at] + ("x" if text[at] != "x" else "y") + text[at + 1:]

    return [f"{prefix}/{payload}.{change(signature, 5)}", f"{prefix}/{change(payload, 5)}.{signature}",
            f"{prefix}/{token[:-3]}", f"{prefix}/{payload}.{signature}x", f"{prefix}/{payload}"]


def test_tampered_invitation_links_are_refused(app, client, smtp, login_as):
    login_as("secretariat")
    invite(client)
    path = link_in(mail_to(app, smtp, "nadia@cemr.example.org")[0])
    client.post("/logout")
    for altered in tampered(path):
        page = client.get(altered)
        assert page.status_code == 404, altered
        assert "This invitation link is not valid" in page.get_data(as_text=True)
        assert client.post(altered, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 404
    # An invitation's token is not a password reset's: each kind of link is signed for its own use.
    assert client.get(path.replace("/invitation/", "/password/reset/")).status_code == 404
    assert db.session.scalar(select(User).where(User.email == "nadia@cemr.example.org")) is None
    assert client.get(path).status_code == 200  # the real one still works


def test_revoked_invitation_is_refused(app, client, smtp, login_as):
    login_as("secretariat")
    invite(client)
    path = link_in(mail_to(app, smtp, "nadia@cemr.example.org")[0])
    invitation = db.session.scalar(select(Invitation))
    response = client.post(f"/invitations/{invitation.id}/revoke", follow_redirects=True)
    assert "is revoked" in response.get_data(as_text=True)
    assert "Pending invitations" not in response.get_data(as_text=True)
    client.post("/logout")
    page = client.get(path)
    assert page.status_code == 410 and "withdrawn" in page.get_data(as_text=True)
    assert client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 410


def test_resend_sends_a_new_link_and_the_old_one_stops(app, client, smtp, login_as):
    login_as("secretariat")
    invite(client)
    old = link_in(mail_to(app, smtp, "nadia@cemr.example.org")[0])
    invitation = db.session.scalar(select(Invitation))
    response = client.post(f"/invitations/{invitation.id}/resend", follow_redirects=True)
    assert "A new invitation is on its way" in response.get_data(as_text=True)
    mails = mail_to(app, smtp, "nadia@cemr.example.org")
    assert len(mails) == 2
    new = link_in(mails[1])
    assert new != old
    client.post("/logout")
    assert client.get(old).status_code == 404
    assert client.post(new, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 303


def test_invitation_refuses_a_taken_or_invited_address(client, login_as, make_user):
    login_as("secretariat")
    make_user("reviewer", email="taken@cemr.example.org")
    response = invite(client, email="Taken@CEMR.example.org")
    assert response.status_code == 400
    assert "An account with this email already exists." in response.get_data(as_text=True)
    assert invite(client).status_code == 303
    again = invite(client, email="NADIA@cemr.example.org")
    assert again.status_code == 400 and "waiting for an answer" in again.get_data(as_text=True)
    assert len(db.session.scalars(select(Invitation)).all()) == 1


def test_chosen_password_needs_twelve_characters_and_the_same_twice(app, client, smtp, login_as):
    login_as("secretariat")
    invite(client)
    path = link_in(mail_to(app, smtp, "nadia@cemr.example.org")[0])
    client.post("/logout")
    short = client.post(path, data={"new_password": "short", "confirm": "short"})
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    differ = client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN + "!"})
    assert differ.status_code == 400 and "The two passwords differ." in differ.get_data(as_text=True)
    assert client.get(path).status_code == 200  # a refused form does not spend the link


# Contributors only in organisations that write positions -------------------------------------------

def test_contributors_only_in_organisations_that_write_positions(client, login_as, make_user):
    login_as("secretariat")
    response = invite(client, org="IOM")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="organisation_id-error">IOM writes no positions', html)
    assert db.session.scalar(select(Invitation)) is None
    assert invite(client, org="IOM", role="reviewer").status_code == 303

    created = client.post("/users/new", data={"name": "X", "email": "x@iom.example.org", "role": "contributor",
                                              "organisation_id": organisation("IOM").id, "locale": "en",
                                              "password": PASSWORD})
    assert created.status_code == 200 and "IOM writes no positions" in created.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "x@iom.example.org")) is None


def test_a_contributor_of_an_organisation_without_positions_gets_a_clear_page(client, login_as):
    login_as("contributor", "IOM")
    response = client.get("/positions/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "IOM writes no positions" in html and "ask the UCLG World Secretariat" in html


# Forgot password ----------------------------------------------------------------------------------

def forgot(client, email, address="127.0.0.1"):
    return client.post("/password/forgot", data={"email": email}, environ_overrides={"REMOTE_ADDR": address})


def test_forgot_password_answers_alike_for_known_and_unknown_addresses(app, client, smtp, make_user):
    user = make_user("contributor", email="known@cemr.example.org")
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)

    known = forgot(client, "Known@cemr.example.org ")
    known_jobs = queued_jobs(app)
    run_queued_jobs(app)
    unknown = forgot(client, "nobody@cemr.example.org")
    unknown_jobs = queued_jobs(app)
    assert known.status_code == unknown.status_code == 200
    # The same page, and the same work: one job queued, which looks the address up in the worker.
    assert (known.get_data(as_text=True).replace("known@", "X@")
            == unknown.get_data(as_text=True).replace("nobody@", "X@"))
    assert known_jobs == unknown_jobs == ["request_password_reset"]
    assert "on its way" in known.get_data(as_text=True)

    assert len(mail_to(app, smtp, "known@cemr.example.org")) == 1
    assert mail_to(app, smtp, "nobody@cemr.example.org") == []
    assert len(db.session.scalars(select(PasswordReset)).all()) == 1
    assert db.session.scalar(select(PasswordReset)).user_id == user.id


def test_reset_link_works_once_and_ends_the_other_sessions(app, client, smtp, make_user):
    user = make_user("contributor", email="known@cemr.example.org")
    other_device = app.test_client()
    login(other_device, user)
    assert logged_in_as(other_device) == user.name
    forgot(client, user.email)
    (mail,) = mail_to(app, smtp, user.email)
    assert "1 hour" in mail.get_content()
    path = link_in(mail)
    assert path.startswith("/password/reset/")
    token = path.rsplit("/", 1)[1]
    assert token not in db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.kind == "password_reset"))

    assert "Choose your password" in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN})
    assert response.status_code == 303
    assert logged_in_as(client) == user.name
    assert logged_in_as(other_device) is None  # the other session ended
    db.session.refresh(user)
    assert user.check_password(CHOSEN) and not user.check_password(PASSWORD)

    reused = client.post(path, data={"new_password": "yet another passphrase", "confirm": "yet another passphrase"})
    assert reused.status_code == 410 and "already been used" in reused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(CHOSEN)


@pytest.mark.parametrize(("minutes", "works"), [(59, True), (61, False)])
def test_reset_link_lasts_one_hour_by_the_apps_clock(app, client, smtp, make_user, monkeypatch, minutes, works):
    user = make_user("contributor")
    forgot(client, user.email)
    path = link_in(mail_to(app, smtp, user.email)[0])
    later = now() + timedelta(minutes=minutes)
    monkeypatch.setattr(links, "now", lambda: later)
    page = client.get(path)
    if works:
        assert page.status_code == 200
    else:
        assert page.status_code == 410 and "This link has expired" in page.get_data(as_text=True)
        assert client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 410
        db.session.refresh(user)
        assert user.check_password(PASSWORD)


def test_tampered_reset_links_are_refused(app, client, smtp, make_user):
    user = make_user("contributor")
    forgot(client, user.email)
    path = link_in(mail_to(app, smtp, user.email)[0])
    for altered in tampered(path):
        page = client.get(altered)
        assert page.status_code == 404 and "This link is not valid" in page.get_data(as_text=True)
    assert client.get(path.replace("/password/reset/", "/invitation/")).status_code == 404


def test_deactivated_accounts_get_no_reset_mail(app, client, smtp, make_user):
    user = make_user("contributor", active=False)
    assert forgot(client, user.email).status_code == 200
    assert mail_to(app, smtp, user.email) == []


class TestForgotPasswordRateLimit:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_five_requests_an_hour_per_address(self, app, client):
        for attempt in range(5):
            assert forgot(client, "someone@cemr.example.org", f"10.0.0.{attempt}").status_code == 200
        refused = forgot(client, "SOMEONE@cemr.example.org", "10.0.0.99")
        assert refused.status_code == 429
        assert "Too many requests for this address" in refused.get_data(as_text=True)
        assert forgot(client, "other@cemr.example.org", "10.0.0.99").status_code == 200
        assert len(queued_jobs(app)) == 6

    def test_twenty_requests_an_hour_per_client(self, client):
        for attempt in range(20):
            assert forgot(client, f"person{attempt}@cemr.example.org").status_code == 200
        refused = forgot(client, "person99@cemr.example.org")
        assert refused.status_code == 429
        assert "Too many requests from your address" in refused.get_data(as_text=True)
        assert forgot(client, "person99@cemr.example.org", "10.0.0.1").status_code == 200


def test_their_start_page_says_why_there_is_no_new_position(client, login_as):
    login_as("contributor", "IOM")
    html = client.get("/").get_data(as_text=True)
    assert "IOM writes no positions" in html and 'href="/positions/new"' not in html


def test_inviting_again_after_expiry_replaces_the_expired_invitation(app, client, smtp, login_as):
    login_as("secretariat")
    invite(client)
    app.config["DRAFTING_TODAY"] = "2018-02-20"
    assert "expired" in client.get("/users").get_data(as_text=True)
    assert invite(client).status_code == 303
    pending = db.session.scalars(select(Invitation).where(Invitation.revoked_at.is_(None))).all()
    assert len(pending) == 1 and not pending[0].expired(now())
    client.get("/users")  # shows the flash message, which names the address too
    # (an address in a list may break before its "@": <wbr>)
    assert client.get("/users").get_data(as_text=True).replace("<wbr>", "").count("nadia@cemr.example.org") == 1


def test_a_reset_link_stops_when_the_account_is_deactivated(app, client, smtp, make_user):
    user = make_user("contributor")
    forgot(client, user.email)
    path = link_in(mail_to(app, smtp, user.email)[0])
    user.active = False
    db.session.commit()
    assert client.post(path, data={"new_password": CHOSEN, "confirm": CHOSEN}).status_code == 404
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_forgot_password_asks_the_database_nothing_either_way(app, client, make_user):
    """The request's work is the same for any address: it does not look the address up (the worker
    does), so neither its answer nor its delay can depend on whether an account exists."""
    from sqlalchemy import event

    email = make_user("contributor").email
    statements = []
    listener = lambda *args, **kwargs: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        forgot(client, email)
        known = list(statements)
        statements.clear()
        forgot(client, "nobody@cemr.example.org")
        unknown = list(statements)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert known == unknown == []

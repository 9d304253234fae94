"""Accounts: logging in and out, one's own password, the secretariat's account pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from drafting.extensions import db
from drafting.models import User
from tests.conftest import PASSWORD, login, opened_values, organisation

NEW_PASSWORD = "a brand new passphrase"


def logged_in(client) -> bool:
    return client.get("/milestones").status_code == 200


# Logging in and out ---------------------------------------------------------------------------

def test_login_and_logout(client, make_user):
    user = make_user("secretariat")
    assert not logged_in(client)
    response = login(client, user)
    assert response.headers["Location"] == "/"
    assert logged_in(client)
    assert "What needs you" in client.get("/").get_data(as_text=True)  # every role starts at its own list
    db.session.refresh(user)
    assert user.last_login_at is not None and user.last_login_at.date().isoformat() == "2018-02-10"

    response = client.post("/logout", follow_redirects=True)
    assert "You are logged out." in response.get_data(as_text=True)
    assert not logged_in(client)


def test_login_ignores_case_and_spaces_in_the_email(client, make_user):
    user = make_user("contributor", email="ana@cemr.example.org")
    response = client.post("/login", data={"email": "  Ana@CEMR.example.org ", "password": PASSWORD})
    assert response.status_code == 303
    assert logged_in(client)
    assert user.active


@pytest.mark.parametrize("email, password", [("known", "wrong password"), ("nobody@example.org", PASSWORD)])
def test_wrong_credentials_get_one_message(client, make_user, email, password):
    user = make_user("contributor")
    response = client.post("/login", data={"email": user.email if email == "known" else email,
                                           "password": password})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Wrong email or password, or the account is deactivated." in html
    assert 'id="password-error"' in html  # the message sits beside the field
    assert "value=\"wrong password\"" not in html  # a password is never echoed back
    assert not logged_in(client)


def test_deactivated_user_cannot_log_in(client, make_user):
    user = make_user("contributor", active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_deactivated_user_is_logged_out_at_the_next_request(app, client, make_user):
    user = make_user("contributor")
    login(client, user)
    assert logged_in(client)
    user.active = False
    db.session.commit()
    response = client.get("/milestones")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# One's own account ---------------------------------------------------------------------------

def change_password(client, current, new, confirm=None):
    return client.post("/account", data={
        "pw-current_password": current,
        "pw-new_password": new,
        "pw-confirm": new if confirm is None else confirm,
        "pw-submit": "Change password",
    }, follow_redirects=True)


def test_password_change_needs_the_current_password(client, login_as):
    user = login_as("reviewer")
    html = change_password(client, "not my password", NEW_PASSWORD).get_data(as_text=True)
    assert "This is not your current password." in html
    assert 'id="pw-current_password-error"' in html
    db.session.refresh(user)
    assert user.check_password(PASSWORD)


def test_password_change_needs_twelve_characters(client, login_as):
    user = login_as("reviewer")
    html = change_password(client, PASSWORD, "elevenchars").get_data(as_text=True)
    assert "The password must have at least 12 characters." in html
    assert 'id="pw-new_password-error"' in html
    db.session.refresh(user)
    assert user.check_password(PASSWORD)
    html = change_password(client, PASSWORD, NEW_PASSWORD, confirm=NEW_PASSWORD + "x").get_data(as_text=True)
    assert "The two passwords differ." in html


def test_password_change_keeps_this_session_and_ends_the_others(app, client, make_user):
    user = make_user("contributor")
    other_device = app.test_client()
    login(other_device, user)
    login(client, user)
    response = change_password(client, PASSWORD, NEW_PASSWORD)
    assert "Your password has been changed." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert user.password_hash.startswith("scrypt:")
    assert logged_in(client)
    assert not logged_in(other_device)
    client.post("/logout")
    login(client, user, NEW_PASSWORD)


def test_user_chooses_the_interface_language(client, login_as):
    user = login_as("contributor")
    response = client.post("/account", data={"lang-locale": "es", "lang-submit_language": "Save language"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.locale == "es"


# The secretariat's account pages -------------------------------------------------------------

def new_user_data(**overrides):
    data = {
        "name": "Marta Pérez",
        "email": "Marta.Perez@Metropolis.example.org",
        "organisation_id": organisation("Metropolis").id,
        "role": "reviewer",
        "locale": "es",
        "password": "twelve chars ok",
        "submit": "Save",
    }
    data.update(overrides)
    return data


def test_secretariat_creates_an_account(client, login_as):
    login_as("secretariat")
    response = client.post("/users/new", data=new_user_data(), follow_redirects=True)
    assert "Account created for Marta Pérez." in response.get_data(as_text=True)
    user = db.session.scalar(select(User).where(User.name == "Marta Pérez"))
    assert user.email == "marta.perez@metropolis.example.org"
    assert (user.organisation.short_name, user.role, user.locale, user.active) == ("Metropolis", "reviewer", "es", True)
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("twelve chars ok")
    client.post("/logout")
    assert client.post("/login", data={"email": "MARTA.perez@metropolis.example.org",
                                       "password": "twelve chars ok"}).status_code == 303


def test_email_is_unique_whatever_its_case_in_the_form(client, login_as, make_user):
    make_user("contributor", email="taken@cemr.example.org")
    login_as("secretariat")
    response = client.post("/users/new", data=new_user_data(email="TAKEN@cemr.example.org"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "An account with this email already exists." in html
    assert 'id="email-error"' in html
    assert 'value="Marta Pérez"' in html  # the typed values are kept
    assert db.session.scalar(select(User).where(User.name == "Marta Pérez")) is None


def test_new_account_form_checks_each_field(client, login_as):
    login_as("secretariat")
    html = client.post("/users/new", data=new_user_data(email="not an email", password="short")).get_data(
        as_text=True)
    assert "Enter a valid email address." in html and 'id="email-error"' in html
    assert "The password must have at least 12 characters." in html and 'id="password-error"' in html
    assert 'value="not an email"' in html
    assert 'value="short"' not in html


def test_email_is_unique_whatever_its_case_in_the_database(app, make_user):
    user = make_user("contributor", email="dup@cemr.example.org")
    db.session.add(User(name="Twin", email="dup@cemr.example.org", password_hash="x", role="contributor",
                        organisation_id=user.organisation_id, locale="en"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # A mixed-case spelling is refused by the database too: emails are stored in lower case.
    db.session.add(User(name="Twin", email="Dup@CEMR.example.org", password_hash="x", role="contributor",
                        organisation_id=user.organisation_id, locale="en"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_secretariat_edits_an_account(client, login_as, make_user):
    login_as("secretariat")
    user = make_user("contributor", org="CEMR")
    response = client.post(f"/users/{user.id}/edit", data={
        "name": "Renamed Person", "email": "Renamed@CEMR.example.org",
        "organisation_id": organisation("CEMR").id, "role": "reviewer", "locale": "fr", "submit": "Save",
        "opened_values": opened_values(client, f"/users/{user.id}/edit"),
    }, follow_redirects=True)
    assert "Account saved." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert (user.name, user.email, user.role, user.locale) == (
        "Renamed Person", "renamed@cemr.example.org", "reviewer", "fr")


def test_editing_cannot_take_another_accounts_email(client, login_as, make_user):
    login_as("secretariat")
    make_user("contributor", email="first@cemr.example.org")
    second = make_user("contributor", email="second@cemr.example.org")
    response = client.post(f"/users/{second.id}/edit", data={
        "name": second.name, "email": "FIRST@cemr.example.org",
        "organisation_id": second.organisation_id, "role": "contributor", "locale": "en", "submit": "Save",
    })
    assert "An account with this email already exists." in response.get_data(as_text=True)
    db.session.refresh(second)
    assert second.email == "second@cemr.example.org"
    # Keeping one's own email is not a clash.
    response = client.post(f"/users/{second.id}/edit", data={
        "name": "Second", "email": "Second@cemr.example.org",
        "organisation_id": second.organisation_id, "role": "contributor", "locale": "en", "submit": "Save",
        "opened_values": opened_values(client, f"/users/{second.id}/edit"),
    })
    assert response.status_code == 302


def test_secretariat_deactivates_and_reactivates_an_account(app, client, login_as, make_user):
    user = make_user("contributor")
    their_client = app.test_client()
    login(their_client, user)
    login_as("secretariat")

    response = client.post(f"/users/{user.id}/active", data={"active": "0"}, follow_redirects=True)
    assert f"{user.name} is deactivated and logged out." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.active is False
    assert not logged_in(their_client)
    assert "Reactivate" in client.get("/users").get_data(as_text=True)

    response = client.post(f"/users/{user.id}/active", data={"active": "1"}, follow_redirects=True)
    assert f"{user.name} can log in again." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.active is True
    login(their_client, user)


def test_secretariat_cannot_deactivate_itself(client, login_as):
    me = login_as("secretariat")
    response = client.post(f"/users/{me.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.active is True


def test_secretariat_resets_a_password_and_ends_their_sessions(app, client, login_as, make_user):
    user = make_user("reviewer")
    their_client = app.test_client()
    login(their_client, user)
    login_as("secretariat")
    response = client.post(f"/users/{user.id}/password", data={"reset-new_password": "short"})
    assert response.status_code == 400
    assert "The password must have at least 12 characters." in response.get_data(as_text=True)
    assert logged_in(their_client)

    response = client.post(f"/users/{user.id}/password", data={"reset-new_password": NEW_PASSWORD},
                           follow_redirects=True)
    assert "New password set for" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.check_password(NEW_PASSWORD)
    assert not logged_in(their_client)


def test_unknown_account_is_404(client, login_as):
    login_as("secretariat")
    assert client.get("/users/999999/edit").status_code == 404
    assert client.post("/users/999999/active", data={"active": "0"}).status_code == 404


def test_passwords_are_hashed_with_scrypt(app, make_user):
    user = make_user("contributor")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash
    # Outside the test suite's cheaper setting, werkzeug's default scrypt cost is used.
    del app.config["PASSWORD_HASH_METHOD"]
    user.set_password(NEW_PASSWORD)
    assert user.password_hash.startswith("scrypt:32768:8:1$")

"""The last active secretariat account cannot be demoted or deactivated: somebody must be able to
manage the accounts."""

from __future__ import annotations

import pytest

from drafting.accounts import operations
from drafting.extensions import db
from drafting.models import User
from tests.conftest import opened_values


def _user_form(client, user: User, **changes) -> dict:
    data = {"name": user.name, "email": user.email, "organisation_id": str(user.organisation_id),
            "role": user.role, "locale": user.locale, "submit": "1",
            "opened_values": opened_values(client, f"/users/{user.id}/edit")}
    data.update(changes)
    return data


def test_the_last_secretariat_cannot_demote_itself_and_is_told_beside_the_role(client, login_as):
    me = login_as("secretariat")
    response = client.post(f"/users/{me.id}/edit", data=_user_form(client, me, role="contributor"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is the last active secretariat account" in page
    assert page.index("This is the last active secretariat account") > page.index('name="role"')
    db.session.expire_all()
    assert db.session.get(User, me.id).role == "secretariat"


def test_with_a_second_secretariat_the_demotion_is_allowed(client, login_as, make_user):
    me = login_as("secretariat")
    make_user("secretariat")
    response = client.post(f"/users/{me.id}/edit", data=_user_form(client, me, role="reviewer"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, me.id).role == "reviewer"


def test_the_last_active_secretariat_cannot_be_deactivated(app, make_user):
    only = make_user("secretariat")
    deactivated = make_user("secretariat", active=False)
    with pytest.raises(operations.AccountError, match="last active secretariat"):
        operations.set_active(only, False)
    assert db.session.get(User, only.id).active
    assert not operations.is_last_active_secretariat(deactivated)
    colleague = make_user("secretariat")
    operations.set_active(only, False)
    assert not only.active and operations.is_last_active_secretariat(colleague)

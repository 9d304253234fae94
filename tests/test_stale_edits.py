"""Two people editing the same milestone or account: the later save never silently overwrites the
earlier one. (Positions have their own revisions and conflict page: tests/positions/test_editing.py.)"""

from __future__ import annotations

import re

from drafting.extensions import db
from drafting.models import Milestone, User
from tests.conftest import milestone, milestone_form, opened_values


def test_a_milestone_saved_meanwhile_is_not_overwritten(client, login_as):
    login_as("secretariat")
    round2 = milestone("Round 2")
    url = f"/milestones/{round2.id}/edit"
    opened = opened_values(client, url)

    round2.place = "Geneva"  # a colleague saves first
    db.session.commit()

    response = client.post(url, data=milestone_form(round2, place="New York, UN HQ", opened_values=opened))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change while you were editing." in page
    assert "<dd>Geneva</dd>" in page and 'value="New York, UN HQ"' in page
    db.session.expire_all()
    assert db.session.get(Milestone, round2.id).place == "Geneva"

    # Saving again from the conflict page is a deliberate choice, and goes through.
    again = re.search(r'name="opened_values" type="hidden" value="([0-9a-f]+)"', page).group(1)
    client.post(url, data=milestone_form(round2, place="New York, UN HQ", opened_values=again))
    db.session.expire_all()
    assert db.session.get(Milestone, round2.id).place == "New York, UN HQ"


def test_an_unchanged_milestone_saves_at_once(client, login_as):
    login_as("secretariat")
    round3 = milestone("Round 3")
    url = f"/milestones/{round3.id}/edit"
    opened = opened_values(client, url)
    response = client.post(url, data=milestone_form(round3, approvals_required="2", opened_values=opened))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Milestone, round3.id).approvals_required == 2


def test_an_account_changed_meanwhile_is_not_overwritten(client, login_as, make_user):
    login_as("secretariat")
    person = make_user("contributor", "CEMR", name="Ana Lopez")
    url = f"/users/{person.id}/edit"
    opened = opened_values(client, url)
    person.role = "reviewer"  # another secretariat member made her a reviewer
    db.session.commit()
    response = client.post(url, data={"name": "Ana López", "email": person.email,
                                      "organisation_id": str(person.organisation_id), "role": "contributor",
                                      "locale": "en", "submit": "Save", "opened_values": opened})
    assert response.status_code == 409
    assert "<dd>Reviewer</dd>" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (db.session.get(User, person.id).role, db.session.get(User, person.id).name) == ("reviewer", "Ana Lopez")


def test_logging_in_is_not_an_edit_of_the_account(client, login_as, make_user):
    """Only the values the form edits count: a login (last_login_at) does not make a conflict."""
    login_as("secretariat")
    person = make_user("contributor", "CEMR", name="Ana Lopez")
    url = f"/users/{person.id}/edit"
    opened = opened_values(client, url)
    from drafting.accounts.operations import record_login

    record_login(person)
    response = client.post(url, data={"name": "Ana López", "email": person.email,
                                      "organisation_id": str(person.organisation_id), "role": "contributor",
                                      "locale": "en", "submit": "Save", "opened_values": opened})
    assert response.status_code == 302

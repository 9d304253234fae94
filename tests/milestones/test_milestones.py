"""The calendar: default deadlines, and the secretariat's edit form."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import Milestone
from tests.conftest import milestone, milestone_form, opened_values


def test_negotiation_rounds_get_default_deadlines(app):
    round_1 = milestone("Round 1")
    assert (round_1.kind, round_1.start_date) == ("negotiation round", date(2018, 2, 20))
    assert round_1.submission_deadline == date(2018, 2, 6)  # 14 days before the start
    assert round_1.review_deadline == date(2018, 2, 13)  # 7 days before the start
    assert round_1.takes_positions


def test_events_take_no_positions(app):
    event = milestone("72nd Session")
    assert event.kind == "event"
    assert event.submission_deadline is None and event.review_deadline is None
    assert event.default_deadlines() == (None, None)


@pytest.mark.parametrize("kind", ["zero draft", "negotiation round", "adoption"])
def test_every_kind_that_takes_positions_has_both_deadlines(app, kind):
    rows = db.session.scalars(db.select(Milestone).where(Milestone.kind == kind)).all()
    assert rows
    for row in rows:
        assert (row.start_date - row.submission_deadline).days == 14
        assert (row.start_date - row.review_deadline).days == 7


def test_milestones_page_lists_the_calendar_with_open_and_closed_windows(client, login_as):
    login_as("contributor")
    html = client.get("/milestones").get_data(as_text=True)
    assert "Intergovernmental negotiations – Round 1" in html
    # On 10 February 2018 the first round's window (closing 6 February) is closed, the second's open.
    assert "closed" in html and "open" in html
    assert "takes no positions" in html


def test_secretariat_edits_a_milestone(client, login_as):
    login_as("secretariat")
    round_2 = milestone("Round 2")
    url = f"/milestones/{round_2.id}/edit"
    response = client.post(url, follow_redirects=True, data=milestone_form(
        round_2, submission_deadline="2018-03-01", review_deadline="2018-03-08", approvals_required="2",
        opened_values=opened_values(client, url)))
    assert "Milestone saved." in response.get_data(as_text=True)
    db.session.refresh(round_2)
    assert (round_2.submission_deadline, round_2.review_deadline, round_2.approvals_required) == (
        date(2018, 3, 1), date(2018, 3, 8), 2)


def test_edit_form_shows_the_default_deadlines(client, login_as):
    login_as("secretariat")
    html = client.get(f"/milestones/{milestone('Round 1').id}/edit").get_data(as_text=True)
    assert "(14 days before the start)" in html and "(7 days before the start)" in html
    assert 'value="2018-02-06"' in html


@pytest.mark.parametrize("changes, field, message", [
    ({"end_date": "2018-01-01"}, "end_date", "The end date cannot come before the start date."),
    ({"review_deadline": "2018-01-01"}, "review_deadline",
     "The review deadline cannot come before the submission deadline."),
    ({"submission_deadline": "", "review_deadline": "2018-02-13"}, "review_deadline",
     "Set a submission deadline first."),
    ({"approvals_required": "0"}, "approvals_required", "Between 1 and 10."),
    ({"start_date": "the 20th"}, "start_date", "Enter a date."),
    ({"name": ""}, "name", "This field is required."),
])
def test_edit_form_keeps_typed_values_and_shows_errors_beside_the_field(client, login_as, changes, field, message):
    login_as("secretariat")
    round_1 = milestone("Round 1")
    typed = milestone_form(round_1, place="Typed place, kept", **changes)
    response = client.post(f"/milestones/{round_1.id}/edit", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = html.split(f'id="{field}-error"', 1)
    assert len(error) == 2, f"no error beside {field}"
    assert message in error[1].split("</p>", 1)[0]
    assert f'aria-describedby="{field}-error"' in html or f'{field}-error"' in html
    assert 'value="Typed place, kept"' in html
    for name in ("end_date", "review_deadline", "start_date"):
        if changes.get(name):
            assert f'value="{changes[name]}"' in html
    db.session.expire_all()
    assert milestone("Round 1").place == "New York"


def test_two_milestones_cannot_share_a_name(client, login_as):
    login_as("secretariat")
    round_1 = milestone("Round 1")
    response = client.post(f"/milestones/{round_1.id}/edit", data=milestone_form(
        round_1, name="Intergovernmental negotiations – Round 2"))
    assert "Another milestone has this name." in response.get_data(as_text=True)


def test_secretariat_adds_a_milestone_in_three_languages(client, login_as):
    login_as("secretariat")
    assert 'href="/milestones/new"' in client.get("/milestones").get_data(as_text=True)
    form = client.get("/milestones/new").get_data(as_text=True)
    assert "New milestone" in form and 'name="kind"' in form and 'name="name_fr"' in form
    response = client.post("/milestones/new", data={
        "name": "Regional consultation - Beirut", "name_fr": "Consultation régionale - Beyrouth",
        "name_es": "Consulta regional - Beirut", "kind": "negotiation round", "start_date": "2018-04-10",
        "end_date": "2018-04-12", "place": "Beirut", "note": "Bring the position.", "note_fr": "Apportez-la.",
        "note_es": "Tráigala.", "submission_deadline": "2018-03-20", "review_deadline": "2018-03-27",
        "approvals_required": "2"})
    assert response.status_code == 303
    added = db.session.scalar(select(Milestone).where(Milestone.name == "Regional consultation - Beirut"))
    assert response.headers["Location"] == f"/milestones/{added.id}"
    assert (added.kind, added.name_fr, added.name_es, added.note_es) == (
        "negotiation round", "Consultation régionale - Beyrouth", "Consulta regional - Beirut", "Tráigala.")
    assert (added.start_date, added.end_date, added.submission_deadline, added.review_deadline,
            added.approvals_required) == (date(2018, 4, 10), date(2018, 4, 12), date(2018, 3, 20), date(2018, 3, 27), 2)
    assert added.edited_at is not None  # seed-reference leaves it alone
    assert "Regional consultation - Beirut" in client.get("/milestones").get_data(as_text=True)


def test_a_new_milestone_is_checked_as_an_edit_is(client, login_as):
    login_as("secretariat")
    before = db.session.scalar(select(func.count()).select_from(Milestone))
    response = client.post("/milestones/new", data={
        "name": milestone("Round 2").name, "kind": "event", "start_date": "2018-04-10", "end_date": "2018-04-01",
        "submission_deadline": "", "review_deadline": "2018-03-27", "approvals_required": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The end date cannot come before the start date." in html
    assert "Set a submission deadline first." in html
    assert db.session.scalar(select(func.count()).select_from(Milestone)) == before


def test_only_the_secretariat_sees_add_milestone(client, login_as):
    login_as("reviewer")
    assert 'href="/milestones/new"' not in client.get("/milestones").get_data(as_text=True)
    assert client.get("/milestones/new").status_code == 403


def test_reference_milestones_have_symbol_codes_and_en_dashes(app):
    from drafting.documents.naming import default_symbol

    round_1, zero = milestone("Round 1"), milestone("Zero draft")
    assert round_1.name == "Intergovernmental negotiations \u2013 Round 1"
    assert (round_1.symbol_code, zero.symbol_code, milestone("Adoption").symbol_code) == ("R1", "ZD", "ADOPT")
    assert default_symbol(round_1) == "UCLG/GCM/2018/R1/1"


def test_the_secretariat_sets_a_milestones_symbol_code_and_editions_take_it(client, login_as):
    login_as("secretariat")
    round_2 = milestone("Round 2")
    url = f"/milestones/{round_2.id}/edit"
    refused = client.post(url, data=milestone_form(round_2, symbol_code="R 2/x",
                                                   opened_values=opened_values(client, url)))
    assert "Letters, digits, points and hyphens only." in refused.get_data(as_text=True)
    response = client.post(url, follow_redirects=True, data=milestone_form(
        round_2, symbol_code="INF.2", opened_values=opened_values(client, url)))
    assert "Milestone saved." in response.get_data(as_text=True)
    page = client.get(f"/milestones/{round_2.id}/compile").get_data(as_text=True)
    assert 'value="UCLG/GCM/2018/INF.2/1"' in page

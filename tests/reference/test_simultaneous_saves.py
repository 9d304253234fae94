"""Two saves of one reference row at the same moment, really interleaved: two browsers post at once and
both requests read the row before either writes it. The UPDATE itself names the version it read, so one
save goes in and the other is answered 409 with its values; two rows renamed to one name at once get
the form's message beside the field, never a server error."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import event

from drafting.extensions import db
from drafting.models import CompactSection, Milestone, Organisation
from tests.conftest import login, milestone, milestone_form, opened_values
from tests.reference.test_organisation_editing import edit_url, organisation, organisation_form
from tests.reference.test_reference_editing import section, section_form


def _at_once(app, model, posts):
    """Run each (client, url, data) post in its own thread; every request waits, just before its UPDATE
    of `model`, until all of them have read the row and got there."""
    gate = threading.Barrier(len(posts), timeout=20)

    def wait_for_the_others(_mapper, _connection, _target):
        gate.wait()

    def post(client, url, data):
        return client.post(url, data=data)

    event.listen(model, "before_update", wait_for_the_others)
    try:
        with ThreadPoolExecutor(len(posts)) as pool:
            return [future.result() for future in [pool.submit(post, *p) for p in posts]]
    finally:
        event.remove(model, "before_update", wait_for_the_others)


@pytest.fixture
def two_browsers(app, make_user):
    secretariat = make_user("secretariat")
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        login(browser, secretariat)
    return browsers


def test_two_saves_of_one_milestone_from_one_opened_form_give_one_success_and_one_conflict(app, two_browsers):
    round2 = milestone("Round 2")
    url = f"/milestones/{round2.id}/edit"
    opened = opened_values(two_browsers[0], url)
    places = ["Geneva", "Nairobi"]
    responses = _at_once(app, Milestone, [
        (browser, url, milestone_form(round2, place=place, opened_values=opened))
        for browser, place in zip(two_browsers, places, strict=True)])

    assert sorted(r.status_code for r in responses) == [302, 409]
    winner = places[[r.status_code for r in responses].index(302)]
    loser = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert "Someone else saved a change while you were editing." in loser
    assert f"<dd>{winner}</dd>" in loser  # the other's values, beside the loser's own typed ones
    db.session.expire_all()
    assert db.session.get(Milestone, round2.id).place == winner


def test_two_saves_of_one_section_from_one_opened_form_give_one_success_and_one_conflict(app, two_browsers):
    url = f"/sections/{section(4).id}/edit"
    opened = opened_values(two_browsers[0], url)
    responses = _at_once(app, CompactSection, [
        (browser, url, section_form(section(4), opened, note=note))
        for browser, note in zip(two_browsers, ["First.", "Second."], strict=True)])
    assert sorted(r.status_code for r in responses) == [302, 409]


def test_two_organisations_renamed_to_one_short_name_at_once_get_the_clash_message(app, two_browsers):
    posts = []
    for browser, name in zip(two_browsers, ["CEMR", "Metropolis"], strict=True):
        url = edit_url(name)
        posts.append((browser, url, organisation_form(organisation(name), opened_values(browser, url),
                                                      short_name="Cities United")))
    responses = _at_once(app, Organisation, posts)

    assert sorted(r.status_code for r in responses) == [200, 302]
    refused = next(r for r in responses if r.status_code == 200).get_data(as_text=True)
    assert 'id="short_name-error">Another organisation has this short name.' in refused
    assert 'value="Cities United"' in refused  # what was typed stays in the field
    db.session.expire_all()
    assert organisation("Cities United") is not None
    assert [organisation(name) is None for name in ("CEMR", "Metropolis")].count(True) == 1

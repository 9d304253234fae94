"""The secretariat edits objectives, workstreams and sections of the compact in three languages: messages
beside the fields with the typed values kept, a colleague's newer save never silently overwritten, and
seed-reference never undoing an edit (an emptied translation or a renamed workstream included)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import CompactSection, Theme
from tests.conftest import milestone, opened_values


def objective(number: int) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.number == number))


def workstream(name: str) -> Theme:
    return db.session.scalar(select(Theme).where(Theme.kind == "workstream", Theme.short_label == name))


def section(order: int) -> CompactSection:
    return db.session.scalar(select(CompactSection).where(CompactSection.order == order))


def theme_form(theme: Theme, opened: str, **changes) -> dict:
    values = {name: getattr(theme, name) for name in
              ("short_label", "short_label_fr", "short_label_es", "title", "title_fr", "title_es")}
    values.update(changes, opened_values=opened, submit="Save")
    return values


def section_form(s: CompactSection, opened: str, **changes) -> dict:
    values = {name: getattr(s, name) for name in
              ("name", "name_fr", "name_es", "paragraphs", "note", "note_fr", "note_es")}
    values.update(changes, opened_values=opened, submit="Save")
    return values


def test_the_secretariat_finds_the_edit_links_on_the_objectives_page(client, login_as):
    login_as("secretariat")
    html = client.get("/themes").get_data(as_text=True)
    assert f'href="/themes/{objective(15).id}/edit"' in html
    assert f'href="/themes/{workstream("Advocacy").id}/edit"' in html
    assert f'href="/sections/{section(4).id}/edit"' in html
    login_as("contributor")
    assert "/edit" not in client.get("/themes").get_data(as_text=True)


def test_an_objective_is_renamed_in_three_languages_and_readers_see_their_own(client, login_as):
    login_as("secretariat")
    url = f"/themes/{objective(15).id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'lang="fr"' in page and "Short name in Spanish" in page
    response = client.post(url, data=theme_form(objective(15), opened_values(client, url),
                                                 short_label="Basic services", short_label_fr="Services de base",
                                                 short_label_es="Servicios básicos"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/themes")
    assert "Saved: 15. Basic services." in client.get("/themes").get_data(as_text=True)
    login_as("contributor", locale="fr")
    assert "15. Services de base" in client.get("/themes").get_data(as_text=True)
    login_as("contributor", locale="es")
    assert "15. Servicios básicos" in client.get("/themes").get_data(as_text=True)


def test_a_refused_edit_shows_messages_beside_the_fields_and_keeps_the_values(client, login_as):
    login_as("secretariat")
    url = f"/themes/{objective(15).id}/edit"
    response = client.post(url, data=theme_form(objective(15), opened_values(client, url), short_label="",
                                                 title_fr="Un titre gardé", short_label_es="x" * 101))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="short_label-error">[^<]*required', page)
    assert 'id="short_label_es-error"' in page and 'aria-invalid="true"' in page
    assert "Un titre gardé</textarea>" in page
    assert "Some fields need attention" in page
    db.session.expire_all()
    assert objective(15).short_label == "Access to basic services"


@pytest.mark.parametrize("kind, other, message", [
    ("objective", "Save lives", "Another objective has this short name."),
    ("workstream", "Learning", "Another workstream has this name."),
])
def test_two_objectives_or_workstreams_cannot_share_a_name(client, login_as, kind, other, message):
    login_as("secretariat")
    theme = objective(15) if kind == "objective" else workstream("Advocacy")
    url = f"/themes/{theme.id}/edit"
    response = client.post(url, data=theme_form(theme, opened_values(client, url), short_label=other))
    page = response.get_data(as_text=True)
    assert message in page and f'value="{other}"' in page


def test_a_workstream_is_edited_with_its_own_words(client, login_as):
    login_as("secretariat")
    page = client.get(f"/themes/{workstream('Advocacy').id}/edit").get_data(as_text=True)
    assert "Summary in French" in page and "Edit workstream" in page and "Short name" not in page


def test_a_section_is_edited(client, login_as):
    login_as("secretariat")
    url = f"/sections/{section(4).id}/edit"
    response = client.post(url, data=section_form(section(4), opened_values(client, url),
                                                   note_es="", name_fr="Objectifs et engagements (révisé)"))
    assert response.status_code == 302
    db.session.expire_all()
    assert section(4).name_fr == "Objectifs et engagements (révisé)" and section(4).note_es == ""
    response = client.post(url, data=section_form(section(4), opened_values(client, url), name="Preamble"))
    assert "Another section has this name." in response.get_data(as_text=True)


def test_a_section_saved_meanwhile_is_not_overwritten(client, login_as):
    login_as("secretariat")
    url = f"/sections/{section(4).id}/edit"
    opened = opened_values(client, url)
    section(4).note = "Changed by a colleague."  # a colleague saves first
    db.session.commit()

    response = client.post(url, data=section_form(section(4), opened, note="Mine."))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change while you were editing." in page
    assert "<dd>Changed by a colleague.</dd>" in page and "Mine.</textarea>" in page
    db.session.expire_all()
    assert section(4).note == "Changed by a colleague."

    again = re.search(r'name="opened_values" type="hidden" value="([0-9a-f]+)"', page).group(1)
    assert client.post(url, data=section_form(section(4), again, note="Mine.")).status_code == 302
    db.session.expire_all()
    assert section(4).note == "Mine."


def test_an_objective_saved_meanwhile_is_not_overwritten(client, login_as):
    login_as("secretariat")
    url = f"/themes/{objective(3).id}/edit"
    opened = opened_values(client, url)
    objective(3).title_es = "Título de un colega"
    db.session.commit()
    response = client.post(url, data=theme_form(objective(3), opened, title_es="Mi título"))
    assert response.status_code == 409 and "<dd>Título de un colega</dd>" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_only_the_secretariat_edits_reference_data(client, login_as, role):
    login_as(role)
    theme_url = f"/themes/{objective(15).id}/edit"
    for url in (theme_url, f"/sections/{section(4).id}/edit", "/themes/987654/edit", "/sections/987654/edit"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"short_label": "Hijacked", "name": "Hijacked"}).status_code == 403
    db.session.expire_all()
    assert objective(15).short_label == "Access to basic services"


def test_seed_reference_never_undoes_an_edit_from_these_pages(client, login_as, runner):
    """An emptied translation stays empty, a renamed workstream is not added again, an edited milestone
    keeps its name; rows nobody edited still get what they miss."""
    login_as("secretariat")
    url = f"/themes/{objective(15).id}/edit"
    client.post(url, data=theme_form(objective(15), opened_values(client, url), title_es=""))
    url = f"/themes/{workstream('Advocacy').id}/edit"
    client.post(url, data=theme_form(workstream("Advocacy"), opened_values(client, url),
                                     short_label="Advocacy and outreach"))
    url = f"/sections/{section(2).id}/edit"
    client.post(url, data=section_form(section(2), opened_values(client, url), note_fr=""))
    round_1 = milestone("Round 1")
    round_1.name = "First round of negotiations"
    round_1.edited_at = datetime(2018, 2, 1)  # as the milestone page marks it
    round_1.name_fr = ""
    objective(16).title_fr = ""  # nobody's edit: a missing translation, filled again
    db.session.commit()
    workstreams = db.session.scalar(select(func.count()).select_from(Theme).where(Theme.kind == "workstream"))

    result = runner.invoke(args=["seed-reference"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert objective(15).title_es == ""
    assert workstream("Advocacy") is None and workstream("Advocacy and outreach") is not None
    assert db.session.scalar(select(func.count()).select_from(Theme).where(Theme.kind == "workstream")) == workstreams
    assert section(2).note_fr == ""
    assert milestone("First round").name_fr == "" and milestone("Round 1") is None
    assert objective(16).title_fr.startswith("Donner aux migrants")


def test_the_milestone_page_marks_its_edits_too(client, login_as, runner):
    from tests.conftest import milestone_form

    login_as("secretariat")
    round_2 = milestone("Round 2")
    url = f"/milestones/{round_2.id}/edit"
    client.post(url, data=milestone_form(round_2, name="Second round", name_fr="",
                                         opened_values=opened_values(client, url)))
    runner.invoke(args=["seed-reference"])
    db.session.expire_all()
    assert milestone("Second round").name_fr == "" and milestone("Round 2") is None

"""The secretariat edits the organisations (short and full name, kind, region in three languages) as it
edits objectives: messages beside the fields with the typed values kept, a colleague's newer save never
silently overwritten, and seed-reference never undoing an edit nor adding a renamed organisation again.
Whether an organisation writes positions is shown, never changed here."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import Organisation
from tests.conftest import opened_values

FIELDS = ("short_name", "full_name", "full_name_fr", "full_name_es", "kind", "region", "region_fr", "region_es")


def organisation(short_name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.short_name == short_name))


def edit_url(short_name: str) -> str:
    return f"/organisations/{organisation(short_name).id}/edit"


def organisation_form(o: Organisation, opened: str, **changes) -> dict:
    values = {name: getattr(o, name) for name in FIELDS}
    values.update(changes, opened_values=opened, submit="Save")
    return values


def count_organisations() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_the_secretariat_finds_an_edit_link_for_each_organisation(client, login_as):
    login_as("secretariat")
    html = client.get("/organisations").get_data(as_text=True)
    assert html.count('/edit">Edit<') == count_organisations()
    assert f'href="{edit_url("CEMR")}"' in html
    login_as("contributor")
    assert "/edit" not in client.get("/organisations").get_data(as_text=True)


def test_an_organisation_is_edited_in_three_languages_and_readers_see_their_own(client, login_as):
    login_as("secretariat")
    url = edit_url("CUF")
    page = client.get(url).get_data(as_text=True)
    assert 'lang="es"' in page and "Region in Spanish" in page
    assert '<option selected value="member association">Member association</option>' in page
    response = client.post(url, data=organisation_form(
        organisation("CUF"), opened_values(client, url), short_name="CUF-FR", full_name="Cités Unies France (CUF)",
        kind="partner", region="Western Europe", region_fr="Europe de l'Ouest", region_es="Europa Occidental"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/organisations")
    page = client.get("/organisations").get_data(as_text=True)
    assert "Saved: CUF-FR." in page and "Cités Unies France (CUF)" in page and "Western Europe" in page
    login_as("contributor", locale="fr")
    assert "Europe de l&#39;Ouest" in client.get("/organisations").get_data(as_text=True)
    login_as("contributor", locale="es")
    assert "Europa Occidental" in client.get("/organisations").get_data(as_text=True)


def test_the_kinds_are_offered_in_the_readers_language(client, login_as):
    login_as("secretariat", locale="fr")
    page = client.get(edit_url("CEMR")).get_data(as_text=True)
    assert re.search(r'<option selected value="regional section">Section régionale</option>', page)


def test_writing_positions_is_shown_and_never_changed_here(client, login_as):
    login_as("secretariat")
    url = edit_url("CEMR")
    page = client.get(url).get_data(as_text=True)
    assert "<dt>Writes positions</dt><dd>yes</dd>" in page
    assert "the network's accounts and positions depend on it" in page
    assert 'name="contributes_positions"' not in page
    client.post(url, data=organisation_form(organisation("CEMR"), opened_values(client, url),
                                            contributes_positions=""))
    db.session.expire_all()
    assert organisation("CEMR").contributes_positions is True and organisation("CEMR").edited_at is not None


def test_a_refused_edit_shows_messages_beside_the_fields_and_keeps_the_values(client, login_as):
    login_as("secretariat")
    url = edit_url("CEMR")
    response = client.post(url, data=organisation_form(
        organisation("CEMR"), opened_values(client, url), short_name="", full_name="Un nom gardé",
        region_es="x" * 101, kind="empire"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="short_name-error">[^<]*required', page)
    assert 'id="region_es-error"' in page and 'id="kind-error"' in page and 'aria-invalid="true"' in page
    assert 'value="Un nom gardé"' in page
    assert "Some fields need attention" in page
    db.session.expire_all()
    assert organisation("CEMR").full_name == "Council of European Municipalities and Regions"


def test_two_organisations_cannot_share_a_short_name(client, login_as):
    login_as("secretariat")
    url = edit_url("CEMR")
    response = client.post(url, data=organisation_form(organisation("CEMR"), opened_values(client, url),
                                                        short_name="Metropolis", region="Kept"))
    page = response.get_data(as_text=True)
    message = "Another organisation has this short name."
    assert re.search(r'id="short_name-error">' + message, page)
    assert 'value="Metropolis"' in page and 'value="Kept"' in page
    db.session.expire_all()
    assert organisation("CEMR").region == "Europe"


def test_an_organisation_saved_meanwhile_is_not_overwritten(client, login_as):
    login_as("secretariat")
    url = edit_url("BTVL")
    opened = opened_values(client, url)
    organisation("BTVL").region_fr = "Liban"  # a colleague saves first
    db.session.commit()

    response = client.post(url, data=organisation_form(organisation("BTVL"), opened, region_fr="Proche-Orient"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change while you were editing." in page
    assert "<dd>Liban</dd>" in page and "<dd>Member association</dd>" in page
    assert 'value="Proche-Orient"' in page
    db.session.expire_all()
    assert organisation("BTVL").region_fr == "Liban"

    again = re.search(r'name="opened_values" type="hidden" value="([0-9a-f]+)"', page).group(1)
    response = client.post(url, data=organisation_form(organisation("BTVL"), again, region_fr="Proche-Orient"))
    assert response.status_code == 302
    db.session.expire_all()
    assert organisation("BTVL").region_fr == "Proche-Orient"


@pytest.mark.parametrize("role", ["contributor", "reviewer"])
def test_only_the_secretariat_edits_organisations(client, login_as, role):
    login_as(role)
    for url in (edit_url("CEMR"), "/organisations/987654/edit"):
        assert client.get(url).status_code == 403
        assert client.post(url, data={"short_name": "Hijacked"}).status_code == 403
    db.session.expire_all()
    assert organisation("Hijacked") is None


def test_seed_reference_never_undoes_an_organisation_edit(client, login_as, runner):
    """A renamed organisation is not added again, an emptied translation stays empty; organisations nobody
    edited still get what they miss."""
    login_as("secretariat")
    url = edit_url("CEMR")
    client.post(url, data=organisation_form(organisation("CEMR"), opened_values(client, url),
                                            short_name="CEMR-CCRE", region_fr=""))
    organisation("Metropolis").region_es = ""  # nobody's edit: a missing translation, filled again
    db.session.commit()
    before = count_organisations()

    result = runner.invoke(args=["seed-reference"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert organisation("CEMR") is None and count_organisations() == before
    assert organisation("CEMR-CCRE").region_fr == "" and organisation("CEMR-CCRE").loaded_as == "CEMR"
    assert organisation("Metropolis").region_es == "Mundo"


@pytest.mark.parametrize(("locale", "cemr", "iom"), [
    ("en", "Council of European Municipalities and Regions", "International Organization for Migration"),
    ("fr", "Conseil des Communes et Régions d&#39;Europe", "Organisation internationale pour les migrations"),
    ("es", "Consejo de Municipios y Regiones de Europa", "Organización Internacional para las Migraciones"),
])
def test_organisations_full_names_are_shown_in_the_readers_language(client, login_as, locale, cemr, iom):
    login_as("contributor", "CEMR", locale=locale)
    page = client.get("/organisations").get_data(as_text=True)
    assert cemr in page and iom in page
    assert cemr in client.get("/account").get_data(as_text=True)


def test_a_full_name_is_edited_in_french_and_spanish(client, login_as):
    login_as("secretariat")
    url = edit_url("UCLG Africa")
    assert "Full name in French" in client.get(url).get_data(as_text=True)
    response = client.post(url, data=organisation_form(
        organisation("UCLG Africa"), opened_values(client, url), full_name_fr="CGLU Afrique",
        full_name_es="CGLU África"))
    assert response.status_code == 302
    login_as("reviewer", locale="fr")
    assert "CGLU Afrique" in client.get("/organisations").get_data(as_text=True)
    login_as("reviewer", locale="es")
    assert "CGLU África" in client.get("/organisations").get_data(as_text=True)


def test_seed_reference_gives_loaded_organisations_their_french_and_spanish_names(runner):
    cemr = organisation("CEMR")
    cemr.full_name_fr = cemr.full_name_es = ""  # as loaded before these columns existed
    db.session.commit()
    assert runner.invoke(args=["seed-reference"]).exit_code == 0
    db.session.refresh(cemr)
    assert (cemr.full_name_fr, cemr.full_name_es) == ("Conseil des Communes et Régions d'Europe",
                                                       "Consejo de Municipios y Regiones de Europa")

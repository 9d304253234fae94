"""The interface speaks English, French or Spanish: each user's choice, else the browser's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafting import PACKAGE_DIR
from drafting.extensions import db
from tests.conftest import milestone


@pytest.fixture(autouse=True)
def _compiled_catalogues():
    for locale in ("fr", "es"):
        compiled = Path(PACKAGE_DIR) / "translations" / locale / "LC_MESSAGES" / "messages.mo"
        assert compiled.exists(), f"{compiled} is missing: run `make translations` (make test does) first"


@pytest.mark.parametrize("locale, lang, words", [
    ("fr", "fr", ["Étapes", "Objectifs", "Se déconnecter", "Atelier de rédaction du Pacte mondial",
                  "Date limite de soumission"]),
    ("es", "es", ["Hitos", "Objetivos", "Cerrar sesión", "Mesa de redacción del Pacto Mundial",
                  "Plazo de presentación"]),
    ("en", "en", ["Milestones", "Objectives", "Log out", "Global Compact drafting desk", "Submission deadline"]),
])
def test_user_sees_the_interface_in_their_language(client, login_as, locale, lang, words):
    login_as("contributor", locale=locale)
    html = client.get("/milestones").get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    for word in words:
        assert word in html, word


def test_secretariat_pages_and_flash_messages_are_translated(client, login_as):
    login_as("secretariat", locale="fr")
    html = client.get("/users").get_data(as_text=True)
    assert "Utilisateurs" in html and "Inviter une personne" in html and "Dernière connexion" in html
    round_2 = milestone("Round 2")
    html = client.post(f"/milestones/{round_2.id}/edit", data={
        "name": round_2.name, "start_date": "2018-03-12", "end_date": "2018-03-01", "approvals_required": "1",
    }).get_data(as_text=True)
    assert "Modifier l&#39;étape" in html or "Modifier l'étape" in html
    assert "La date de fin ne peut pas précéder la date de début." in html
    response = client.post("/account", data={"lang-locale": "fr", "lang-submit_language": "x"},
                           follow_redirects=True)
    assert "Langue enregistrée." in response.get_data(as_text=True)


def test_language_choice_is_kept_on_the_account(client, login_as):
    user = login_as("reviewer")
    assert "Milestones" in client.get("/milestones").get_data(as_text=True)
    response = client.post("/account", data={"lang-locale": "fr", "lang-submit_language": "Save language"},
                           follow_redirects=True)
    assert "Langue enregistrée." in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.locale == "fr"
    assert "Étapes" in client.get("/milestones").get_data(as_text=True)


def test_browser_language_before_login(client):
    html = client.get("/login", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert "Iniciar sesión" in html and "Secretaría Mundial de CGLU" in html
    html = client.get("/login", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert "Log in" in html


def test_error_pages_are_translated(client, login_as):
    login_as("contributor", locale="es")
    response = client.get("/users")
    assert response.status_code == 403
    assert "No permitido" in response.get_data(as_text=True)


def test_dates_follow_the_language(client, login_as):
    login_as("contributor", locale="fr")
    html = client.get(f"/milestones/{milestone('Round 1').id}").get_data(as_text=True)
    assert "20\u00a0février\u00a02018" in html  # in one piece: no-break spaces


def test_templates_translate_escape_and_count_as_jinja_newstyle_gettext(app):
    """Templates call the translating functions directly (drafting.i18n), with what Jinja's newstyle
    gettext promises: the catalogue's text in the page's language, the variables escaped into it, `%%`
    for a percent sign, `num` given to plurals."""
    template = app.jinja_env.from_string(
        '{{ _("Log out") }}|{{ _("Positions of %(org)s", org=name) }}|{{ _("100%%") }}|'
        '{{ ngettext("%(num)d position found.", "%(num)d positions found.", 3) }}|{{ gettext("Log out") }}|'
        '{{ _("Edit milestone") }}')
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        html = template.render(name='<script>alert("x")</script>', _translations=None)
    log_out, positions_of, percent, found, again, edit = html.split("|")
    assert log_out == again == "Se déconnecter"
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in positions_of and "<script>" not in positions_of
    assert percent == "100%"
    assert found == "3 positions trouvées."
    assert edit == "Modifier l'étape"  # the catalogue's text is markup: not escaped a second time


def test_a_text_from_the_code_is_translated_as_plain_text(app):
    """`text | translated` looks up a msgid that is not a literal of the template (the API reference's
    docstrings): the catalogue's text in the page's language, escaped like any value, never %-formatted;
    a text the catalogue lacks stays as it is."""
    template = app.jinja_env.from_string("{{ known | translated }}|{{ unknown | translated }}|{{ empty | translated }}")
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        html = template.render(known="One milestone.", unknown='50% of <b>"x"</b>', empty="", _translations=None)
    assert html.split("|") == ["Une étape.", "50% of &lt;b&gt;&#34;x&#34;&lt;/b&gt;", ""]


@pytest.mark.parametrize(("locale", "word"), [("fr", "Prise en compte"), ("es", "Incorporación")])
def test_uptake_has_a_plain_name_in_french_and_spanish(client, login_as, locale, word):
    login_as("secretariat", locale=locale)
    page = client.get("/text/uptake").get_data(as_text=True)
    assert f"<h1>{word}</h1>" in page, re.findall(r"<h1.*?</h1>", page)
    assert ">Reprise<" not in page

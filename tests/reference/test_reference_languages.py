"""Reference data in the reader's language: objectives, workstreams, sections, milestones, kinds and
regions in French and Spanish (English when a name is missing); notes for users only, the notes on
sources kept apart; seed-reference fills new names of existing rows without overwriting edits; the
migration carries existing databases over."""

from __future__ import annotations

import csv
import io
import logging

import pytest
from sqlalchemy import create_engine, select, text

from drafting import create_app
from drafting.extensions import db
from drafting.models import CompactSection, Theme
from tests.conftest import milestone, organisation

RESEARCH_REMARKS = ("seed", "design card", "end uncertain", "Feb-Jul", "Feb–Jul")


@pytest.mark.parametrize("locale, words", [
    ("fr", ["Assurer l'accès des migrants aux services de base", "Plaidoyer", "Objectifs et engagements",
            "Sauver des vies"]),
    ("es", ["Proporcionar a los migrantes acceso a servicios básicos", "Incidencia política",
            "Objetivos y compromisos", "Salvar vidas"]),
])
def test_themes_page_in_the_readers_language(client, login_as, locale, words):
    login_as("contributor", locale=locale)
    html = client.get("/themes").get_data(as_text=True).replace("&#39;", "'")
    for word in words:
        assert word in html
    assert "Provide access to basic services for migrants" not in html


def test_milestones_kinds_and_regions_in_french(client, login_as):
    login_as("contributor", locale="fr")
    html = client.get("/milestones").get_data(as_text=True)
    assert "Négociations intergouvernementales – Série 1" in html
    assert "Intergovernmental negotiations – Round 1" not in html
    page = client.get(f"/milestones/{milestone('Round 1').id}").get_data(as_text=True)
    assert "Série de négociations" in page and "Audition des parties prenantes le 21 février 2018." in page
    organisations = client.get("/organisations").get_data(as_text=True)
    assert "Section régionale" in organisations and "Moyen-Orient et Asie de l&#39;Ouest" in organisations


def test_a_missing_translation_falls_back_to_english(client, login_as):
    round_1 = milestone("Round 1")
    round_1.name_es = ""
    db.session.commit()
    login_as("contributor", locale="es")
    assert "Intergovernmental negotiations – Round 1" in client.get("/milestones").get_data(as_text=True)


def test_filters_and_exports_use_the_readers_language(client, login_as, make_position):
    make_position("submitted", milestone_name="Round 2")
    login_as("secretariat", locale="es")
    search = client.get("/search").get_data(as_text=True)
    assert "Negociaciones intergubernamentales – Ronda 2</option>" in search
    assert "15. Acceso a servicios básicos</option>" in search
    rows = list(csv.reader(io.StringIO(client.get("/tracker-positions.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert any("Negociaciones intergubernamentales – Ronda 2" in row for row in rows)


@pytest.mark.parametrize("path", ["/milestones", "/themes", "/organisations"])
def test_no_research_remark_is_shown(client, login_as, path):
    login_as("secretariat")
    pages = [client.get(path).get_data(as_text=True)]
    if path == "/milestones":
        pages += [client.get(f"/milestones/{milestone(name).id}").get_data(as_text=True)
                  for name in ("Round 1", "Zero draft", "WUF9", "Cities and Migration", "Adoption")]
    for html in pages:
        main = html.split('<main id="main">', 1)[1]
        for remark in RESEARCH_REMARKS:
            assert remark not in main, remark


def test_sources_are_kept_apart(app):
    assert "stakeholder hearing 2018-02-21" in milestone("Round 1").source_note
    assert milestone("Round 1").note == "Stakeholder hearing on 21 February 2018."
    assert organisation("CEMR").source_note == "seed; design card"
    preamble = db.session.scalar(select(CompactSection).where(CompactSection.order == 1))
    assert preamble.paragraphs == "1-7" and "end uncertain" in preamble.source_note


def test_seed_reference_fills_new_names_without_overwriting_edits(app):
    runner = app.test_cli_runner()
    objective_15 = db.session.scalar(select(Theme).where(Theme.number == 15))
    objective_15.title_fr = "Accès aux services (titre choisi par le secrétariat)"
    objective_15.title_es = ""
    round_1 = milestone("Round 1")
    round_1.name_fr = ""
    db.session.commit()

    result = runner.invoke(args=["seed-reference"])
    assert "filled in on 2 existing rows" in result.output, result.output
    db.session.expire_all()
    objective_15 = db.session.scalar(select(Theme).where(Theme.number == 15))
    assert objective_15.title_fr == "Accès aux services (titre choisi par le secrétariat)"
    assert objective_15.title_es == "Proporcionar a los migrantes acceso a servicios básicos"
    assert milestone("Round 1").name_fr == "Négociations intergouvernementales – Série 1"
    assert "already complete" in runner.invoke(args=["seed-reference"]).output
    assert "filled in" not in runner.invoke(args=["seed-reference"]).output


def test_mail_names_the_milestone_in_the_recipients_language(app, make_position, make_user):
    from drafting.models import OutboxMessage

    reviewer = make_user("reviewer", "Metropolis", locale="fr")
    make_position("submitted", milestone_name="Round 2")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == reviewer.email))
    assert "Négociations intergouvernementales – Série 2" in message.body


def test_the_migration_translates_an_existing_database(tmp_path):
    """A database made before the translations: its rows get the French and Spanish names, and the
    seeded research notes move out of sight; an edited note stays."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        with app.app_context():
            assert runner.invoke(args=["db", "upgrade", "0001"]).exit_code == 0
            engine = create_engine(url)
            with engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO milestones (name, kind, start_date, end_date, place, note, approvals_required) VALUES "
                    "('Intergovernmental negotiations - Round 1', 'negotiation round', '2018-02-20', '2018-02-23', "
                    "'New York', 'seed gives the range Feb-Jul 2018; stakeholder hearing 2018-02-21', 1), "
                    "('Intergovernmental negotiations - Round 2', 'negotiation round', '2018-03-12', '2018-03-15', "
                    "'New York', 'Bring the Mechelen Declaration.', 1)"))
                connection.execute(text(
                    "INSERT INTO themes (kind, number, short_label, title, paragraph) VALUES "
                    "('objective', 15, 'Access to basic services', "
                    "'Provide access to basic services for migrants', 31)"))
                connection.execute(text(
                    "INSERT INTO compact_sections (\"order\", name, paragraphs, note) VALUES "
                    "(1, 'Preamble', '1-7 (end uncertain)', 'zero draft: five paragraphs; Rev 1: six')"))
            result = runner.invoke(args=["db", "upgrade"])
            assert result.exit_code == 0, result.output
            with engine.connect() as connection:
                round_1 = connection.execute(text(
                    "SELECT name_fr, note, source_note FROM milestones WHERE name LIKE '%Round 1'")).one()
                round_2 = connection.execute(text(
                    "SELECT name_es, note FROM milestones WHERE name LIKE '%Round 2'")).one()
                theme = connection.execute(text("SELECT title_fr, title_es FROM themes")).one()
                section = connection.execute(text("SELECT paragraphs, note, name_es FROM compact_sections")).one()
            engine.dispose()
    finally:
        root.handlers[:], root.level = handlers, level
    assert round_1 == ("Négociations intergouvernementales – Série 1", "Stakeholder hearing on 21 February 2018.",
                       "seed gives the range Feb-Jul 2018; stakeholder hearing 2018-02-21")
    assert round_2 == ("Negociaciones intergubernamentales – Ronda 2", "Bring the Mechelen Declaration.")
    assert theme == ("Assurer l'accès des migrants aux services de base",
                     "Proporcionar a los migrantes acceso a servicios básicos")
    assert section == ("1-7", "", "Preámbulo")


def test_the_secretariat_names_a_milestone_in_french_and_spanish(client, login_as):
    from tests.conftest import milestone_form, opened_values

    login_as("secretariat")
    round_3 = milestone("Round 3")
    url = f"/milestones/{round_3.id}/edit"
    form = milestone_form(round_3, name_fr="Troisième série de négociations", note_es="Sobre la revisión 1.",
                          opened_values=opened_values(client, url))
    assert client.post(url, data=form).status_code == 302
    login_as("contributor", locale="fr")
    assert "Troisième série de négociations" in client.get("/milestones").get_data(as_text=True)
    login_as("contributor", locale="es")
    assert "Sobre la revisión 1." in client.get(f"/milestones/{round_3.id}").get_data(as_text=True)

"""Paragraph references are written one way at input and sort as the compact numbers its paragraphs;
references stored before that rule are carried over by a migration."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from drafting import create_app
from drafting.amendments.rules import normalise_reference, reference_sort_key, same_proposal_key
from drafting.extensions import db
from drafting.models import Position
from tests.test_migrations import _keep_logging_configuration, empty_database  # noqa: F401

from .test_editing import _amendment, _form


@pytest.mark.parametrize(("typed", "stored"), [
    ("007", "7"), ("31 (C)", "31(c)"), ("031(c)", "31(c)"), (" 31(c) ", "31(c)"), ("31(AA)", "31(aa)"),
    ("23", "23"),
])
def test_a_reference_is_stored_in_the_one_form(client, login_as, typed, stored):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(
        0, section_id="4", paragraph=typed, current_text="Now.", proposed_text="Then.")))
    assert response.status_code == 303
    position = db.session.scalar(select(Position))
    assert position.amendments[0]["paragraph"] == stored
    assert position.revisions[0].amendments[0]["paragraph"] == stored


def test_an_empty_reference_is_refused_beside_the_field_and_the_text_kept(client, login_as):
    login_as("contributor", "CEMR")
    response = client.post("/positions/new", data=_form(**_amendment(
        0, section_id="4", paragraph="   ", current_text="Now.", proposed_text="Our proposal, typed.")))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Say which paragraph" in page and "Our proposal, typed." in page
    assert db.session.scalar(select(db.func.count()).select_from(Position)) == 0


def test_references_sort_naturally():
    typed = ["32", "31(aa)", "31(z)", "31(c)", "31(b)", "31", "100", "007", "9"]
    assert sorted(typed, key=reference_sort_key) == ["007", "9", "31", "31(b)", "31(c)", "31(z)", "31(aa)", "32",
                                                     "100"]
    assert normalise_reference("007") == normalise_reference("7")
    assert normalise_reference("0" * 10_000 + "31") == "31" and normalise_reference("00") == "0"
    assert reference_sort_key("9" * 10_000) > reference_sort_key("100")


def test_proposals_are_the_same_only_when_they_differ_in_whitespace():
    assert same_proposal_key("Cities  and\n regions.") == same_proposal_key("Cities and regions.")
    assert same_proposal_key("CITIES AND REGIONS.") != same_proposal_key("Cities and regions.")
    assert same_proposal_key("Cities and regions") != same_proposal_key("Cities and regions.")


def test_the_migration_normalises_stored_references_and_keeps_everything_else(empty_database):  # noqa: F811
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database,
                      "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade", "0001"]).exit_code == 0
        before = [{"section_id": 4, "paragraph": "031 (C)", "current_text": "Now.", "proposed_text": "Then.",
                   "rationale": "Why."},
                  {"section_id": 5, "paragraph": "7", "current_text": "", "proposed_text": "Add.", "rationale": ""}]
        moment = datetime(2018, 2, 1, 9, 0)
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisations (id, short_name, full_name, kind, region, contributes_positions) "
                "VALUES (1, 'CEMR', 'Council', 'regional section', 'Europe', true)"))
            connection.execute(text(
                "INSERT INTO users (id, name, email, password_hash, organisation_id, role, active, locale, created_at)"
                " VALUES (1, 'A', 'a@example.org', '-', 1, 'contributor', true, 'en', :at)"), {"at": moment})
            connection.execute(text(
                "INSERT INTO milestones (id, name, kind, start_date, end_date, place, note, approvals_required) "
                "VALUES (1, 'Round 1', 'negotiation round', :start, :start, 'New York', '', 1)"),
                {"start": date(2018, 2, 20)})
            connection.execute(text(
                "INSERT INTO positions (id, organisation_id, milestone_id, stage, language, title, summary, text, "
                "amendments, revision_number, created_by_id, created_at, updated_at, stage_changed_at, version_id)"
                " VALUES (1, 1, 1, 'draft', 'en', 'T', '', 'x', :amendments, 1, 1, :at, :at, :at, 1)"),
                {"amendments": json.dumps(before), "at": moment})
            connection.execute(text(
                "INSERT INTO revisions (id, position_id, number, author_id, created_at, title, summary, text, "
                "language, theme_ids, amendments) VALUES (1, 1, 1, 1, :at, 'T', '', 'x', 'en', '[]', :amendments)"),
                {"amendments": json.dumps(before), "at": moment})
        result = runner.invoke(args=["db", "upgrade", "0006_paragraph_references"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as connection:
            for table in ("positions", "revisions"):
                stored = connection.execute(text(f"SELECT amendments FROM {table}")).scalar_one()  # noqa: S608
                stored = json.loads(stored) if isinstance(stored, str) else stored
                assert [a["paragraph"] for a in stored] == ["31(c)", "7"]
                assert stored[0] | {"paragraph": "031 (C)"} == before[0] and stored[1] == before[1]
        assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
        db.engine.dispose()

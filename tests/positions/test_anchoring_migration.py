"""Migration 0012 carries stored amendments over to anchored amendments: each gets a key and a kind,
and is anchored where its reference is a numbered paragraph of the revision its milestone amends."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import text

from drafting import create_app
from drafting.extensions import db
from tests.test_migrations import _keep_logging_configuration, empty_database  # noqa: F401


def _stored(connection, table: str) -> list[dict]:
    stored = connection.execute(text(f"SELECT amendments FROM {table} ORDER BY id")).scalars().all()  # noqa: S608
    return [json.loads(value) if isinstance(value, str) else value for value in stored]


def test_amendments_are_anchored_where_their_reference_resolves(empty_database):  # noqa: F811
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database,
                      "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade", "0007_list_indexes"]).exit_code == 0
        typed = [
            {"section_id": 4, "paragraph": "16(a)", "current_text": "As I typed it.", "proposed_text": "New.",
             "rationale": "Why."},
            {"section_id": 4, "paragraph": "99", "current_text": "", "proposed_text": "Gone.", "rationale": ""},
            {"section_id": 5, "paragraph": "", "current_text": "", "proposed_text": "Free.", "rationale": ""},
        ]
        older = [typed[0] | {"proposed_text": "First wording."}, typed[1]]
        moment = datetime(2018, 2, 1, 9, 0)
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisations (id, short_name, full_name, kind, region, region_fr, region_es, "
                "source_note, contributes_positions) "
                "VALUES (1, 'CEMR', 'Council', 'regional section', 'Europe', '', '', '', true)"))
            connection.execute(text(
                "INSERT INTO users (id, name, email, password_hash, organisation_id, role, active, locale, "
                "created_at, session_generation) VALUES (1, 'A', 'a@example.org', '-', 1, 'contributor', true, "
                "'en', :at, 0)"), {"at": moment})
            for milestone_id, start in ((1, date(2018, 2, 20)), (2, date(2018, 3, 12)), (3, date(2018, 5, 14))):
                connection.execute(text(
                    "INSERT INTO milestones (id, name, name_fr, name_es, kind, start_date, end_date, place, "
                    "note, note_fr, note_es, source_note, approvals_required) VALUES (:id, :name, '', '', "
                    "'negotiation round', :start, :start, 'New York', '', '', '', '', 1)"),
                    {"id": milestone_id, "name": f"Round {milestone_id}", "start": start})
            # The zero draft at round 1, Rev 1 at round 3: round 2 still amends the zero draft.
            for revision_id, name, issued, milestone_id in ((1, "Zero draft", date(2018, 2, 5), 1),
                                                             (2, "Rev 1", date(2018, 5, 1), 3)):
                connection.execute(text(
                    "INSERT INTO text_revisions (id, name, issued_on, milestone_id, source_filename, "
                    "published_by_id, published_at) VALUES (:id, :name, :issued, :m, '', 1, :at)"),
                    {"id": revision_id, "name": name, "issued": issued, "m": milestone_id, "at": moment})
            paragraphs = [(10, 1, 1, "heading", "", "Vision"), (11, 1, 2, "paragraph", "16", "Zero 16."),
                          (12, 1, 3, "paragraph", "16(a)", "Zero 16 a."), (21, 2, 1, "paragraph", "16(a)", "Rev 16 a.")]
            for paragraph_id, revision_id, order, kind, number, body in paragraphs:
                connection.execute(text(
                    'INSERT INTO text_paragraphs (id, revision_id, "order", kind, number, section, text) '
                    "VALUES (:id, :r, :o, :k, :n, '', :t)"),
                    {"id": paragraph_id, "r": revision_id, "o": order, "k": kind, "n": number, "t": body})
            for position_id, milestone_id in ((1, 2), (2, 3)):
                connection.execute(text(
                    "INSERT INTO positions (id, organisation_id, milestone_id, stage, language, title, summary, "
                    "text, amendments, revision_number, created_by_id, created_at, updated_at, stage_changed_at, "
                    "version_id) VALUES (:id, 1, :m, 'draft', 'en', 'T', '', 'x', :amendments, 2, 1, :at, :at, "
                    ":at, 1)"), {"id": position_id, "m": milestone_id, "amendments": json.dumps(typed), "at": moment})
                for number, amendments in ((1, older), (2, typed)):
                    connection.execute(text(
                        "INSERT INTO revisions (position_id, number, author_id, created_at, title, summary, "
                        "text, language, theme_ids, amendments) VALUES (:p, :n, 1, :at, 'T', '', 'x', 'en', "
                        "'[]', :amendments)"),
                        {"p": position_id, "n": number, "at": moment, "amendments": json.dumps(amendments)})

        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output

        with db.engine.connect() as connection:
            round_2, round_3 = _stored(connection, "positions")
            revisions = _stored(connection, "revisions")
        # Round 2 amends the zero draft; round 3, Rev 1. "99" and the empty reference resolve nowhere.
        assert [a["paragraph_id"] for a in round_2] == [12, None, None]
        assert [a["paragraph_id"] for a in round_3] == [21, None, None]
        for amendment, before in zip(round_2, typed, strict=True):
            assert amendment["kind"] == "replace"
            assert len(amendment["key"]) == 8
            assert {name: amendment[name] for name in before} == before  # the typed current text is kept
        assert len({a["key"] for a in round_2}) == 3
        # The same amendment keeps its key in the position's revisions, an edited wording included.
        first, second = revisions[0], revisions[1]
        assert [a["key"] for a in second] == [a["key"] for a in round_2]
        assert [a["key"] for a in first] == [a["key"] for a in round_2[:2]]
        assert first[0]["proposed_text"] == "First wording." and first[0]["paragraph_id"] == 12
        assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
        db.engine.dispose()

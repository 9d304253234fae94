"""The migrations build the schema from nothing, agree with the models, and go back down to nothing."""

from __future__ import annotations

import logging
import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from drafting import create_app
from drafting.extensions import db
from drafting.models import fulltext
from tests.conftest import _normalise

SCHEMA = "migration_check"


@pytest.fixture(autouse=True)
def _keep_logging_configuration():
    """Alembic's env.py calls logging.config.fileConfig, which disables every existing logger; later
    tests that read the application's log must not pay for it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    loggers = {name: (logger.disabled, logger.level, logger.handlers[:])
               for name, logger in logging.root.manager.loggerDict.items() if isinstance(logger, logging.Logger)}
    yield
    root.handlers[:], root.level = handlers, level
    for name, (disabled, lvl, hdlrs) in loggers.items():
        logger = logging.getLogger(name)
        logger.disabled, logger.level, logger.handlers[:] = disabled, lvl, hdlrs


def _targets():
    yield pytest.param("sqlite", id="sqlite")
    if os.environ.get("TEST_DATABASE_URL"):
        yield pytest.param("postgresql", id="postgresql")


@pytest.fixture(params=list(_targets()))
def empty_database(request, tmp_path):
    """The URL of an empty database: a new SQLite file, or a new PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    server = _normalise(os.environ["TEST_DATABASE_URL"])
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}options=-csearch_path%3D{SCHEMA}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(empty_database):
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database,
                      "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    with app.app_context():
        result = runner.invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables

        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "compare_server_default": True,
                # The full-text index is plain SQL beside the ORM's tables (drafting.models.fulltext).
                "include_name": fulltext.include_name})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"

        # The migrated schema takes the reference data, once.
        assert "Reference data: added" in runner.invoke(args=["seed-reference"]).output
        assert "already complete" in runner.invoke(args=["seed-reference"]).output

        result = runner.invoke(args=["db", "downgrade", "base"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_flask_db_check_finds_nothing_to_generate(tmp_path):
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'c.db'}",
                      "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
        result = runner.invoke(args=["db", "check"])
        assert result.exit_code == 0, result.output
        db.engine.dispose()


def test_existing_editions_get_a_unique_symbol_when_symbols_arrive(empty_database):
    """Migration 0002 carries existing editions over: each gets the symbol a new edition would get."""
    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database,
                      "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade", "0001"]).exit_code == 0
        with db.engine.begin() as connection:
            # The rows as the schema of 0001 holds them (seed-reference writes today's models).
            connection.execute(text(
                "INSERT INTO organisations (short_name, full_name, kind, region, contributes_positions) "
                "VALUES ('UCLG', 'United Cities and Local Governments', 'secretariat', 'World', false)"))
            connection.execute(text(
                "INSERT INTO milestones (name, kind, start_date, end_date, place, note, approvals_required) "
                "VALUES ('Intergovernmental negotiations - Round 1', 'negotiation round', '2018-02-20', "
                "'2018-02-23', 'New York', '', 1)"))
            milestone_id = connection.execute(text(
                "SELECT id FROM milestones WHERE name = 'Intergovernmental negotiations - Round 1'")).scalar()
            org_id = connection.execute(text("SELECT id FROM organisations ORDER BY id LIMIT 1")).scalar()
            user_id = connection.execute(text(
                "INSERT INTO users (name, email, password_hash, organisation_id, role, active, locale, created_at) "
                "VALUES ('S', 's@example.org', '-', :org, 'secretariat', true, 'en', '2018-02-10') RETURNING id"),
                {"org": org_id}).scalar()
            for number in (1, 2):
                connection.execute(text(
                    "INSERT INTO editions (milestone_id, number, title, compiled_by_id, compiled_at, options, "
                    "filename, size, sha256, data) VALUES (:m, :n, 'T', :u, '2018-02-10', '{}', 'f.docx', 1, "
                    "'0', :data)"), {"m": milestone_id, "n": number, "u": user_id, "data": b"x"})
        result = runner.invoke(args=["db", "upgrade", "0002"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as connection:
            symbols = connection.execute(text("SELECT symbol FROM editions ORDER BY number")).scalars().all()
        assert symbols == ["UCLG/GCM/2018/INR1/1", "UCLG/GCM/2018/INR1/2"]
        assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
        db.engine.dispose()


def test_every_revision_id_fits_alembics_version_column():
    """alembic_version.version_num is VARCHAR(32): PostgreSQL refuses a longer id when it records the step."""
    import re  # noqa: PLC0415 (only this test reads the files)
    from pathlib import Path  # noqa: PLC0415

    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    declared = re.compile(r"^revision = ['\"]([^'\"]+)['\"]", re.M)
    ids = [declared.search(path.read_text()).group(1) for path in versions.glob("*.py")]
    assert ids and [revision for revision in ids if len(revision) > 32] == []


def _insert(connection, table: str, **values) -> int:
    """A row as the schema of the moment holds it: the given values, and a plain one for every other
    column that needs one."""
    import datetime

    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, MetaData, Table

    reflected = Table(table, MetaData(), autoload_with=connection)
    row = dict(values)
    for column in reflected.columns:
        if column.name in row or column.nullable or column.primary_key or column.server_default is not None:
            continue
        kind = column.type
        row[column.name] = (False if isinstance(kind, Boolean) else datetime.datetime(2018, 2, 10)
                            if isinstance(kind, DateTime) else datetime.date(2018, 2, 10)
                            if isinstance(kind, Date) else 1 if isinstance(kind, Integer)
                            else [] if isinstance(kind, JSON) else "x")
    return connection.execute(reflected.insert().values(**row).returning(reflected.c.id)).scalar()


def test_stored_amendments_get_their_rows_when_amendments_get_ids(empty_database):
    """Migration 0027 gives every amendment in a position's stored list a row, as a save would: its key
    kept (a missing one derived, a repeated one left out), an anchor kept only to a paragraph that exists,
    an unknown kind read as "replace", the list's order kept."""
    import json

    app = create_app({"DRAFTING_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database,
                      "RATELIMIT_ENABLED": False})
    runner = app.test_cli_runner()
    with app.app_context():
        assert runner.invoke(args=["db", "upgrade", "0026_milestone_symbol_codes"]).exit_code == 0
        with db.engine.begin() as connection:
            org = _insert(connection, "organisations", short_name="CEMR", kind="regional section",
                          contributes_positions=True)
            user = _insert(connection, "users", email="c@example.org", organisation_id=org, role="contributor",
                           locale="en", active=True)
            milestone = _insert(connection, "milestones", name="Round 1", kind="negotiation round")
            revision = _insert(connection, "text_revisions", name="Zero draft", published_by_id=user)
            paragraph = _insert(connection, "text_paragraphs", revision_id=revision, order=1, kind="paragraph",
                                number="16", text="We commit.")
            stored = [
                {"key": "aaaa1111", "paragraph_id": paragraph, "kind": "replace", "paragraph": "16",
                 "proposed_text": "We commit, with cities.", "rationale": "Cities deliver."},
                {"paragraph_id": 999, "kind": "strange", "paragraph": "31(c)", "proposed_text": "More."},
                {"key": "aaaa1111", "paragraph": "16", "proposed_text": "A copy under the same key."},
                {"key": "bbbb2222", "kind": "delete", "paragraph": "40", "proposed_text": ""},
            ]
            position = _insert(connection, "positions", organisation_id=org, milestone_id=milestone,
                               created_by_id=user, stage="submitted", language="en", title="Data",
                               amendments=json.loads(json.dumps(stored)))
        result = runner.invoke(args=["db", "upgrade", "0027_amendments_joint_proposals"])
        assert result.exit_code == 0, result.output
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                'SELECT position_id, key, paragraph_id, kind, paragraph, proposed_text, rationale, "order" '
                'FROM amendments ORDER BY "order"')).all()
        assert [tuple(row) for row in rows] == [
            (position, "aaaa1111", paragraph, "replace", "16", "We commit, with cities.", "Cities deliver.", 0),
            (position, rows[1].key, None, "replace", "31(c)", "More.", "", 1),
            (position, "bbbb2222", None, "delete", "40", "", "", 2),
        ]
        assert len(rows[1].key) == 8 and rows[1].key not in ("aaaa1111", "bbbb2222")
        assert runner.invoke(args=["db", "downgrade", "base"]).exit_code == 0
        db.engine.dispose()

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

"""Data that survives a move and a restore: export-data / import-data round-trip SQLite -> archive ->
PostgreSQL -> archive -> SQLite with every row and every file's SHA-256 unchanged; an import refuses a
non-empty database and a damaged archive; and the README's backup routines restore (sqlite3's backup
API, pg_dump with psql)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from drafting import create_app
from drafting.data_transfer import ArchiveError, database_digest, export_data, import_data
from drafting.demo import load_demo
from drafting.documents.jobs.preparation import prepare_edition
from drafting.extensions import db
from drafting.models import Attachment, Edition, Organisation, Position, User
from drafting.reference.loader import load_reference_data
from tests.conftest import base_config

POSTGRES = os.environ.get("TEST_DATABASE_URL")


@contextmanager
def app_on(url: str, create: bool = True):
    app = create_app(base_config(url))
    with app.app_context():
        if create:
            db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


@contextmanager
def scratch_postgres(suffix: str):
    """A new, empty PostgreSQL database beside the test database, dropped afterwards."""
    url = make_url(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{url.database}_{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _demo_source(path: Path) -> dict:
    """The demo data set (with its compiled edition) plus a Word annex, in a SQLite file."""
    with app_on(f"sqlite:///{path}"):
        load_reference_data()
        load_demo()
        edition = db.session.scalar(select(Edition))
        prepare_edition(edition.id)  # what the worker does after the compile
        edition = db.session.get(Edition, edition.id)
        position = db.session.scalar(select(Position).where(Position.stage == "draft"))
        annex = bytes(edition.data)  # a real .docx
        db.session.add(Attachment(position=position, filename="Annexe – données.docx", size=len(annex),
                                  sha256=hashlib.sha256(annex).hexdigest(), data=annex,
                                  uploaded_by=position.created_by))
        db.session.commit()
        return database_digest()


def _files(digest: dict) -> list[str]:
    return sorted(value for rows in digest.values() for row in rows for value in row.values()
                  if isinstance(value, str) and value.startswith("sha256:"))


def test_sqlite_to_postgresql_to_sqlite_keeps_every_row_and_file(tmp_path, capsys):
    source = _demo_source(tmp_path / "source.db")
    assert len(source["editions"]) >= 1 and len(source["attachments"]) == 1
    assert all(row["password_hash"].startswith("scrypt:") for row in source["users"])
    with app_on(f"sqlite:///{tmp_path / 'source.db'}", create=False) as app:
        result = app.test_cli_runner().invoke(args=["export-data", str(tmp_path / "first.zip")])
        assert result.exit_code == 0, result.output
    assert "Exported" in result.output

    steps = ["sqlite"]
    archive = tmp_path / "first.zip"
    if POSTGRES:
        with scratch_postgres("transfer") as url, app_on(url):
            import_data(archive)
            assert database_digest() == source
            # The sequences moved on: a new record gets a fresh id, not one of the imported ones.
            organisation = db.session.scalar(select(Organisation).limit(1))
            user = User(name="After the move", email="after@example.org", organisation=organisation,
                        role="reviewer", password_hash="x")
            db.session.add(user)
            db.session.commit()
            assert user.id == max(row["id"] for row in source["users"]) + 1
            db.session.delete(user)
            db.session.commit()
            archive = tmp_path / "second.zip"
            export_data(archive)
        steps.append("postgresql")

    with app_on(f"sqlite:///{tmp_path / 'target.db'}") as app:
        result = app.test_cli_runner().invoke(args=["import-data", str(archive)])
        assert result.exit_code == 0, result.output
        final = database_digest()
        # The tracker's counts, rebuilt by the triggers from the imported positions.
        counted = db.session.execute(text("SELECT milestone_id, organisation_id, stage, count FROM position_counts "
                                          "WHERE count > 0 ORDER BY 1, 2, 3")).all()
        grouped = db.session.execute(text("SELECT milestone_id, organisation_id, stage, count(*) FROM positions "
                                          "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")).all()
        assert counted == grouped and counted
    steps.append("sqlite")
    assert final == source
    rows = sum(len(table) for table in source.values())
    with capsys.disabled():
        print(f"\nround trip {' -> '.join(steps)}: {rows} rows in {len(source)} tables, "
              f"{len(_files(source))} files, identical")


def test_an_import_refuses_a_database_that_is_not_empty_and_changes_nothing(tmp_path):
    _demo_source(tmp_path / "source.db")
    with app_on(f"sqlite:///{tmp_path / 'source.db'}", create=False) as app:
        export_data(tmp_path / "data.zip")
        before = database_digest()
        result = app.test_cli_runner().invoke(args=["import-data", str(tmp_path / "data.zip")])
        assert result.exit_code != 0
        assert "not empty" in result.output
        assert database_digest() == before


def test_a_damaged_archive_is_refused_and_nothing_is_imported(tmp_path):
    _demo_source(tmp_path / "source.db")
    with app_on(f"sqlite:///{tmp_path / 'source.db'}", create=False):
        export_data(tmp_path / "data.zip")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(tmp_path / "data.zip") as original, zipfile.ZipFile(damaged, "w") as copy:
        for item in original.infolist():
            content = original.read(item)
            if item.filename.startswith("files/editions/"):
                content = content[:-1] + bytes([content[-1] ^ 1])
            copy.writestr(item, content)
    with app_on(f"sqlite:///{tmp_path / 'target.db'}"):
        with pytest.raises(ArchiveError, match="SHA-256"):
            import_data(damaged)
        assert all(not rows for rows in database_digest().values())


def test_the_archive_has_a_manifest_and_one_rows_file_per_table(tmp_path):
    _demo_source(tmp_path / "source.db")
    with app_on(f"sqlite:///{tmp_path / 'source.db'}", create=False):
        export_data(tmp_path / "data.zip")
        # Derived tables are left out: position_counts is rebuilt by the triggers on import, and
        # reference_version moves on by the triggers of the reference tables.
        tables = {table.name for table in db.metadata.sorted_tables if not table.info.get("derived")}
        assert "position_counts" not in tables and "reference_version" not in tables
    with zipfile.ZipFile(tmp_path / "data.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert set(manifest["tables"]) == tables
        assert {f"tables/{name}.jsonl" for name in tables} <= set(archive.namelist())
        edition = json.loads(archive.read("tables/editions.jsonl").splitlines()[0])
        assert hashlib.sha256(archive.read(edition["data"]["file"])).hexdigest() == edition["data"]["sha256"] \
            == edition["sha256"]


def test_a_sqlite_backup_made_with_the_backup_api_restores(tmp_path):
    source = _demo_source(tmp_path / "source.db")
    # What `sqlite3 instance/drafting.db ".backup backup.db"` does, safe while the service writes.
    with sqlite3.connect(tmp_path / "source.db") as live, sqlite3.connect(tmp_path / "backup.db") as backup:
        live.backup(backup)
    shutil.copy(tmp_path / "backup.db", tmp_path / "restored.db")  # restoring is putting the file back
    with app_on(f"sqlite:///{tmp_path / 'restored.db'}", create=False):
        assert database_digest() == source


@pytest.mark.skipif(not (POSTGRES and shutil.which("pg_dump") and shutil.which("psql")),
                    reason="needs TEST_DATABASE_URL and pg_dump/psql on PATH")
def test_a_pg_dump_backup_restores_into_a_new_database(tmp_path):
    source = _demo_source(tmp_path / "source.db")
    with app_on(f"sqlite:///{tmp_path / 'source.db'}", create=False):
        export_data(tmp_path / "data.zip")
    with scratch_postgres("live") as live, scratch_postgres("restored") as restored:
        with app_on(live):
            import_data(tmp_path / "data.zip")
        plain = [make_url(u).set(drivername="postgresql").render_as_string(hide_password=False)
                 for u in (live, restored)]
        subprocess.run(["pg_dump", "--no-owner", "--file", str(tmp_path / "backup.sql"), plain[0]],  # noqa: S603,S607
                       check=True)
        subprocess.run(["psql", "--quiet", "-v", "ON_ERROR_STOP=1", "--file", str(tmp_path / "backup.sql"),  # noqa: S603,S607
                        plain[1]], check=True, capture_output=True)
        with app_on(restored, create=False):
            assert database_digest() == source

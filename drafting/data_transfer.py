"""Moving the whole database into one archive and back: from SQLite to PostgreSQL, from one server to
another, or into a safe place.

The archive is a ZIP file:

- `manifest.json`: the format, the schema revision, and for each table its row count and the SHA-256
  of its rows file;
- `tables/<table>.jsonl`: one JSON object per row, in primary-key order; dates and times as ISO 8601;
- `files/<table>/<id>.<column>`: each binary value (editions, Word annexes) as it is, its SHA-256 in
  the row.

Every table of the models is written, by iterating `db.metadata.sorted_tables`: a table added later is
carried without a change here. An import goes into an empty database of either kind, checks every
count and checksum, and commits nothing unless everything loaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, Integer, LargeBinary, Table, func, insert, inspect, select, text

from drafting.clock import now
from drafting.extensions import db

FORMAT = "drafting-data-archive"
VERSION = 1
BATCH = 500


class ArchiveError(RuntimeError):
    """The archive cannot be written or loaded; the message says why, and nothing was imported."""


@dataclass
class TransferReport:
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def schema_revision() -> str | None:
    """The Alembic revision of the connected database (None for a schema made without migrations)."""
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    return db.session.scalar(text("SELECT version_num FROM alembic_version"))


def _tables() -> list[Table]:
    # A derived table (position_counts) is rebuilt by the database's triggers as the rows come in.
    return [table for table in db.metadata.sorted_tables if not table.info.get("derived")]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _encode(value, column) -> object:
    if value is None:
        return None
    if isinstance(column.type, DateTime) or isinstance(value, datetime):
        return value.isoformat()
    if isinstance(column.type, Date) or isinstance(value, date):
        return value.isoformat()
    return value


def _decode(value, column) -> object:
    if value is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def _row_key(table: Table, row) -> str:
    return "-".join(str(row[c.name]) for c in table.primary_key.columns)


# Export ------------------------------------------------------------------------------------------

def _rows(table: Table) -> Iterator:
    query = select(table).order_by(*table.primary_key.columns)
    yield from db.session.execute(query, execution_options={"yield_per": BATCH}).mappings()


# The archive holds every password hash and internal note: readable by its owner only.
ARCHIVE_MODE = 0o600


def _private_file(path: str | Path):
    """The file at `path`, emptied, open for writing and readable by its owner only, from its first
    byte on (an existing file's wider mode is narrowed too)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, ARCHIVE_MODE)
    os.fchmod(descriptor, ARCHIVE_MODE)
    return os.fdopen(descriptor, "wb")


def export_data(path: str | Path) -> TransferReport:
    """Write every row of every table, and every stored file, to the archive at `path` (mode 0600)."""
    report = TransferReport()
    manifest = {"format": FORMAT, "version": VERSION, "schema_revision": schema_revision(),
                "created_at": now().isoformat(), "database": db.engine.dialect.name, "tables": {}}
    with _private_file(path) as file, \
            zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for table in _tables():
            lines = io.BytesIO()
            count = 0
            for row in _rows(table):
                record = {}
                for column in table.columns:
                    value = row[column.name]
                    if isinstance(column.type, LargeBinary) and value is not None:
                        member = f"files/{table.name}/{_row_key(table, row)}.{column.name}"
                        archive.writestr(member, bytes(value))
                        record[column.name] = {"file": member, "sha256": _sha256(bytes(value)),
                                               "size": len(value)}
                        report.files += 1
                    else:
                        record[column.name] = _encode(value, column)
                lines.write(json.dumps(record, ensure_ascii=False, sort_keys=True).encode() + b"\n")
                count += 1
            data = lines.getvalue()
            archive.writestr(f"tables/{table.name}.jsonl", data)
            manifest["tables"][table.name] = {"rows": count, "sha256": _sha256(data)}
            report.rows[table.name] = count
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, sort_keys=True))
    return report


# Import ------------------------------------------------------------------------------------------

def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise ArchiveError("This file is not a data archive of the drafting desk (no readable manifest).") from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ArchiveError(f"Unknown archive format {manifest.get('format')!r} version {manifest.get('version')!r}.")
    unknown = set(manifest.get("tables", {})) - {t.name for t in _tables()}
    if unknown:
        raise ArchiveError(f"The archive holds tables this version does not know: {', '.join(sorted(unknown))}. "
                           "Upgrade the code (and the schema) to the version that exported it.")
    return manifest


def non_empty_tables() -> list[str]:
    return [table.name for table in _tables()
            if db.session.scalar(select(func.count()).select_from(table)) > 0]


def import_data(path: str | Path) -> TransferReport:
    """Load the archive at `path` into this (empty) database; all or nothing."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise ArchiveError(f"Cannot read {path}: {error}") from error
    with archive:
        manifest = _read_manifest(archive)
        here = schema_revision()
        if here is not None and manifest.get("schema_revision") not in (None, here):
            raise ArchiveError(f"The archive was exported at schema revision {manifest['schema_revision']}, "
                               f"this database is at {here}: run `flask db upgrade` on the same code version "
                               "as the export, then import.")
        filled = non_empty_tables()
        if filled:
            raise ArchiveError("The database is not empty (rows in: " + ", ".join(filled) + "). "
                               "Import only into a new, empty database.")
        report = TransferReport()
        try:
            for table in _tables():
                expected = manifest["tables"].get(table.name)
                if expected is None:
                    continue
                report.rows[table.name] = _load_table(archive, table, expected, report)
            _reset_sequences()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
    return report


def _load_table(archive: zipfile.ZipFile, table: Table, expected: dict, report: TransferReport) -> int:
    data = archive.read(f"tables/{table.name}.jsonl")
    if _sha256(data) != expected["sha256"]:
        raise ArchiveError(f"The rows of {table.name} do not match their checksum: the archive is damaged.")
    columns = {c.name: c for c in table.columns}
    batch, count = [], 0
    for line in data.splitlines():
        record = json.loads(line)
        row = {}
        for name, value in record.items():
            column = columns.get(name)
            if column is None:
                raise ArchiveError(f"Column {table.name}.{name} does not exist in this schema.")
            if isinstance(column.type, LargeBinary) and value is not None:
                content = archive.read(value["file"])
                if _sha256(content) != value["sha256"]:
                    raise ArchiveError(f"{value['file']} does not match its SHA-256: the archive is damaged.")
                row[name] = content
                report.files += 1
            else:
                row[name] = _decode(value, column)
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            db.session.execute(insert(table), batch)
            batch = []
    if batch:
        db.session.execute(insert(table), batch)
    if count != expected["rows"]:
        raise ArchiveError(f"{table.name}: {count} rows read, the manifest says {expected['rows']}.")
    return count


def _reset_sequences() -> None:
    """PostgreSQL hands out ids from sequences, which an import with explicit ids does not move: set each
    to the largest id, so the next record gets the next number. (SQLite takes max(id) + 1 by itself.)"""
    if db.engine.dialect.name != "postgresql":
        return
    for table in _tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        key = keys[0].name
        sequence = db.session.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                     {"table": table.name, "column": key})
        if sequence:
            db.session.execute(
                text(f'SELECT setval(:sequence, COALESCE((SELECT MAX("{key}") FROM "{table.name}"), 1), '  # noqa: S608
                     f'(SELECT MAX("{key}") FROM "{table.name}") IS NOT NULL)'),
                {"sequence": sequence})


def row_digest(value) -> object:
    """A value as the comparison in tests and `verify` sees it: binaries by SHA-256, times as ISO text."""
    if isinstance(value, bytes | memoryview):
        return "sha256:" + _sha256(bytes(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def database_digest() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order, binaries as their SHA-256."""
    return {table.name: [{k: row_digest(v) for k, v in row.items()} for row in _rows(table)]
            for table in _tables()}

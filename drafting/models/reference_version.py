"""A number that changes whenever the reference data does, kept by the database itself.

Every page names milestones, networks and objectives; reading those tables again on each request was
three statements of a list page's seven. The app keeps them in memory instead
(drafting.reference.snapshot), and this number says when that copy is out of date: it is read with the
logged-in user, in the statement each request makes anyway, and triggers on `milestones`,
`organisations`, `themes` and `compact_sections` add one to it on every insert, update and delete,
whoever writes (the secretariat's edit pages, `seed-reference`, an import, plain SQL), on every server.

The number starts at a random value, so that two databases (a test's, a restored copy) never share
one. As for the other triggers (drafting.models.position_counts), the SQL is run both by the migration
and by `db.create_all()`; on SQLite a `batch_alter_table` of a watched table rebuilds it and drops its
triggers: a migration that does so must call `create()` again afterwards.
"""

from __future__ import annotations

import secrets

from sqlalchemy import BigInteger, Integer, event, text
from sqlalchemy.orm import Mapped, mapped_column

from drafting.extensions import db

WATCHED_TABLES = ("milestones", "organisations", "themes", "compact_sections")
_OPERATIONS = ("insert", "update", "delete")
_BUMP = "UPDATE reference_version SET number = number + 1"


class ReferenceVersion(db.Model):
    """One row: the version of the reference data (see the module's docstring)."""

    __tablename__ = "reference_version"
    # Derived: an export leaves it out, an import makes it anew (drafting.data_transfer).
    __table_args__ = ({"info": {"derived": True}},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(BigInteger, nullable=False)


def _trigger_names() -> list[tuple[str, str]]:
    return [(table, f"reference_version_{table}") for table in WATCHED_TABLES]


def create(connection) -> None:
    """The row and the triggers (idempotent); the number moves on, so that any copy kept is stale."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text(f"""CREATE OR REPLACE FUNCTION reference_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN {_BUMP}; RETURN NULL; END $$"""))
        for table, name in _trigger_names():
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
            connection.execute(text(f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                                    "FOR EACH STATEMENT EXECUTE FUNCTION reference_version_bump()"))
    elif dialect == "sqlite":
        for table, name in _trigger_names():
            for operation in _OPERATIONS:
                connection.execute(text(f"CREATE TRIGGER IF NOT EXISTS {name}_{operation} AFTER {operation.upper()} "
                                        f"ON {table} BEGIN {_BUMP}; END"))
    restart(connection)


def restart(connection) -> None:
    """The row, at a new random number (after the tables were emptied, as the tests do)."""
    connection.execute(text("DELETE FROM reference_version"))
    connection.execute(text("INSERT INTO reference_version (id, number) VALUES (1, :number)"),
                       {"number": secrets.randbelow(2**62)})


def drop(connection) -> None:
    for table, name in _trigger_names():
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
        else:
            for operation in _OPERATIONS:
                connection.execute(text(f"DROP TRIGGER IF EXISTS {name}_{operation}"))
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS reference_version_bump()"))


event.listen(db.metadata, "after_create", lambda target, connection, **kw: create(connection))
event.listen(db.metadata, "before_drop", lambda target, connection, **kw: drop(connection))

"""The full-text index of positions, kept by the database itself.

PostgreSQL: a `search_document` tsvector on `positions`, filled by a trigger from the title (weight A),
the summary (B), the text (C) and the proposed amendments (D) in the position's own language
(English, French and Spanish stemming; `simple` for Arabic), accents ignored (`unaccent`), with a GIN
index. SQLite: an FTS5 table `position_search` (rowid = position id) kept in step by triggers, with the
porter stemmer (English rules for every language) and `remove_diacritics`.

These objects are plain SQL, outside the ORM's tables: the migration that builds them and
`db.create_all()` (the tests) run the same statements from here, and autogenerate is told to ignore
them (`include_name`).
"""

from __future__ import annotations

from sqlalchemy import event, text

from drafting.models.positions import Position

# The text search configuration of each language: the language's stemmer with accents removed first.
PG_CONFIGS = {"en": "drafting_english", "fr": "drafting_french", "es": "drafting_spanish", "ar": "drafting_simple"}
_PG_BASE = {"drafting_english": "english", "drafting_french": "french", "drafting_spanish": "spanish",
            "drafting_simple": "simple"}
_PG_STEMMER = {"drafting_english": "english_stem", "drafting_french": "french_stem",
               "drafting_spanish": "spanish_stem", "drafting_simple": "simple"}

PG_COLUMN = "search_document"
PG_INDEX = "ix_positions_search_document"
SQLITE_TABLE = "position_search"

# What the amendments contribute: the paragraph, the current and proposed text and the rationale.
_PG_AMENDMENTS = """coalesce((SELECT string_agg(concat_ws(' ', a->>'paragraph', a->>'current_text',
        a->>'proposed_text', a->>'rationale'), ' ') FROM json_array_elements(
        CASE WHEN json_typeof(NEW.amendments) = 'array' THEN NEW.amendments ELSE '[]'::json END) a), '')"""


# The document stays in the row (compressed), the long text goes out of line first: a search that
# re-reads each candidate's document (a phrase) then reads the table, not a TOAST lookup per row.
PG_STORAGE = f"ALTER TABLE positions ALTER COLUMN {PG_COLUMN} SET STORAGE MAIN"


def pg_config_sql(language_column: str = "language") -> str:
    """The regconfig of a row, as SQL (the same mapping as PG_CONFIGS)."""
    whens = " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in PG_CONFIGS.items() if code != "ar")
    return f"(CASE {language_column} {whens} ELSE 'drafting_simple'::regconfig END)"


def _postgresql_create() -> list[str]:
    statements = ["CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"]
    for name, base in _PG_BASE.items():
        statements += [
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}",
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base})",
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH public.unaccent, {_PG_STEMMER[name]}",
        ]
    statements += [
        f"ALTER TABLE positions ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector",
        PG_STORAGE,
        f"""CREATE OR REPLACE FUNCTION positions_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    config regconfig := {pg_config_sql('NEW.language')};
BEGIN
    NEW.{PG_COLUMN} :=
        setweight(to_tsvector(config, coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector(config, coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector(config, coalesce(NEW.text, '')), 'C') ||
        setweight(to_tsvector(config, {_PG_AMENDMENTS}), 'D');
    RETURN NEW;
END $$""",
        "DROP TRIGGER IF EXISTS positions_search_document ON positions",
        "CREATE TRIGGER positions_search_document BEFORE INSERT OR UPDATE OF title, summary, text, amendments, "
        "language ON positions FOR EACH ROW EXECUTE FUNCTION positions_search_document()",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON positions USING gin ({PG_COLUMN})",
    ]
    return statements


def _postgresql_drop() -> list[str]:
    # The unaccent extension stays: other schemas of the same database may use it.
    return [
        "DROP TRIGGER IF EXISTS positions_search_document ON positions",
        "DROP FUNCTION IF EXISTS positions_search_document()",
        f"DROP INDEX IF EXISTS {PG_INDEX}",
        f"ALTER TABLE positions DROP COLUMN IF EXISTS {PG_COLUMN}",
    ] + [f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}" for name in _PG_BASE]


def _sqlite_amendments(row: str) -> str:
    """The amendments' words, as SQLite reads them from the JSON column of `row` (new, or p)."""
    return (
        "coalesce((SELECT group_concat(coalesce(json_extract(value, '$.paragraph'), '') || ' ' || "
        "coalesce(json_extract(value, '$.current_text'), '') || ' ' || "
        "coalesce(json_extract(value, '$.proposed_text'), '') || ' ' || "
        "coalesce(json_extract(value, '$.rationale'), ''), ' ') "
        f"FROM json_each(CASE WHEN json_valid({row}.amendments) AND json_type({row}.amendments) = 'array' "
        f"THEN {row}.amendments ELSE '[]' END)), '')"
    )


_SQLITE_INSERT_NEW = (
    "INSERT INTO position_search (rowid, title, summary, text, amendments) "
    "VALUES (new.id, new.title, new.summary, new.text, " + _sqlite_amendments("new") + ");"
)
_SQLITE_INDEX_ALL = (
    "INSERT INTO position_search (rowid, title, summary, text, amendments) "
    "SELECT p.id, p.title, p.summary, p.text, " + _sqlite_amendments("p") + " FROM positions p"
)


def _sqlite_create() -> list[str]:
    return [
        "CREATE VIRTUAL TABLE IF NOT EXISTS position_search USING fts5(title, summary, text, amendments, "
        "tokenize = 'porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER IF NOT EXISTS position_search_insert AFTER INSERT ON positions BEGIN "
        + _SQLITE_INSERT_NEW + " END",
        "CREATE TRIGGER IF NOT EXISTS position_search_update AFTER UPDATE OF title, summary, text, amendments "
        "ON positions BEGIN DELETE FROM position_search WHERE rowid = old.id; "
        + _SQLITE_INSERT_NEW + " END",
        "CREATE TRIGGER IF NOT EXISTS position_search_delete AFTER DELETE ON positions BEGIN "
        "DELETE FROM position_search WHERE rowid = old.id; END",
    ]


def _sqlite_drop() -> list[str]:
    return [
        "DROP TRIGGER IF EXISTS position_search_insert",
        "DROP TRIGGER IF EXISTS position_search_update",
        "DROP TRIGGER IF EXISTS position_search_delete",
        "DROP TABLE IF EXISTS position_search",
    ]


def create(connection) -> None:
    """Build the index objects (idempotent) and index the positions already there."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        for statement in _postgresql_create():
            connection.execute(text(statement))
        connection.execute(text("UPDATE positions SET language = language"))  # fires the trigger
    elif dialect == "sqlite":
        for statement in _sqlite_create():
            connection.execute(text(statement))
        connection.execute(text("DELETE FROM position_search"))
        connection.execute(text(_SQLITE_INDEX_ALL))


def drop(connection) -> None:
    dialect = connection.dialect.name
    statements = {"postgresql": _postgresql_drop, "sqlite": _sqlite_drop}.get(dialect, list)()
    for statement in statements:
        connection.execute(text(statement))


def include_name(name, type_, parent_names) -> bool:
    """For Alembic: the index objects are not the ORM's, so autogenerate neither drops nor adds them."""
    if type_ == "table":
        return not (name or "").startswith(SQLITE_TABLE)
    if type_ == "column" or type_ == "index":
        return name not in (PG_COLUMN, PG_INDEX)
    return True


# `db.create_all()` (the tests, a fresh development database) gets the same objects as the migration.
event.listen(Position.__table__, "after_create", lambda target, connection, **kw: create(connection))
event.listen(Position.__table__, "before_drop", lambda target, connection, **kw: drop(connection))

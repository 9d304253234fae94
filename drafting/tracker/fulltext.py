"""Asking the database's full-text index (drafting.models.fulltext) what matches the search box.

The search box speaks the syntax of PostgreSQL's `websearch_to_tsquery`: words (all must match),
"quoted phrases", `-word` to exclude, and `or` between alternatives. PostgreSQL parses it itself, once
per language (each position is indexed with its own language's stemmer); for SQLite the same syntax is
translated here into an FTS5 expression in which every word is a quoted string, so nothing the user
types can be an FTS5 syntax error.

Snippets come from `ts_headline` or FTS5's `snippet` with two control characters as delimiters (stored
text never holds control characters: forms drop them); `marked` escapes everything and turns only those
delimiters into <mark>.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    case,
    false,
    func,
    literal,
    literal_column,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.sql import column, table

from drafting.extensions import db
from drafting.models import Position
from drafting.models.fulltext import PG_COLUMN, PG_CONFIGS, SQLITE_TABLE, pg_config_sql

START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 24
# ts_headline re-reads the text it marks: the snippet is taken from the first characters only, so that
# its cost does not grow with a 100,000-character position.
SNIPPET_SOURCE_CHARS = 6_000


# The websearch syntax ---------------------------------------------------------------------------

@dataclass
class Clause:
    words: list[str]
    excluded: bool = False


@dataclass
class Alternative:
    """Clauses that must all hold; alternatives are joined by `or`."""

    clauses: list[Clause] = field(default_factory=list)

    @property
    def included(self) -> list[Clause]:
        return [c for c in self.clauses if not c.excluded]

    @property
    def excluded(self) -> list[Clause]:
        return [c for c in self.clauses if c.excluded]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse(query: str) -> list[Alternative]:
    """`cities "local authorities" -detention or reception` as alternatives of clauses."""
    alternatives = [Alternative()]
    for match in _TOKEN.finditer(query):
        negation, phrase, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            if alternatives[-1].clauses:
                alternatives.append(Alternative())
            continue
        if bare is not None:
            negation = "-" if bare.startswith("-") else ""
            phrase = bare.lstrip("-")
        words = _WORD.findall(phrase)
        if words:
            alternatives[-1].clauses.append(Clause(words=words, excluded=bool(negation)))
    return [a for a in alternatives if a.clauses]


def _fts5_phrase(clause: Clause) -> str:
    # A quoted FTS5 string is one phrase; a double quote inside it would be doubled, but \w+ holds none.
    return '"' + " ".join(clause.words) + '"'


def fts5_expression(alternatives: list[Alternative]) -> str | None:
    """The FTS5 MATCH expression of the alternatives that include something, or None.

    FTS5 has no "everything but": an alternative made only of exclusions is handled in SQL instead
    (see `_sqlite_condition`)."""
    parts = []
    for alternative in alternatives:
        if not alternative.included:
            continue
        expression = " AND ".join(_fts5_phrase(c) for c in alternative.included)
        if alternative.excluded:
            expression = f"({expression}) NOT ({' OR '.join(_fts5_phrase(c) for c in alternative.excluded)})"
        parts.append(f"({expression})")
    return " OR ".join(parts) or None


# Matching, ranking, snippets --------------------------------------------------------------------

_fts = table(SQLITE_TABLE, column("rowid"))


@dataclass
class FullTextMatch:
    """The condition to add to a query of positions, the relevance to order by, and how to get snippets."""

    condition: ColumnElement
    rank: ColumnElement | None
    query: str

    def snippets(self, position_ids: list[int]) -> dict[int, Markup]:
        if not position_ids or self.rank is None:
            return {}
        if db.engine.dialect.name == "postgresql":
            statement = select(Position.id, func.ts_headline(
                literal_column(pg_config_sql("positions.language")),
                func.left(func.concat_ws(" ", Position.summary, Position.text), SNIPPET_SOURCE_CHARS),
                _pg_query(highlighted_words(self.query)), literal(_HEADLINE_OPTIONS),
            )).where(Position.id.in_(position_ids))
            rows = db.session.execute(statement)
        else:
            rows = db.session.execute(
                text("SELECT rowid, snippet(position_search, -1, :start, :stop, :ellipsis, :words) "
                     "FROM position_search WHERE position_search MATCH :match AND rowid IN :ids")
                .bindparams(bindparam("ids", expanding=True)),
                {"start": START, "stop": STOP, "ellipsis": "…", "words": SNIPPET_WORDS,
                 "match": fts5_expression(parse(self.query)), "ids": list(position_ids)})
        return {position_id: marked(snippet) for position_id, snippet in rows if snippet}


def highlighted_words(query: str) -> str:
    """The words a snippet marks: every word the query looks for, as alternatives. ts_headline given
    the phrase itself checks word positions in every fragment it considers (four times slower on a
    phrase of two common words); the phrase's words are marked instead, which is what the reader looks for."""
    words = dict.fromkeys(word for alternative in parse(query) for clause in alternative.included
                          for word in clause.words)
    return " or ".join(words) or query


_HEADLINE_OPTIONS = (f'StartSel="{START}", StopSel="{STOP}", MaxWords={SNIPPET_WORDS}, MinWords=10, '
                     'MaxFragments=2, FragmentDelimiter=" … "')


def marked(snippet: str) -> Markup:
    """Escape the snippet and mark the matched words; nothing of the stored text becomes markup."""
    out = []
    for index, piece in enumerate(re.split(f"[{START}{STOP}]", snippet)):
        # Pieces alternate outside / inside the delimiters.
        out.append(Markup("<mark>{}</mark>").format(piece) if index % 2 else escape(piece))
    return Markup("").join(out)


def _pg_query_for(config: str, query: str) -> ColumnElement:
    return func.websearch_to_tsquery(literal_column(f"'{config}'::regconfig"), literal(query))


def _pg_query(query: str) -> ColumnElement:
    """The parsed query in the row's own language."""
    return case(
        *((Position.language == code, _pg_query_for(config, query)) for code, config in PG_CONFIGS.items()),
        else_=_pg_query_for(PG_CONFIGS["ar"], query),
    )


def match(query: str) -> FullTextMatch | None:
    """None for an empty box (nothing to filter); a box without any word (`%`, `-`) matches nothing."""
    if not query.strip():
        return None
    alternatives = parse(query)
    if not alternatives:
        return FullTextMatch(condition=false(), rank=None, query=query)
    if db.engine.dialect.name == "postgresql":
        document = literal_column(f"positions.{PG_COLUMN}")
        condition = or_(*(
            and_(Position.language == code, document.op("@@")(_pg_query_for(config, query)))
            for code, config in PG_CONFIGS.items()
        ))
        return FullTextMatch(condition=condition, rank=func.ts_rank(document, _pg_query(query)), query=query)
    return FullTextMatch(condition=_sqlite_condition(alternatives), rank=_sqlite_rank(alternatives), query=query)


def _sqlite_matching(expression: str) -> ColumnElement:
    return Position.id.in_(select(_fts.c.rowid).where(text(f"{SQLITE_TABLE} MATCH :m").bindparams(m=expression)))


def _sqlite_condition(alternatives: list[Alternative]) -> ColumnElement:
    conditions = []
    expression = fts5_expression(alternatives)
    if expression:
        conditions.append(_sqlite_matching(expression))
    for alternative in alternatives:
        if not alternative.included:  # only exclusions: every position without those words
            conditions.append(not_(_sqlite_matching(" OR ".join(_fts5_phrase(c) for c in alternative.excluded))))
    return or_(*conditions)


def _sqlite_rank(alternatives: list[Alternative]) -> ColumnElement | None:
    expression = fts5_expression(alternatives)
    if not expression:
        return None
    # bm25 is lower for better matches; weights favour the title, then the summary.
    return (
        select(literal_column(f"-bm25({SQLITE_TABLE}, 10.0, 4.0, 1.0, 1.0)"))
        .select_from(_fts)
        .where(text(f"{SQLITE_TABLE} MATCH :rank_match").bindparams(rank_match=expression),
               _fts.c.rowid == Position.id)
        .scalar_subquery()
    )

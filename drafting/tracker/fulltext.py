"""Asking the database's full-text index (drafting.models.fulltext) what matches the search box.

The search box speaks the syntax of PostgreSQL's `websearch_to_tsquery`: words (all must match),
"quoted phrases", `-word` to exclude, and `or` between alternatives. PostgreSQL parses it itself, once
per language (each position is indexed with its own language's stemmer); for SQLite the same syntax is
translated here into an FTS5 expression in which every word is a quoted string, so nothing the user
types can be an FTS5 syntax error.

Snippets come from `ts_headline` or FTS5's `snippet` with two control characters as delimiters (stored
text never holds control characters: forms drop them); `marked` escapes everything and turns only those
delimiters into <mark>. They are a column of the statement that reads the rows shown (`with_snippet`).
`ts_headline` parses, stems and unaccents every word it is given, so it is given a window of the text only:
a regular expression finds where the first word of the query roughly begins (its first letters, any
accent, any case), and the window is a few lines around it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    text,
)
from sqlalchemy.sql import Select, column, table

from drafting.extensions import db
from drafting.models import Position
from drafting.models.fulltext import PG_COLUMN, PG_CONFIGS, SQLITE_TABLE, pg_config_sql

START, STOP = "\x02", "\x03"
SNIPPET_WORDS = 24
# Where the snippet may come from: the first characters of the summary and text, so that its cost does
# not grow with a 100,000-character position. ts_headline parses every character it is given,
# so it is given a window around the first likely match only.
SNIPPET_SOURCE_CHARS = 6_000
SNIPPET_BEFORE_CHARS = 120
SNIPPET_WINDOW_CHARS = 360


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
#
# The SQL is built once per database, with the box's text as bind parameters (`FullTextMatch.params`):
# building the expressions anew for each request cost more than running some of them.

QUERY = "fulltext_query"  # the box, for websearch_to_tsquery (PostgreSQL)
MARKED = "fulltext_marked"  # the words a snippet marks (PostgreSQL)
PATTERN = "fulltext_pattern"  # where a snippet's window starts (PostgreSQL)
FTS5_MATCH = "fulltext_match"  # the FTS5 expression of the words to rank by and mark (SQLite)

_fts = table(SQLITE_TABLE, column("rowid"))


@dataclass
class FullTextMatch:
    """The condition to add to a query of positions, the values of its bind parameters and of those of
    `rank` and `with_snippet`, and whether there are words to rank by and to mark (not with only
    exclusions: `-detention`)."""

    condition: ColumnElement
    params: dict[str, str]
    has_words: bool
    # PostgreSQL: the condition as one branch per language (`condition` is their OR). A first pass over
    # the matches reads them as UNION ALL, so that each branch's index condition is the whole check:
    # an OR of branches is checked again on every row the index finds (a phrase re-reads its positions).
    branches: tuple[ColumnElement, ...] = ()


def match(query: str) -> FullTextMatch | None:
    """None for an empty box (nothing to filter); a box without any word (`%`, `-`) matches nothing."""
    if not query.strip():
        return None
    alternatives = parse(query)
    if not alternatives:
        return FullTextMatch(condition=false(), params={}, has_words=False)
    words = _included_words(query)
    if db.engine.dialect.name == "postgresql":
        params = {QUERY: query, MARKED: highlighted_words(query), PATTERN: first_word_pattern(words)}
        return FullTextMatch(condition=or_(*_PG_BRANCHES), branches=_PG_BRANCHES, has_words=bool(words),
                             params=params)
    expression = fts5_expression(alternatives)
    return FullTextMatch(condition=_sqlite_condition(alternatives), has_words=expression is not None,
                         params={FTS5_MATCH: expression} if expression else {})


def rank() -> ColumnElement:
    """The relevance of a position (higher is better), for a query with words."""
    if db.engine.dialect.name == "postgresql":
        return func.ts_rank(literal_column(f"positions.{PG_COLUMN}"), _pg_tsquery(Position.language, QUERY))
    # bm25 is lower for better matches; weights favour the title, then the summary.
    return (
        select(literal_column(f"-bm25({SQLITE_TABLE}, 10.0, 4.0, 1.0, 1.0)"))
        .select_from(_fts)
        .where(text(f"{SQLITE_TABLE} MATCH :{FTS5_MATCH}"), _fts.c.rowid == Position.id)
        .scalar_subquery()
    )


def with_snippet(rows: Select) -> Select:
    """`rows` (a select from positions that has `language` among its columns) with one more column,
    `snippet`: an extract of the summary and text with the matched words between START and STOP, for a
    query with words. Meant for the rows shown only: the extract costs far more than the match."""
    if db.engine.dialect.name != "postgresql":
        return rows.add_columns(
            select(func.snippet(literal_column(SQLITE_TABLE), -1, START, STOP, "…", SNIPPET_WORDS))
            .select_from(_fts)
            .where(text(f"{SQLITE_TABLE} MATCH :{FTS5_MATCH}"), _fts.c.rowid == Position.id)
            .scalar_subquery().label("snippet"))
    # Four levels, each kept apart by OFFSET 0 (else PostgreSQL merges them and evaluates an expression
    # once for each use of it): the source text (read from TOAST once), where its window starts (the
    # regular expression once), the window (counting characters into UTF-8 text costs 30 µs a row here,
    # so once), then the window without the words cut at its ends, and its headline.
    names = list(rows.selected_columns.keys())
    source = func.left(func.concat_ws(" ", Position.summary, Position.text), SNIPPET_SOURCE_CHARS)
    sourced = rows.add_columns(source.label("snippet_source")).offset(0).subquery("shown_source")
    # The first match's text, then where it is: regexp_instr would find every match in the text first.
    first = func.strpos(sourced.c.snippet_source,
                        func.substring(sourced.c.snippet_source, bindparam(PATTERN, type_=String)))
    started = select(*(sourced.c[name] for name in names), sourced.c.snippet_source,
                     func.greatest(func.coalesce(first, 0) - SNIPPET_BEFORE_CHARS, 1).label("snippet_start"),
                     ).offset(0).subquery("shown_start")
    # One character more than the window says whether the text goes on after it.
    cut = select(*(started.c[name] for name in names), started.c.snippet_start, func.substr(
        started.c.snippet_source, started.c.snippet_start, SNIPPET_WINDOW_CHARS + 1).label("snippet_cut"),
    ).offset(0).subquery("shown")
    return select(*(cut.c[name] for name in names), func.ts_headline(
        literal_column(pg_config_sql("shown.language")),
        _window(cut.c.snippet_cut, cut.c.snippet_start),
        _pg_tsquery(cut.c.language, MARKED), literal_column(f"'{_HEADLINE_OPTIONS}'"),
    ).label("snippet"))


def _window(cut: ColumnElement, start: ColumnElement) -> ColumnElement:
    """The window `cut` (SNIPPET_WINDOW_CHARS + 1 characters of the text from character `start`) without
    the words cut at either end."""
    head = case((start > 1, func.substr(cut, func.strpos(cut, " ") + 1)), else_=cut)
    return case((func.length(cut) > SNIPPET_WINDOW_CHARS,
                 func.left(head, func.length(head) - func.strpos(func.reverse(head), " "))), else_=head)


# Every accented form of a letter, for a pattern that finds a word with or without its accents (as the
# index, which removes them, does).
_ACCENTED: dict[str, str] = {}
for _code in range(0xC0, 0x250):
    _char = chr(_code)
    _base = unicodedata.normalize("NFKD", _char)[0]
    if _base.isascii() and _base.isalpha() and _char.lower() == _char:
        _ACCENTED[_base.lower()] = _ACCENTED.get(_base.lower(), _base.lower()) + _char


def _unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


def first_word_pattern(words: list[str]) -> str:
    """A PostgreSQL regular expression for a word that starts like one of `words`, in any case: its
    first letters (a stem is about a word less its last three letters: "housing" -> "hous", "cities" ->
    "cit"), with or without accents. A hint of where to cut the snippet's window, not the match itself:
    ts_headline marks what the index would match."""
    prefixes = []
    for word in words:
        plain = _unaccented(word)
        prefix = plain[:max(3, len(plain) - 3)]
        prefixes.append("".join(f"[{_ACCENTED[c]}]" if c in _ACCENTED else c for c in prefix))
    # \w+ words only (parse): nothing in them is special to the regular expression.
    return "(?i)\\m(?:" + "|".join(dict.fromkeys(prefixes)) + ")"


def highlighted_words(query: str) -> str:
    """The words a snippet marks: every word the query looks for, as alternatives. ts_headline given
    the phrase itself checks word positions in every fragment it considers (four times slower on a
    phrase of two common words); the phrase's words are marked instead, which is what the reader looks for."""
    return " or ".join(_included_words(query)) or query


def _included_words(query: str) -> list[str]:
    return list(dict.fromkeys(word for alternative in parse(query) for clause in alternative.included
                              for word in clause.words))


_HEADLINE_OPTIONS = (f'StartSel="{START}", StopSel="{STOP}", MaxWords={SNIPPET_WORDS}, MinWords=10, '
                     'MaxFragments=2, FragmentDelimiter=" … "')


_DELIMITER = re.compile(f"[{START}{STOP}]")


def marked(snippet: str) -> Markup:
    """Escape the snippet and mark the matched words; nothing of the stored text becomes markup."""
    # Pieces alternate outside / inside the delimiters. Plain strings joined once (Markup.format and
    # Markup.join escape again what they are given, once per marked word).
    escaped = str(escape(snippet))
    pieces = _DELIMITER.split(escaped)
    inside = (f"<mark>{piece}</mark>" if index % 2 else piece for index, piece in enumerate(pieces))
    return Markup("".join(inside))  # noqa: S704 (every piece escaped above)


def _pg_tsquery(language: ColumnElement, parameter: str) -> ColumnElement:
    """The bind parameter `parameter` parsed in the language `language` (the planner parses each branch
    once, not once a row)."""
    value = bindparam(parameter, type_=String)
    return case(
        *((language == literal_column(f"'{code}'"),
           func.websearch_to_tsquery(literal_column(f"'{config}'::regconfig"), value))
          for code, config in PG_CONFIGS.items() if code != "ar"),
        else_=func.websearch_to_tsquery(literal_column(f"'{PG_CONFIGS['ar']}'::regconfig"), value),
    )


def _make_pg_branches() -> tuple[ColumnElement, ...]:
    """Each position matched in its own language: one branch per language, each served by the index."""
    document = literal_column(f"positions.{PG_COLUMN}")
    value = bindparam(QUERY, type_=String)
    return tuple(
        and_(Position.language == literal_column(f"'{code}'"),
             document.op("@@")(func.websearch_to_tsquery(literal_column(f"'{config}'::regconfig"), value)))
        for code, config in PG_CONFIGS.items()
    )


# Built once, at import: plain SQL expressions with a bind parameter, the same for every search.
_PG_BRANCHES = _make_pg_branches()


def _sqlite_matching(expression: str) -> ColumnElement:
    return Position.id.in_(select(_fts.c.rowid).where(
        text(f"{SQLITE_TABLE} MATCH :m").bindparams(bindparam("m", expression, unique=True))))


def _sqlite_condition(alternatives: list[Alternative]) -> ColumnElement:
    conditions = []
    expression = fts5_expression(alternatives)
    if expression:
        conditions.append(_sqlite_matching(expression))
    for alternative in alternatives:
        if not alternative.included:  # only exclusions: every position without those words
            conditions.append(not_(_sqlite_matching(" OR ".join(_fts5_phrase(c) for c in alternative.excluded))))
    return or_(*conditions)

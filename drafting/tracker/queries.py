"""The secretariat's view of all positions: counts for the tracker, the search, and rows for exports.

Nothing here knows about the request: the views hand over plain values (a user, a date, a mapping of
filters) and render what comes back, so the same queries serve the pages, the exports and the tests.
Each function issues a fixed number of SQL statements, whatever the number of positions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup
from sqlalchemy import (
    Integer,
    Select,
    String,
    any_,
    bindparam,
    case,
    cast,
    func,
    null,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql

from drafting import pagination, permissions
from drafting.core.languages import column_in_current_language
from drafting.core.memo import memoized
from drafting.extensions import db
from drafting.forms import record_id
from drafting.models import (
    LANGUAGES,
    STAGES,
    Milestone,
    Organisation,
    Position,
    PositionCount,
    User,
    stages,
)
from drafting.pagination import Page
from drafting.positions import workflow
from drafting.positions.queries import THEME_IDS, filter_positions
from drafting.reference.snapshot import MilestoneName, OrganisationName, ReferenceNames, ThemeName, reference_names
from drafting.text import collapse_whitespace, xml_safe
from drafting.tracker import fulltext

# A draft is flagged when its submission deadline is this close (as the reminders do).
DUE_SOON_DAYS = workflow.DUE_SOON.days

SEARCH_PER_PAGE = 25
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10


# The tracker -----------------------------------------------------------------------------------

@dataclass
class TrackerCell:
    """The positions of one organisation for one milestone, by stage, and what needs attention."""

    milestone: MilestoneName
    organisation: OrganisationName
    by_stage: dict[str, int] = field(default_factory=dict)
    overdue_reviews: int = 0
    drafts_due_soon: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())


@dataclass
class TrackerRow:
    milestone: MilestoneName
    cells: list[TrackerCell]
    review_overdue: bool

    @property
    def total(self) -> int:
        return sum(cell.total for cell in self.cells)

    @property
    def overdue_reviews(self) -> int:
        return sum(cell.overdue_reviews for cell in self.cells)

    @property
    def drafts_due_soon(self) -> int:
        return sum(cell.drafts_due_soon for cell in self.cells)

    def stage_total(self, stage: str) -> int:
        return sum(cell.by_stage.get(stage, 0) for cell in self.cells)


@dataclass
class Tracker:
    today: date
    organisations: list[OrganisationName]
    rows: list[TrackerRow]

    @property
    def overdue_reviews(self) -> int:
        return sum(row.overdue_reviews for row in self.rows)

    @property
    def drafts_due_soon(self) -> int:
        return sum(row.drafts_due_soon for row in self.rows)

    def positions_per_milestone(self) -> dict[int, int]:
        return {row.milestone.id: row.total for row in self.rows}


def tracked(names: ReferenceNames, having) -> tuple[list[MilestoneName], list[OrganisationName]]:
    """The milestones that take positions and any other that has some, in calendar order; the networks
    that write positions and any other organisation that has some, by short name. `having`: the
    (milestone id, organisation id) pairs that have positions (from `position_counts`)."""
    milestones = {milestone_id for milestone_id, _ in having}
    organisations = {organisation_id for _, organisation_id in having}
    return ([m for m in names.milestones.values() if m.takes_positions or m.id in milestones],
            [o for o in names.organisations.values() if o.contributes_positions or o.id in organisations])


def build_tracker(today: date) -> Tracker:
    """Counts per milestone, organisation and stage; two statements in all, none of which reads the
    positions table whole: the counts come from `position_counts` (kept by triggers), the drafts due soon
    from those counts plus the few positions with an extension, and the milestones and networks from the
    in-memory reference data (drafting.reference.snapshot)."""
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for milestone_id, organisation_id, stage, count in db.session.execute(
        select(PositionCount.milestone_id, PositionCount.organisation_id, PositionCount.stage, PositionCount.count)
        .where(PositionCount.count > 0)
    ):
        counts[(milestone_id, organisation_id)][stage] = count
    milestones, organisations = tracked(reference_names(), counts)
    organisations = sorted(organisations, key=lambda o: o.id)
    due_soon = drafts_due_soon(today, milestones, counts)
    rows = []
    for milestone in milestones:
        overdue = milestone.review_overdue(today)
        cells = []
        for organisation in organisations:
            by_stage = counts.get((milestone.id, organisation.id), {})
            cells.append(TrackerCell(
                milestone=milestone,
                organisation=organisation,
                by_stage=by_stage,
                overdue_reviews=sum(by_stage.get(s, 0) for s in stages.AWAITING_REVIEW) if overdue else 0,
                drafts_due_soon=due_soon.get((milestone.id, organisation.id), 0),
            ))
        rows.append(TrackerRow(milestone=milestone, cells=cells, review_overdue=overdue))
    return Tracker(today=today, organisations=organisations, rows=rows)


def drafts_due_soon(today: date, milestones: list[MilestoneName],
                    counts: Mapping[tuple[int, int], Mapping[str, int]]) -> dict[tuple[int, int], int]:
    """Per (milestone, organisation), the positions awaiting submission whose deadline
    (workflow.submission_deadline) falls within DUE_SOON of today.

    Without an extension, a position's deadline is its milestone's: those are counted from `counts`.
    An extension moves it (only later): the positions that have one, few and indexed, are corrected one by one."""
    last_day = today + workflow.DUE_SOON

    def due(deadline: date | None) -> int:
        return int(deadline is not None and today <= deadline <= last_day)

    by_id = {milestone.id: milestone for milestone in milestones}
    found: dict[tuple[int, int], int] = defaultdict(int)
    for (milestone_id, organisation_id), by_stage in counts.items():
        if due(workflow.deadline_with_extension(by_id.get(milestone_id), None)):
            found[(milestone_id, organisation_id)] += sum(by_stage.get(s, 0) for s in stages.AWAITING_SUBMISSION)
    for milestone_id, organisation_id, extended_until in db.session.execute(
        select(Position.milestone_id, Position.organisation_id, Position.extended_until)
        .where(Position.extended_until.is_not(None), Position.stage.in_(stages.AWAITING_SUBMISSION))
    ):
        milestone = by_id.get(milestone_id)
        found[(milestone_id, organisation_id)] += (due(workflow.deadline_with_extension(milestone, extended_until))
                                                   - due(workflow.deadline_with_extension(milestone, None)))
    return {key: count for key, count in found.items() if count}


# Search ----------------------------------------------------------------------------------------

def _positive_int(value) -> int | None:
    try:
        return record_id(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class SearchCriteria:
    """What the search form asks for; anything that cannot be understood is dropped, not refused."""

    q: str = ""
    milestone: int | None = None
    organisation: int | None = None
    theme: int | None = None
    stage: str | None = None
    language: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping) -> SearchCriteria:
        stage = (args.get("stage") or "").strip()
        language = (args.get("language") or "").strip()
        return cls(
            # Control characters (a NUL in particular, which PostgreSQL refuses) cannot match anything.
            q=collapse_whitespace(xml_safe(args.get("q") or ""))[:MAX_QUERY_LENGTH],
            milestone=_positive_int(args.get("milestone")),
            organisation=_positive_int(args.get("organisation")),
            theme=_positive_int(args.get("theme")),
            stage=stage if stage in STAGES else None,
            language=language if language in LANGUAGES else None,
            page=_positive_int(args.get("page")) or 1,
        )

    @property
    def words(self) -> list[str]:
        return self.q.split()[:MAX_WORDS]

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.milestone or self.organisation or self.theme or self.stage
                    or self.language)

    def as_args(self) -> dict[str, str | int]:
        """The criteria as query-string arguments (for the pager and links), without the page."""
        values = {"q": self.q, "milestone": self.milestone, "organisation": self.organisation,
                  "theme": self.theme, "stage": self.stage, "language": self.language}
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A line of the results: the columns the list shows, read as values (no ORM object per row), and
    what it names from the in-memory reference data (drafting.reference.snapshot)."""

    id: int
    title: str
    language: str
    stage: str
    updated_at: datetime
    organisation: OrganisationName | None
    milestone: MilestoneName | None
    themes: list[ThemeName]
    snippet: Markup | None

    @property
    def is_rtl(self) -> bool:
        return self.language == "ar"


@dataclass
class SearchResults:
    """A page of `SearchRow`s; ordered by relevance unless too many match to rank."""

    page: Page
    by_relevance: bool


def search_positions(user: User | None, criteria: SearchCriteria, choices: SearchChoices) -> SearchResults:
    """The positions this user may see that match the words and every filter.

    The words go to the database's full-text index (drafting.tracker.fulltext). A first pass reads the
    ids of the matches, up to the count cap; while they fit under it, they are ranked and the page's
    rows are read best first. Beyond it, the newest come first, which an index serves. The rows shown are
    read in one statement with what the list shows: their columns, their themes and their snippet.
    """
    query = filter_positions(permissions.visible_positions(user).with_only_columns(Position.id),
                             milestone=criteria.milestone, organisation=criteria.organisation,
                             stage=criteria.stage, language=criteria.language, theme=criteria.theme)
    found = fulltext.match(criteria.q)
    params = found.params if found is not None else {}
    filtered = query
    if found is not None:
        query = query.where(found.condition)
    start = (criteria.page - 1) * SEARCH_PER_PAGE
    has_words = found is not None and found.has_words
    first = (union_all(*(filtered.where(branch) for branch in found.branches)) if found is not None and found.branches
             else query)
    # The newest page rides in the same statement, evaluated only when it is shown (no words, or more
    # matches than the cap): ids after the first 1,001 in the order of the `updated_at` index.
    newest = (query.order_by(Position.updated_at.desc(), Position.id.desc())
              .limit(SEARCH_PER_PAGE + 1).offset(start).subquery("newest"))
    found_ids, newest_ids = db.session.execute(
        _first_matches(first, select(_joined_ids(newest.c.id)).scalar_subquery(), always=not has_words),
        params).one()
    matches = _ids(found_ids)
    if has_words and len(matches) <= pagination.COUNT_CAP:
        # Ranked from the ids: the match itself (a phrase re-reads each candidate's word positions) is
        # not evaluated again, and the relevance (ts_rank: most of the cost of a match) only while the
        # matches fit under the cap.
        rows = _search_rows(_rows_statement(ranked=True, snippets=True), choices,
                            {**params, "ids": matches, "limit": SEARCH_PER_PAGE, "offset": start})
        page = Page(items=rows, page=criteria.page, per_page=SEARCH_PER_PAGE, total=len(matches),
                    total_capped=False, has_next=len(matches) > start + SEARCH_PER_PAGE)
        return SearchResults(page=page, by_relevance=True)
    # No words, or too many matches to rank: the newest first, which an index serves.
    total, capped = min(len(matches), pagination.COUNT_CAP), len(matches) > pagination.COUNT_CAP
    rows = _search_rows(_rows_statement(ranked=False, snippets=has_words), choices,
                        {**params, "ids": _ids(newest_ids)})
    page = Page(items=rows[:SEARCH_PER_PAGE], page=criteria.page, per_page=SEARCH_PER_PAGE,
                total=total, total_capped=capped, has_next=len(rows) > SEARCH_PER_PAGE)
    return SearchResults(page=page, by_relevance=False)


def _first_matches(query, newest, *, always: bool) -> Select:
    """The ids of the first COUNT_CAP + 1 matches of `query` (a select of ids), in no order, as one
    string "4,17,…" (1,001 rows through the result machinery cost more than the statement), and the
    scalar subquery `newest` when there are more than COUNT_CAP of them or `always`. PostgreSQL is told
    to plan the match as if it read every row (MATERIALIZED): a bitmap of the index for a rare match (a
    phrase of common words, where the plan for "the first 1,001" would walk the whole table), the table itself
    for a common word; it still stops after 1,001. An
    uncorrelated subquery in a CASE is evaluated only if its branch is taken, on both databases."""
    matches = query.cte("matches").prefix_with("MATERIALIZED", dialect="postgresql")
    first = select(matches.c.id).limit(pagination.COUNT_CAP + 1).subquery("first_matches")
    counted = select(_joined_ids(first.c.id).label("ids"), func.count().label("found")).subquery("counted")
    return select(counted.c.ids, newest if always else case((counted.c.found > pagination.COUNT_CAP, newest)))


def _joined_ids(column):
    return func.aggregate_strings(cast(column, String), ",")


def _ids(joined: str | None) -> list[int]:
    return [int(i) for i in joined.split(",")] if joined else []


def _rows_statement(*, ranked: bool, snippets: bool) -> Select:
    """The statement that reads the rows shown, built once per database: the positions `ids` (bind
    parameter), or with `ranked` the page `limit`, `offset` of them by relevance (the full-text bind
    parameters of drafting.tracker.fulltext), each with its themes' ids and, with `snippets`, a snippet."""
    return _rows_statement_for(db.engine.dialect.name, ranked, snippets)


@memoized(maxsize=16)
def _rows_statement_for(dialect: str, ranked: bool, snippets: bool) -> Select:
    if dialect == "postgresql":
        among = Position.id == any_(bindparam("ids", type_=postgresql.ARRAY(Integer)))
    else:
        among = Position.id.in_(bindparam("ids", expanding=True))
    page = select(Position.id).where(among)
    if ranked:
        relevance = fulltext.rank().label("rank")
        page = (page.add_columns(relevance)
                .order_by(relevance.desc(), Position.updated_at.desc(), Position.id.desc())
                .limit(bindparam("limit", type_=Integer)).offset(bindparam("offset", type_=Integer)))
    else:
        page = page.add_columns(null().label("rank"))
    page = page.subquery("page")
    statement = select(Position.id, Position.title, Position.language, Position.stage, Position.updated_at,
                       Position.organisation_id, Position.milestone_id, THEME_IDS.label("themes"), page.c.rank,
                       ).join_from(page, Position, Position.id == page.c.id)
    return (fulltext.with_snippet(statement) if snippets
            else statement.add_columns(null().label("snippet")))


def _search_rows(statement: Select, choices: SearchChoices, params: dict) -> list[SearchRow]:
    """The rows of `statement` (`_rows_statement`): best first when ranked, else the newest first."""
    names = choices.names
    rows = []
    for (id_, title, language, stage, updated_at, organisation_id, milestone_id, theme_ids, relevance,
         snippet) in db.session.execute(statement, params):
        rows.append((relevance or 0, updated_at, id_, SearchRow(
            id=id_, title=title, language=language, stage=stage, updated_at=updated_at,
            organisation=names.organisations.get(organisation_id), milestone=names.milestones.get(milestone_id),
            themes=names.themes_named(int(i) for i in theme_ids.split(",")) if theme_ids else [],
            snippet=fulltext.marked(snippet) if snippet else None,
        )))
    rows.sort(key=lambda row: row[:3], reverse=True)
    return [row[3] for row in rows]


@dataclass
class SearchChoices:
    """The form's choices, and the names the rows show, from the in-memory reference data."""

    milestones: list[MilestoneName]
    organisations: list[OrganisationName]
    themes: list[ThemeName]
    names: ReferenceNames


def search_choices() -> SearchChoices:
    """Milestones that take positions and networks that write them, and any other that has some (read
    from `position_counts`, a few dozen rows); every theme."""
    names = reference_names()
    having = db.session.execute(select(PositionCount.milestone_id, PositionCount.organisation_id)
                                .where(PositionCount.count > 0)).all()
    milestones, organisations = tracked(names, having)
    return SearchChoices(milestones=milestones, organisations=organisations, themes=list(names.themes_in_order),
                         names=names)


# Exports ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PositionLine:
    id: int
    title: str
    organisation: str
    milestone: str
    stage: str
    language: str
    submitted_at: datetime | None
    approved_at: datetime | None


def milestone_name_column():
    """The milestone's name in the reader's language, falling back to English, as a column."""
    return column_in_current_language(Milestone, "name")


def position_lines() -> list[PositionLine]:
    """Every position, one line each, in calendar order of the milestones: one statement."""
    query = (
        select(Position.id, Position.title, Organisation.short_name, milestone_name_column(), Position.stage,
               Position.language, Position.submitted_at, Position.approved_at)
        .join(Organisation, Position.organisation_id == Organisation.id)
        .join(Milestone, Position.milestone_id == Milestone.id)
        .order_by(Milestone.start_date, Milestone.id, Organisation.id, Position.id)
    )
    return [PositionLine(*row) for row in db.session.execute(query)]

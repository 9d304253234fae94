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
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from drafting import permissions
from drafting.extensions import db
from drafting.forms import record_id
from drafting.models import LANGUAGES, STAGES, Milestone, Organisation, Position, Theme, User, position_themes
from drafting.models._columns import TRANSLATED_LANGUAGES, reader_language
from drafting.pagination import Page, count_capped, paginate
from drafting.positions import workflow
from drafting.text import xml_safe
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

    milestone: Milestone
    organisation: Organisation
    by_stage: dict[str, int] = field(default_factory=dict)
    overdue_reviews: int = 0
    drafts_due_soon: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())


@dataclass
class TrackerRow:
    milestone: Milestone
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
    organisations: list[Organisation]
    rows: list[TrackerRow]

    @property
    def overdue_reviews(self) -> int:
        return sum(row.overdue_reviews for row in self.rows)

    @property
    def drafts_due_soon(self) -> int:
        return sum(row.drafts_due_soon for row in self.rows)

    def positions_per_milestone(self) -> dict[int, int]:
        return {row.milestone.id: row.total for row in self.rows}


def tracked_milestones() -> list[Milestone]:
    """Milestones that take positions, and any other that has some, in calendar order."""
    has_positions = exists().where(Position.milestone_id == Milestone.id)
    query = select(Milestone).where(or_(Milestone.submission_deadline.is_not(None), has_positions))
    return list(db.session.scalars(query.order_by(Milestone.start_date, Milestone.id)))


def contributing_organisations() -> list[Organisation]:
    """The networks that write positions, and any other organisation that has some."""
    has_positions = exists().where(Position.organisation_id == Organisation.id)
    query = select(Organisation).where(or_(Organisation.contributes_positions.is_(True), has_positions))
    return list(db.session.scalars(query.order_by(Organisation.id)))


def build_tracker(today: date) -> Tracker:
    """Counts per milestone, organisation and stage; four statements in all."""
    milestones = tracked_milestones()
    organisations = contributing_organisations()

    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for milestone_id, organisation_id, stage, count in db.session.execute(
        select(Position.milestone_id, Position.organisation_id, Position.stage, func.count())
        .group_by(Position.milestone_id, Position.organisation_id, Position.stage)
    ):
        counts[(milestone_id, organisation_id)][stage] = count

    deadline = workflow.submission_deadline_sql()
    due_soon = dict(
        ((milestone_id, organisation_id), count)
        for milestone_id, organisation_id, count in db.session.execute(
            select(Position.milestone_id, Position.organisation_id, func.count())
            .join(Milestone, Position.milestone_id == Milestone.id)
            .where(Position.stage.in_(workflow.AWAITING_SUBMISSION),
                   deadline >= today, deadline <= today + workflow.DUE_SOON)
            .group_by(Position.milestone_id, Position.organisation_id)
        )
    )

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
                overdue_reviews=sum(by_stage.get(s, 0) for s in workflow.AWAITING_REVIEW) if overdue else 0,
                drafts_due_soon=due_soon.get((milestone.id, organisation.id), 0),
            ))
        rows.append(TrackerRow(milestone=milestone, cells=cells, review_overdue=overdue))
    return Tracker(today=today, organisations=organisations, rows=rows)


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
            q=" ".join(xml_safe(args.get("q") or "").split())[:MAX_QUERY_LENGTH],
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


@dataclass
class SearchResults:
    """A page of positions with their snippets; ordered by relevance unless too many match to rank."""

    page: Page
    snippets: dict[int, Markup]
    by_relevance: bool


def search_positions(user: User | None, criteria: SearchCriteria) -> SearchResults:
    """The positions this user may see that match the words and every filter.

    The words go to the database's full-text index (drafting.tracker.fulltext). Ranking reads every
    match, so it is done only while the matches fit under the count cap; beyond that the newest come
    first, which an index serves. The list shows the organisation, the milestone and the themes, so they
    are loaded with the page, not row by row.
    """
    query = permissions.visible_positions(user)
    found = fulltext.match(criteria.q)
    if found is not None:
        query = query.where(found.condition)
    if criteria.milestone:
        query = query.where(Position.milestone_id == criteria.milestone)
    if criteria.organisation:
        query = query.where(Position.organisation_id == criteria.organisation)
    if criteria.stage:
        query = query.where(Position.stage == criteria.stage)
    if criteria.language:
        query = query.where(Position.language == criteria.language)
    if criteria.theme:
        query = query.where(exists().where(position_themes.c.position_id == Position.id,
                                           position_themes.c.theme_id == criteria.theme))
    counted = count_capped(query)
    by_relevance = found is not None and found.rank is not None and not counted[1]
    newest = (Position.updated_at.desc(), Position.id.desc())
    query = query.options(
        joinedload(Position.organisation),
        joinedload(Position.milestone),
        selectinload(Position.themes),
    ).order_by(*(((found.rank.desc(),) if by_relevance else ()) + newest))
    page = paginate(query, criteria.page, SEARCH_PER_PAGE, counted=counted)
    snippets = found.snippets([p.id for p in page.items]) if found is not None else {}
    return SearchResults(page=page, snippets=snippets, by_relevance=by_relevance)


@dataclass
class SearchChoices:
    milestones: list[Milestone]
    organisations: list[Organisation]
    themes: list[Theme]


def search_choices() -> SearchChoices:
    themes = sorted(db.session.scalars(select(Theme)), key=lambda theme: theme.sort_key)
    return SearchChoices(milestones=tracked_milestones(), organisations=contributing_organisations(),
                         themes=themes)


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
    language = reader_language()
    if language not in TRANSLATED_LANGUAGES:
        return Milestone.name
    return func.coalesce(func.nullif(getattr(Milestone, f"name_{language}"), ""), Milestone.name)


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

"""What the position page shows, gathered in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, String, cast, exists, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.functions import aggregate_strings

from drafting import permissions
from drafting.amendments.diff import Budget, Segment
from drafting.amendments.rules import KIND_LABELS, normalised, proposed_change
from drafting.clock import today
from drafting.extensions import db
from drafting.models import (
    Comment,
    CompactSection,
    Edition,
    EditionEntry,
    Milestone,
    Position,
    Revision,
    StageEvent,
    TextParagraph,
    Theme,
    User,
    position_themes,
)
from drafting.negotiated_text.following import latest_statuses
from drafting.negotiated_text.revisions import current_revision
from drafting.positions import workflow
from drafting.positions.diff import compare
from drafting.reference.snapshot import MilestoneName, OrganisationName, ThemeName, reference_names

REVIEW_DECISIONS = ("request_changes", "approve", "reject")


@dataclass(slots=True)
class ListedPosition:
    """A row of a list of positions: the few columns a list shows, its milestone, network and themes
    named from the in-memory reference data (drafting.reference.snapshot), not loaded as ORM objects."""

    id: int
    title: str
    language: str
    stage: str
    updated_at: datetime
    submitted_at: datetime | None
    milestone: MilestoneName
    organisation: OrganisationName
    themes: list[ThemeName]
    theme_labels: str  # "15. Access to basic services, 16. Inclusion", as a cell of the list shows them

    @property
    def is_rtl(self) -> bool:
        return self.language == "ar"


# The ids of a position's themes, "3,12", read with its row (one statement for a whole list).
THEME_IDS = (select(aggregate_strings(cast(position_themes.c.theme_id, String), ","))
             .where(position_themes.c.position_id == Position.id).scalar_subquery())


LISTED_COLUMNS = (Position.id, Position.title, Position.language, Position.stage, Position.updated_at,
                  Position.submitted_at, Position.milestone_id, Position.organisation_id)


def as_listed(query: Select) -> tuple[Select, Callable]:
    """A list of positions read as rows: `query` (a `select(Position)...` with the list's filters) cut
    to the columns a list shows, and what makes a `ListedPosition` of each row (for `keyset_paginate`).
    The text, summary and amendments (kilobytes a row) are left out; only a position's own page shows them."""
    names = reference_names()

    def item(row) -> ListedPosition:
        themes, labels = names.themes_listed(row[8])
        return ListedPosition(id=row[0], title=row[1], language=row[2], stage=row[3], updated_at=row[4],
                              submitted_at=row[5], milestone=names.milestones[row[6]],
                              organisation=names.organisations[row[7]], themes=themes, theme_labels=labels)

    return query.with_only_columns(*LISTED_COLUMNS, THEME_IDS), item


def filter_positions(query: Select, *, milestone: int | None = None, organisation: int | None = None,
                     stage: str | None = None, language: str | None = None, theme: int | None = None,
                     updated_since: datetime | None = None) -> Select:
    """`query` (positions) narrowed by the filters that the tracker's search and the API's list of
    positions share: each one given narrows it, each None leaves it as it is."""
    if milestone:
        query = query.where(Position.milestone_id == milestone)
    if organisation:
        query = query.where(Position.organisation_id == organisation)
    if stage:
        query = query.where(Position.stage == stage)
    if language:
        query = query.where(Position.language == language)
    if theme:
        query = query.where(exists().where(position_themes.c.position_id == Position.id,
                                           position_themes.c.theme_id == theme))
    if updated_since:
        query = query.where(Position.updated_at >= updated_since)
    return query


def last_reviewed_revision(position: Position) -> int | None:
    """The revision on which a reviewer last decided (requested changes, approved or rejected)."""
    return db.session.scalar(
        select(StageEvent.revision_number)
        .where(StageEvent.position_id == position.id, StageEvent.action.in_(REVIEW_DECISIONS))
        .order_by(StageEvent.id.desc()).limit(1)
    )


def last_reviewed_in(events: list[StageEvent]) -> int | None:
    """`last_reviewed_revision`, from the position's events already read (the position page has them)."""
    decisions = [event for event in events if event.action in REVIEW_DECISIONS]
    return max(decisions, key=lambda event: event.id).revision_number if decisions else None


@dataclass(frozen=True)
class ShownAmendment:
    """An amendment as the position page shows it: anchored, as a change against its paragraph, with
    where that paragraph is read (revision and anchor); unanchored, as it was typed."""

    amendment: dict
    change: list[Segment]
    revision_id: int | None = None
    anchor: str = ""

    @property
    def anchored(self) -> bool:
        return self.revision_id is not None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.amendment["kind"]])


def shown_amendments(amendments) -> list[ShownAmendment]:
    """In one query for all the paragraphs they are anchored to."""
    listed = normalised(amendments)
    ids = {a["paragraph_id"] for a in listed if a["paragraph_id"] is not None}
    paragraphs = {p.id: p for p in db.session.scalars(select(TextParagraph).where(TextParagraph.id.in_(ids)))} \
        if ids else {}
    shown = []
    budget = Budget()  # 200 amendments of 10,000 characters: the page's work stays bounded
    for amendment in listed:
        paragraph = paragraphs.get(amendment["paragraph_id"])
        if paragraph is None:
            shown.append(ShownAmendment(amendment, []))
            continue
        shown.append(ShownAmendment(
            amendment, proposed_change(amendment["kind"], amendment["current_text"], amendment["proposed_text"],
                                       budget),
            paragraph.revision_id, paragraph.anchor))
    return shown


@dataclass
class PositionPage:
    events: list[StageEvent]
    comments: list[Comment]
    authors: list[User]
    approvals: list
    section_names: dict[int, str]
    later_milestones: list[MilestoneName]
    successors: list[Position]
    last_reviewed: int | None
    changes_since_review: list = field(default_factory=list)
    editions: list = field(default_factory=list)
    latest_decision: StageEvent | None = None
    decision_reason: str = ""
    response: StageEvent | None = None  # the authors' response to the reviewers, with the resubmission
    amendment_statuses: dict = field(default_factory=dict)  # amendment key -> following.LatestStatus
    amendments: list[ShownAmendment] = field(default_factory=list)


def standing_decision(events: list[StageEvent], comments: list[Comment]) -> tuple[StageEvent | None, str]:
    """The reviewers' latest decision, until the position is submitted again (or reopened), with the
    reason the reader may see: a decision's comment is shared with the authors; one recorded as
    internal before decisions were always shared is shown only to those who see internal comments."""
    standing = None
    for event in events:
        if event.action in ("submit", "reopen"):
            standing = None
        elif event.action in REVIEW_DECISIONS and event.to_stage != event.from_stage:
            standing = event
    if standing is None or not standing.comment:
        return standing, ""
    visible = any(c.author_id == standing.actor_id and c.body == standing.comment
                  and c.created_at == standing.created_at for c in comments)
    return standing, standing.comment if visible else ""


def response_to_reviewers(events: list[StageEvent]) -> StageEvent | None:
    """The authors' response sent with their latest resubmission, while the reviewers have not decided
    on it yet: the submit event after the last decision, if it carries a comment."""
    response = None
    for event in events:
        if event.action in REVIEW_DECISIONS and event.to_stage != event.from_stage:
            response = None
        elif event.action == "submit":
            response = event if event.comment else None
    return response


def decision_for_authors(position: Position, user: User) -> tuple[StageEvent | None, str]:
    """`standing_decision` for the edit form, which has not read the position's events and comments."""
    events = db.session.scalars(
        select(StageEvent).where(StageEvent.position_id == position.id, StageEvent.action.in_(
            ("submit", "reopen", *REVIEW_DECISIONS))).options(joinedload(StageEvent.actor)).order_by(StageEvent.id)
    ).all()
    comments = [c for c in db.session.scalars(select(Comment).where(Comment.position_id == position.id))
                if permissions.can_see_comment(user, c)]
    return standing_decision(events, comments)


def responses_by_revision(position: Position) -> dict[int, StageEvent]:
    """The history's responses to the reviewers: revision number -> the submit event that carried one."""
    events = db.session.scalars(
        select(StageEvent).where(StageEvent.position_id == position.id, StageEvent.action == "submit",
                                 StageEvent.comment != "").order_by(StageEvent.id)
    ).all()
    return {event.revision_number: event for event in events}


# What the position page shows that most positions have none of: its own statement says which of these a
# position has, and each it has none of is set empty without the statement that loading it would cost.
OFTEN_EMPTY = ("approvals", "successors", "attachments")


def position_for_page(position_id: int) -> Position | None:
    """The position its page shows, with its network and milestone (one statement) and its themes (a
    second), read afresh. Its approvals, successors and Word annexes are loaded when used, as usual, but
    only if it has some: most have none, and the page saves up to three statements."""
    statement = (
        select(Position, *(getattr(Position, name).any() for name in OFTEN_EMPTY))
        .where(Position.id == position_id)
        .options(joinedload(Position.organisation), joinedload(Position.milestone), selectinload(Position.themes))
        .execution_options(populate_existing=True)
    )
    row = db.session.execute(statement).first()
    if row is None:
        return None
    position, *has_some = row
    for name, some in zip(OFTEN_EMPTY, has_some, strict=True):
        if not some:
            set_committed_value(position, name, [])
    return position


def position_page_data(position: Position, user: User) -> PositionPage:
    events = db.session.scalars(
        select(StageEvent).where(StageEvent.position_id == position.id)
        .options(joinedload(StageEvent.actor)).order_by(StageEvent.id)
    ).all()
    comments = [
        c for c in db.session.scalars(
            select(Comment).where(Comment.position_id == position.id)
            .options(joinedload(Comment.author)).order_by(Comment.id)
        ) if permissions.can_see_comment(user, c)
    ]
    revisions = db.session.scalars(
        select(Revision).where(Revision.position_id == position.id).options(joinedload(Revision.author))
        .order_by(Revision.number)
    ).all()
    authors = list({r.author_id: r.author for r in revisions}.values())
    # Only what the page shows: section names for amendments, later milestones for the carry-forward
    # form, editions for an included position (only compiling makes a position "included").
    names = reference_names()
    section_names = names.section_names if position.amendments else {}
    later = [m for m in names.milestones_taking_positions
             if m.start_date > position.milestone.start_date] if permissions.can_carry_forward(user, position) else []
    last_reviewed = last_reviewed_in(events)
    changes = []
    if last_reviewed and last_reviewed < position.revision_number and permissions.can_comment_internally(user):
        by_number = {r.number: r for r in revisions}
        changes = [d for d in compare(by_number[last_reviewed], by_number[position.revision_number]) if d.changed]
    editions = editions_including([position.id]).get(position.id, []) if position.stage == "included" else []
    decision, reason = standing_decision(events, comments)
    return PositionPage(
        latest_decision=decision, decision_reason=reason, response=response_to_reviewers(events),
        events=events, comments=comments, authors=authors,
        approvals=workflow.approvals_of_current_revision(position), section_names=section_names,
        later_milestones=later, successors=list(position.successors), last_reviewed=last_reviewed,
        changes_since_review=changes, editions=editions, amendments=shown_amendments(position.amendments),
        amendment_statuses=latest_statuses(position.id, position.amendments),
    )


def form_choices(milestone_id: int | None, position: Position | None = None
                 ) -> tuple[list[Milestone], list[Theme], list[CompactSection], object]:
    """What a position's form offers: the milestones still taking positions (their deadline not passed)
    and the position's own one (a closed milestone can no longer be chosen, but a position already in it
    stays there), the themes in their order, the compact's sections, and the negotiated text current for
    the chosen milestone (its paragraphs)."""
    on = today()
    milestones = [m for m in db.session.scalars(
        select(Milestone).where(Milestone.submission_deadline.is_not(None)).order_by(Milestone.start_date))
        if m.submission_open(on) or (position is not None and m.id == position.milestone_id)]
    themes = sorted(db.session.scalars(select(Theme)).all(), key=lambda theme: theme.sort_key)
    sections = db.session.scalars(select(CompactSection).order_by(CompactSection.order)).all()
    chosen = next((m for m in milestones if m.id == milestone_id), None)
    return milestones, themes, sections, current_revision(chosen)


def editions_including(position_ids) -> dict[int, list[tuple[Milestone, int]]]:
    """For the position pages ("Included in edition N"): the consolidated editions each position is in,
    one query (a text with proposed amendments carries only their amendments)."""
    ids = list(position_ids)
    found: dict[int, list[tuple[Milestone, int]]] = {position_id: [] for position_id in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(EditionEntry.position_id, Milestone, Edition.number)
        .join(Edition, Edition.id == EditionEntry.edition_id)
        .join(Milestone, Milestone.id == Edition.milestone_id)
        .where(EditionEntry.position_id.in_(ids), Edition.state == "ready", Edition.kind == "consolidated")
        .order_by(Milestone.start_date, Edition.number)
    )
    for position_id, milestone, number in rows:
        found[position_id].append((milestone, number))
    return found


def milestones() -> list[Milestone]:
    """The milestones a carry-forward may name (the operation refuses those it may not)."""
    return list(db.session.scalars(select(Milestone)))


def revisions_newest_first(position: Position) -> list[Revision]:
    return list(db.session.scalars(
        select(Revision).where(Revision.position_id == position.id).options(selectinload(Revision.author))
        .order_by(Revision.number.desc())
    ))


def revisions_numbered(position: Position, numbers) -> dict[int, Revision]:
    return {r.number: r for r in db.session.scalars(
        select(Revision).where(Revision.position_id == position.id, Revision.number.in_(list(numbers))))}

"""What the API reads: the same queries as the pages (the positions list's keyset pages and its
as-listed rows, the search's full-text match, the uptake figures), and a few of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload, undefer

from drafting import permissions
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentStatus,
    Comment,
    Edition,
    EditionEntry,
    Milestone,
    Position,
    Revision,
    StageEvent,
    TextParagraph,
    TextRevision,
    User,
)
from drafting.pagination import KeysetPage, keyset_paginate
from drafting.positions.queries import as_listed, filter_positions
from drafting.tracker.fulltext import match

LIST_ORDER = (Position.updated_at, Position.id)  # descending, as the page (ix_positions_*_recent)


@dataclass
class PositionFilters:
    milestone: int | None = None
    network: int | None = None
    stage: str | None = None
    objective: int | None = None
    updated_since: datetime | None = None
    q: str = ""


def positions_page(user: User, filters: PositionFilters, per_page: int, after: str | None) -> KeysetPage:
    """A keyset page of the positions this user may see, newest saved first (the page's order and query)."""
    query = filter_positions(permissions.visible_positions(user), milestone=filters.milestone,
                             organisation=filters.network, stage=filters.stage, theme=filters.objective,
                             updated_since=filters.updated_since)
    found = match(filters.q) if filters.q else None
    if found is not None:
        query = query.where(found.condition).params(**found.params)
    rows, item = as_listed(query)
    return keyset_paginate(rows, LIST_ORDER, per_page, descending=True, after=after, item=item)


def position(position_id: int) -> Position | None:
    return db.session.get(Position, position_id, options=[joinedload(Position.organisation),
                                                          joinedload(Position.milestone),
                                                          selectinload(Position.themes)])


def amendment_ids(position_id: int) -> dict[str, int]:
    return dict(db.session.execute(select(Amendment.key, Amendment.id).where(
        Amendment.position_id == position_id, Amendment.removed_at.is_(None))).all())


def history(position: Position) -> tuple[list[Revision], list[StageEvent]]:
    revisions = list(db.session.scalars(select(Revision).where(Revision.position_id == position.id)
                                        .options(joinedload(Revision.author)).order_by(Revision.number.desc())))
    events = list(db.session.scalars(select(StageEvent).where(StageEvent.position_id == position.id)
                                     .options(joinedload(StageEvent.actor)).order_by(StageEvent.id)))
    return revisions, events


def comments_seen_by(user: User, position: Position) -> list[Comment]:
    query = (select(Comment).where(Comment.position_id == position.id).options(joinedload(Comment.author))
             .order_by(Comment.id))
    if not permissions.can_comment_internally(user):
        query = query.where(Comment.visibility == "shared")
    return list(db.session.scalars(query))


def amendments_of(position: Position) -> list[Amendment]:
    return list(db.session.scalars(select(Amendment).where(Amendment.position_id == position.id)
                                   .order_by(Amendment.removed_at.is_not(None), Amendment.order, Amendment.id)))


def amendment(amendment_id: int) -> Amendment | None:
    return db.session.get(Amendment, amendment_id)


def statuses_of(amendments: list[Amendment]) -> dict[int, list[tuple[TextRevision, str, str | None]]]:
    """Each amendment's status in each later revision of the text (oldest first), by amendment id: the
    statuses the following of the text recorded while it was anchored to the paragraph it has now."""
    found: dict[int, list] = {a.id: [] for a in amendments}
    anchored = {(a.position_id, a.key): a for a in amendments if a.paragraph_id}
    if not anchored:
        return found
    rows = db.session.execute(
        select(AmendmentStatus, TextRevision, TextParagraph.number)
        .join(TextRevision, TextRevision.id == AmendmentStatus.text_revision_id)
        .outerjoin(TextParagraph, TextParagraph.id == AmendmentStatus.paragraph_id)
        .where(AmendmentStatus.position_id.in_({a.position_id for a in anchored.values()}))
        .order_by(TextRevision.issued_on, TextRevision.id)).all()
    for status, revision, number in rows:
        record = anchored.get((status.position_id, status.amendment_key))
        if record is not None and record.paragraph_id == status.anchored_paragraph_id:
            found[record.id].append((revision, status.status, number))
    return found


def text_revisions() -> list[TextRevision]:
    return list(db.session.scalars(select(TextRevision).order_by(TextRevision.issued_on.desc(),
                                                                 TextRevision.id.desc())))


def text_revision(revision_id: int) -> TextRevision | None:
    return db.session.get(TextRevision, revision_id, options=[selectinload(TextRevision.paragraphs)])


def milestone(milestone_id: int) -> Milestone | None:
    return db.session.get(Milestone, milestone_id)


def editions_of(milestone_id: int) -> list[tuple[Edition, int]]:
    counts = (select(db.func.count()).select_from(EditionEntry).where(EditionEntry.edition_id == Edition.id)
              .scalar_subquery())
    return [(edition, count) for edition, count in db.session.execute(
        select(Edition, counts).where(Edition.milestone_id == milestone_id).order_by(Edition.number.desc()))]


def edition(edition_id: int, *, with_files: bool = False) -> tuple[Edition, int] | None:
    counts = (select(db.func.count()).select_from(EditionEntry).where(EditionEntry.edition_id == Edition.id)
              .scalar_subquery())
    query = select(Edition, counts).where(Edition.id == edition_id)
    if with_files:
        query = query.options(undefer(Edition.data), undefer(Edition.pdf_data))
    row = db.session.execute(query).first()
    return (row[0], row[1]) if row else None

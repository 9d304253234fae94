"""Reading editions and what they include: the positions a new edition takes, the compile page's
summary and fingerprint, the annexes it would leave out, the editions of a milestone or a position."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import partial

from flask_babel import get_locale
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from drafting.core.memo import Memo
from drafting.extensions import db
from drafting.models import (
    Attachment,
    Edition,
    EditionEntry,
    Milestone,
    Organisation,
    Position,
    PositionCount,
    stages,
)
from drafting.wordfiles import WordFileRefused, clean_word_file


def next_edition_number(milestone: Milestone) -> int:
    return 1 + (db.session.scalar(
        select(func.max(Edition.number)).where(Edition.milestone_id == milestone.id)) or 0)


def symbol_in_use(symbol: str) -> bool:
    return db.session.scalar(select(Edition.id).where(Edition.symbol == symbol.strip()).limit(1)) is not None


def edition_positions(milestone: Milestone) -> Select:
    """What a new edition of `milestone` contains: every approved position, and those already
    included in an earlier edition of it (an edition is always the whole document)."""
    return select(Position).where(Position.milestone_id == milestone.id, Position.stage.in_(stages.COMPILABLE))


def positions_for_edition(milestone: Milestone) -> list[Position]:
    return list(db.session.scalars(
        edition_positions(milestone).options(joinedload(Position.organisation)).order_by(Position.id)))


@dataclass
class EditionSummary:
    """What the compile page says of the positions going in, without loading them all: how many from
    each network (from `position_counts`), and the fingerprint of the whole list (`positions_fingerprint`)."""

    by_network: list[tuple[Organisation, int]]
    fingerprint: str

    @property
    def total(self) -> int:
        return sum(count for _, count in self.by_network)


def edition_summary(milestone: Milestone) -> EditionSummary:
    by_network = db.session.execute(
        select(Organisation, func.sum(PositionCount.count))
        .join(PositionCount, PositionCount.organisation_id == Organisation.id)
        .where(PositionCount.milestone_id == milestone.id, PositionCount.stage.in_(stages.COMPILABLE),
               PositionCount.count > 0)
        .group_by(Organisation.id).order_by(Organisation.short_name)
    ).all()
    # Three small columns per position, no objects: the same fingerprint compile_edition computes.
    seen = db.session.execute(edition_positions(milestone).with_only_columns(
        Position.id, Position.revision_number, Position.stage).order_by(Position.id)).all()
    return EditionSummary(by_network=[(organisation, int(count)) for organisation, count in by_network],
                          fingerprint=positions_fingerprint(seen))


@dataclass
class AnnexLeftOut:
    """A stored Word annex that fails the check made when compiling: the edition leaves it out."""

    position: Position
    filename: str
    reason: str


# Why a stored annex fails the check, by its content (SHA-256), name and the page's language: a file is
# read and checked once per process.
_refusals = Memo("documents.annex_refusals", maxsize=2_000)


def _refusal(attachment_id: int, filename: str) -> str | None:
    data = db.session.scalar(select(Attachment.data).where(Attachment.id == attachment_id))
    try:
        clean_word_file(filename, data or b"")
    except WordFileRefused as refusal:
        return str(refusal)
    return None


def annexes_left_out(milestone: Milestone) -> list[AnnexLeftOut]:
    """For the compile page: the annexes of the positions going in that the edition would leave out, and why."""
    refused = []
    rows = db.session.execute(
        select(Attachment.id, Attachment.position_id, Attachment.filename, Attachment.sha256)
        .join(Position, Attachment.position_id == Position.id)
        .where(Position.id.in_(edition_positions(milestone).with_only_columns(Position.id)))
        .order_by(Attachment.id)).all()
    for attachment_id, position_id, filename, sha256 in rows:
        key = (sha256, filename, str(get_locale() or "en"))  # the reason is read in the page's language
        reason = _refusals.get(key, partial(_refusal, attachment_id, filename))
        if reason:
            refused.append((position_id, filename, reason))
    if not refused:
        return []
    positions = {p.id: p for p in db.session.scalars(
        select(Position).where(Position.id.in_({position_id for position_id, _, _ in refused}))
        .options(joinedload(Position.organisation)))}
    return [AnnexLeftOut(positions[position_id], filename, reason) for position_id, filename, reason in refused]


def positions_fingerprint(positions: list[Position]) -> str:
    """What the compile page showed: each position with its revision and stage. Compiling refuses when
    the list has changed since (a position reopened, revised or newly approved), so that an edition
    holds what the secretariat saw."""
    seen = ";".join(f"{p.id}:{p.revision_number}:{p.stage}" for p in positions)
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


def editions_of(milestone: Milestone) -> list[Edition]:
    return list(db.session.scalars(
        select(Edition).where(Edition.milestone_id == milestone.id)
        .options(joinedload(Edition.compiled_by), joinedload(Edition.text_revision),
                 selectinload(Edition.entries).joinedload(EditionEntry.position)
                 .joinedload(Position.organisation))
        .order_by(Edition.number.desc())
    ))


def edition_states_of(milestone: Milestone) -> list[Edition]:
    """The editions of `milestone` for their state alone (the editions page's refresh): no entries."""
    return list(db.session.scalars(
        select(Edition).where(Edition.milestone_id == milestone.id).order_by(Edition.number.desc())))

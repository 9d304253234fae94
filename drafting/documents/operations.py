"""Compiling editions of a milestone's positions, and what they include.

Two kinds of edition share a milestone's numbering: the consolidated document of the approved
positions, and a revision of the negotiated text with their amendments as tracked changes.
`compile_edition` records the edition (kind, number, options, the exact revision of each position) and
queues its preparation; the worker builds its files (`drafting.documents.preparation`) and, once they
are stored, moves the approved positions of a consolidated edition to "included".
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from drafting.clock import now
from drafting.documents.words import typeset
from drafting.extensions import db
from drafting.models import (
    Attachment,
    Edition,
    EditionEntry,
    Milestone,
    Organisation,
    Position,
    PositionCount,
    TextRevision,
    User,
)
from drafting.wordfiles import WordFileRefused, clean_word_file

COMPILABLE_STAGES = ("approved", "included")


class CompileError(Exception):
    """The edition could not be compiled; the message says why, and nothing was stored."""


@dataclass
class CompileOptions:
    title: str = ""
    grouping: str = "objective"
    preface: str = ""
    amendments_annex: bool = True
    review_comments: bool = False
    uploaded_annexes: bool = True
    language: str = "en"  # the document's language, whatever the interface language of who compiles
    symbol: str = ""  # empty: default_symbol(milestone, number)
    distribution: str = "general"
    advance_unedited: bool = False
    document_date: date | None = None  # empty: the day it is compiled
    number_paragraphs: bool = True
    # The edition's kind and text revision are the edition's own columns, not stored options.
    kind: str = "consolidated"  # or "text_with_amendments"
    text_revision_id: int | None = None

    def as_dict(self) -> dict:
        options = asdict(self)
        options["document_date"] = self.document_date.isoformat() if self.document_date else None
        del options["kind"], options["text_revision_id"]
        return options

    @classmethod
    def from_dict(cls, stored: dict) -> CompileOptions:
        """The options an edition recorded (keys this version does not know are left aside)."""
        known = cls.__dataclass_fields__
        options = cls(**{key: value for key, value in stored.items() if key in known})
        if isinstance(options.document_date, str):
            options.document_date = date.fromisoformat(options.document_date)
        return options


_SMALL_WORDS = {"a", "an", "and", "de", "des", "du", "for", "in", "la", "le", "of", "on", "the", "to"}


def milestone_code(milestone: Milestone) -> str:
    """A short code of the milestone for its symbols: initials and numbers ("Round 1" -> "R1")."""
    parts = []
    for word in re.findall(r"[^\W_]+", milestone.name):
        if word.isdigit():
            parts.append(word)
        elif word.lower() not in _SMALL_WORDS:
            parts.append(word[0].upper())
    code = unicodedata.normalize("NFKD", "".join(parts)).encode("ascii", "ignore").decode()
    return code[:8] or "M"


def next_edition_number(milestone: Milestone) -> int:
    return 1 + (db.session.scalar(
        select(func.max(Edition.number)).where(Edition.milestone_id == milestone.id)) or 0)


def symbol_in_use(symbol: str) -> bool:
    return db.session.scalar(select(Edition.id).where(Edition.symbol == symbol.strip()).limit(1)) is not None


def default_symbol(milestone: Milestone, number: int | None = None) -> str:
    """UCLG/GCM/<year>/<milestone code>/<edition number>, e.g. UCLG/GCM/2018/INR1/2; if another
    milestone's edition already has it, the milestone's id stands in for the code."""
    number = number or next_edition_number(milestone)
    symbol = f"UCLG/GCM/{milestone.start_date.year}/{milestone_code(milestone)}/{number}"
    if symbol_in_use(symbol):
        symbol = f"UCLG/GCM/{milestone.start_date.year}/M{milestone.id}/{number}"
    return symbol


def default_title(milestone: Milestone, language: str | None = None, text_revision: TextRevision | None = None) -> str:
    """The title an edition gets unless the secretariat writes one; in `language` (the document's), or
    in the interface's when None (to prefill the compile form). With `text_revision`: the title of a
    text with proposed amendments."""
    def title() -> str:
        if text_revision is not None:
            return str(_l("%(revision)s with the amendments proposed by local and regional governments",
                          revision=text_revision.name))
        return str(_l("Local and regional governments’ positions: %(milestone)s", milestone=milestone.name))

    if language is None:
        return title()
    with force_locale(language):
        return typeset(title(), language)


def edition_positions(milestone: Milestone) -> Select:
    """What a new edition of `milestone` contains: every approved position, and those already
    included in an earlier edition of it (an edition is always the whole document)."""
    return select(Position).where(Position.milestone_id == milestone.id, Position.stage.in_(COMPILABLE_STAGES))


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
        .where(PositionCount.milestone_id == milestone.id, PositionCount.stage.in_(COMPILABLE_STAGES),
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


# Why a stored annex fails the check, by (SHA-256, name): a file is read and checked once per process.
_REFUSALS: dict[tuple[str, str, str], str | None] = {}


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
        if key not in _REFUSALS:
            data = db.session.scalar(select(Attachment.data).where(Attachment.id == attachment_id))
            try:
                clean_word_file(filename, data or b"")
                _REFUSALS[key] = None
            except WordFileRefused as refusal:
                _REFUSALS[key] = str(refusal)
            if len(_REFUSALS) > 2_000:
                _REFUSALS.pop(next(iter(_REFUSALS)))
        if _REFUSALS[key]:
            refused.append((position_id, filename, _REFUSALS[key]))
    if not refused:
        return []
    positions = {p.id: p for p in db.session.scalars(
        select(Position).where(Position.id.in_({position_id for position_id, _, _ in refused}))
        .options(joinedload(Position.organisation)))}
    return [AnnexLeftOut(positions[position_id], filename, reason) for position_id, filename, reason in refused]



def edition_filename(milestone: Milestone, number: int, kind: str = "consolidated") -> str:
    ascii_name = unicodedata.normalize("NFKD", milestone.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:80] or "milestone"
    suffix = "-text-with-amendments" if kind == "text_with_amendments" else ""
    return f"{slug}-edition-{number}{suffix}.docx"


def positions_fingerprint(positions: list[Position]) -> str:
    """What the compile page showed: each position with its revision and stage. Compiling refuses when
    the list has changed since (a position reopened, revised or newly approved), so that an edition
    holds what the secretariat saw."""
    seen = ";".join(f"{p.id}:{p.revision_number}:{p.stage}" for p in positions)
    return hashlib.sha256(seen.encode()).hexdigest()[:32]


def compile_edition(milestone: Milestone, actor: User, options: CompileOptions, seen: str | None = None) -> Edition:
    """Record the next edition of `milestone` and queue its preparation, or raise CompileError and store
    nothing. `seen` is the fingerprint of the list of positions the compile page showed."""
    # What the edition records of each position, as columns (the page showed the same list).
    positions = db.session.execute(edition_positions(milestone).with_only_columns(
        Position.id, Position.revision_number, Position.stage).order_by(Position.id)).all()
    if not positions:
        raise CompileError(str(_l("No position of %(milestone)s is approved yet: there is nothing to compile.",
                                  milestone=milestone.name)))
    if seen is not None and seen != positions_fingerprint(positions):
        raise CompileError(str(_l("Someone changed the positions to compile since this page was opened (one was "
                                  "approved, reopened or revised). Check the list below and compile again.")))
    text_revision = None
    if options.kind == "text_with_amendments":
        text_revision = db.session.get(TextRevision, options.text_revision_id) if options.text_revision_id else None
        if text_revision is None:
            raise CompileError(str(_l("Choose the text revision whose paragraphs the amendments are tracked against.")))
    elif options.kind != "consolidated":
        raise CompileError(str(_l("Choose the kind of edition.")))
    number = next_edition_number(milestone)
    if options.symbol.strip() and symbol_in_use(options.symbol):
        raise CompileError(str(_l("The symbol %(symbol)s is already used by another edition.",
                                  symbol=options.symbol.strip())))
    moment = now()
    title = options.title.strip() or default_title(milestone, options.language, text_revision)
    try:
        edition = Edition(milestone=milestone, number=number, title=title, kind=options.kind,
                          text_revision=text_revision,
                          symbol=options.symbol.strip() or default_symbol(milestone, number), compiled_by=actor,
                          compiled_at=moment, options=options.as_dict(),
                          filename=edition_filename(milestone, number, options.kind),
                          state="preparing", queued_at=moment)
        db.session.add(edition)
        db.session.flush()
        # One executemany of the table's INSERT rather than thousands of ORM objects: same transaction.
        db.session.execute(insert(EditionEntry.__table__), [
            {"edition_id": edition.id, "position_id": position.id, "revision_number": position.revision_number}
            for position in positions])
        queue_preparation(edition.id)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise CompileError(str(_l("Someone else compiled an edition of this milestone at the same time. "
                                  "Look at the editions and compile again if needed."))) from None
    except Exception:
        db.session.rollback()
        raise
    return edition


def queue_preparation(edition_id: int) -> None:
    """Hand the edition to the worker when the current transaction commits."""
    # Imported here: the task module imports the preparation, which imports this module.
    from drafting.documents.tasks import prepare_edition_task
    from drafting.worker import enqueue_after_commit

    enqueue_after_commit(prepare_edition_task, edition_id)


def retry_preparation(edition: Edition) -> bool:
    """Queue again a failed edition, or one whose job was lost. False if it is not (any more)
    retriable: another click, or the worker, got there first."""
    if not edition.may_retry():
        return False
    changed = db.session.execute(
        update(Edition).where(Edition.id == edition.id, Edition.state == edition.state)
        .values(state="preparing", failure_reason="", queued_at=now())
        .execution_options(synchronize_session=False)).rowcount
    if changed:
        queue_preparation(edition.id)
    db.session.commit()
    db.session.expire(edition)
    return bool(changed)


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


__all__ = [
    "AnnexLeftOut",
    "CompileError",
    "CompileOptions",
    "EditionSummary",
    "annexes_left_out",
    "compile_edition",
    "default_symbol",
    "default_title",
    "edition_states_of",
    "editions_including",
    "edition_positions",
    "edition_summary",
    "editions_of",
    "positions_fingerprint",
    "positions_for_edition",
    "queue_preparation",
    "retry_preparation",
    "symbol_in_use",
]

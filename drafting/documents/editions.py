"""Compiling editions of a milestone's positions: the commands.

Three kinds of edition share a milestone's numbering: the consolidated document of the approved
positions, a revision of the negotiated text with their amendments as tracked changes, the table of
proposals (each amended paragraph of a revision, the networks' proposals and UCLG's joint proposal), and a
revision with UCLG's joint proposals (the secretariat's) as tracked changes.
`compile_edition` records the edition (kind, number, options, the exact revision of each position) and
queues its preparation; the worker builds its files (`drafting.documents.jobs.preparation`) and, once
they are stored, moves the approved positions of a consolidated edition to "included".
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from drafting.clock import now
from drafting.documents.naming import CompileOptions, default_symbol, default_title, edition_filename
from drafting.documents.queries import edition_positions, next_edition_number, positions_fingerprint, symbol_in_use
from drafting.extensions import db
from drafting.models import Edition, EditionEntry, Milestone, Position, TextRevision, User
from drafting.models.documents import TEXT_KINDS
from drafting.worker import enqueue_after_commit


class CompileError(Exception):
    """The edition could not be compiled; the message says why, and nothing was stored."""


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
    if options.kind in TEXT_KINDS:
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
    title = options.title.strip() or default_title(milestone, options.language, text_revision, options.kind)
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
    enqueue_after_commit("drafting.documents.jobs.tasks.prepare_edition_task", edition_id)


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

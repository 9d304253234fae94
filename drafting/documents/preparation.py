"""Preparing a compiled edition's two files, in the worker: the Word file and its PDF.

Compiling records the edition ("preparing") and returns at once; `prepare_edition` then

1. builds the Word file from the exact revisions the edition recorded, its contents list without page
   numbers;
2. has LibreOffice lay it out (PDF) and reads the page of each heading;
3. builds the Word file again with those numbers in the contents list, and has LibreOffice render it:
   that PDF is the edition's PDF, and its pages match the numbers;
4. stores both files, with their SHA-256, marks the edition "ready" and (a consolidated one) includes
   its positions, in one transaction.

Nothing is written before step 4, and step 4 only applies to an edition still "preparing": a job that
was killed half-way left nothing behind and can simply run again; a job that runs twice does nothing
the second time. Without LibreOffice (`UNOSERVER_URL` empty) the Word file is final without page
numbers and the PDF is marked unavailable. LibreOffice configured but failing is a failure the
secretariat can retry.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from drafting.clock import now
from drafting.documents import builder, front_matter, office, pagination
from drafting.documents.operations import CompileOptions, plan_edition, plan_text_with_amendments
from drafting.extensions import db
from drafting.models import Edition, EditionEntry, Position
from drafting.positions.workflow import WorkflowError, transition_many

log = logging.getLogger(__name__)

# Adding the numbers can, rarely, move a heading (a number that makes an entry wrap): measure again.
LAYOUT_PASSES = 3

# Why an edition has no PDF, or why its preparation failed: stored as a key, shown in the reader's language.
NO_PDF_REASONS = {
    "no_office": _l("LibreOffice is not installed on this server: the Word file is final without page numbers "
                    "in its contents list, and there is no PDF."),
    "earlier": _l("Compiled before editions came with a PDF."),
}
FAILURE_REASONS = {
    "office": _l("LibreOffice did not convert the document (it may not be running, or took too long)."),
    "moved": _l("Someone changed one of its positions while the edition was being prepared."),
    "build": _l("The document could not be built."),
}


def failure_text(edition: Edition) -> str:
    return str(FAILURE_REASONS.get(edition.failure_reason, FAILURE_REASONS["build"]))


def no_pdf_text(edition: Edition) -> str:
    return str(NO_PDF_REASONS.get(edition.pdf_unavailable_reason, edition.pdf_unavailable_reason))


def _build(plan, contents_pages: Sequence[int] | None = None) -> bytes:
    return builder.build_document(plan, contents_pages=contents_pages)


def _plan(edition: Edition):
    entries = db.session.execute(
        select(EditionEntry.position_id, EditionEntry.revision_number)
        .where(EditionEntry.edition_id == edition.id).order_by(EditionEntry.id)).all()
    taken = dict(entries)
    positions = list(db.session.scalars(
        select(Position).where(Position.id.in_(taken)).options(joinedload(Position.organisation))
        .order_by(Position.id)))
    options = CompileOptions.from_dict(edition.options or {})
    options.symbol = edition.symbol or options.symbol  # the symbol it was given when it was recorded
    if edition.kind == "text_with_amendments":
        plan, _taken = plan_text_with_amendments(edition.milestone, positions, options, edition.number,
                                                 edition.compiled_by, edition.compiled_at, edition.text_revision,
                                                 revisions=taken)
    else:
        plan, _taken = plan_edition(edition.milestone, positions, options, edition.number, edition.compiled_by,
                                    edition.compiled_at, revisions=taken)
    return plan, taken


def _paginated(plan) -> tuple[bytes, bytes]:
    """The Word file with its contents list numbered by LibreOffice's layout, and the PDF of that file."""
    first = _build(plan)
    entries = [entry.text for entry in front_matter.contents_entries(first)]
    if not entries:  # no contents list to number (a text with proposed amendments): the first build is final
        return first, office.to_pdf(first)
    # Laid out with placeholder numbers as wide as the real ones, so that writing the real numbers in
    # moves nothing; the numbered file is measured again all the same.
    pages = [999] * len(entries)
    document = _build(plan, contents_pages=pages)
    pdf = office.to_pdf(document)
    for _attempt in range(LAYOUT_PASSES):
        measured = pagination.heading_pages(pdf, entries)
        if measured == pages:
            break
        pages = measured
        document = _build(plan, contents_pages=pages)
        pdf = office.to_pdf(document)
    return document, pdf


def prepare_edition(edition_id: int) -> str:
    """Prepare one edition's files (see the module's docstring); returns the edition's state afterwards.
    Safe to run any number of times, also concurrently: only the first to finish writes."""
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.state != "preparing":
        return edition.state if edition else "missing"
    try:
        plan, taken = _plan(edition)
        pdf, no_pdf = None, ""
        if office.configured():
            document, pdf = _paginated(plan)
        else:
            document, no_pdf = _build(plan), "no_office"
    except office.OfficeFailed:
        log.exception("edition %s: LibreOffice failed", edition_id)
        return _fail(edition_id, "office")
    except Exception:
        log.exception("edition %s: the document could not be built", edition_id)
        return _fail(edition_id, "build")
    db.session.rollback()  # the reads above end here; the writes below are one transaction
    try:
        finished = db.session.execute(
            update(Edition).where(Edition.id == edition_id, Edition.state == "preparing")
            .values(state="ready", failure_reason="", prepared_at=now(), data=document, size=len(document),
                    sha256=hashlib.sha256(document).hexdigest(), pdf_data=pdf,
                    pdf_size=len(pdf) if pdf else None, pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf else None,
                    pdf_unavailable_reason=no_pdf)
            .execution_options(synchronize_session=False)).rowcount
        edition = db.session.get(Edition, edition_id)
        if finished and edition.kind == "consolidated":
            _include(edition, taken)
        db.session.commit()
    except WorkflowError:
        db.session.rollback()
        log.warning("edition %s: a position moved while it was being prepared", edition_id)
        return _fail(edition_id, "moved")
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return "ready"


def _include(edition: Edition, taken: dict[int, int]) -> None:
    """Positions move to "included" once their consolidated edition is ready: those still approved at
    the revision the edition took (one reopened or revised meanwhile keeps its stage). A text with
    proposed amendments carries only their amendments: it leaves their stage as it is."""
    ids = list(taken)
    approved = []
    for start in range(0, len(ids), 900):  # SQLite's limit on bound parameters
        approved += db.session.scalars(select(Position).where(
            Position.id.in_(ids[start:start + 900]), Position.stage == "approved")).all()
    approved = [p for p in approved if p.revision_number == taken[p.id]]
    transition_many(approved, "include", edition.compiled_by, comment=f"Edition {edition.number}")


def _fail(edition_id: int, reason: str) -> str:
    db.session.rollback()
    db.session.execute(update(Edition).where(Edition.id == edition_id, Edition.state == "preparing")
                       .values(state="failed", failure_reason=reason)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return "failed"

"""Preparing a compiled edition's two files, in the worker: the Word file and its PDF.

Compiling records the edition ("preparing") and returns at once; `prepare_edition` then

1. builds the Word file from the exact revisions the edition recorded, its contents list numbered with
   placeholders as wide as the real page numbers;
2. has LibreOffice load it once: lay it out, write into the contents list the page of each heading from
   that layout and export the PDF, the edition's PDF (one layout, as a plain conversion of the file);
3. writes the same pages over the placeholders of the Word file (`builder.number_contents`): the numbers
   LibreOffice printed in the PDF, on the layout of this very file. Where LibreOffice did not report
   them (unoserver's own update of the list), they are read from the PDF's outline;
4. stores both files, with their SHA-256 and the uploaded annexes left out (and why), marks the edition
   "ready" and (a consolidated one) includes its positions, in one transaction.

Nothing is written before step 4, and step 4 only applies to an edition still "preparing": a job that
was killed half-way left nothing behind and can simply run again; a job that runs twice does nothing
the second time. Without LibreOffice (`UNOSERVER_URL` empty) the Word file is final without page
numbers and the PDF is marked unavailable. LibreOffice configured but failing is a failure the
secretariat can retry.
"""

from __future__ import annotations

import gc
import hashlib
import logging
from collections.abc import Sequence
from contextlib import contextmanager

from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import load_only

from drafting.clock import now
from drafting.documents.office import contents_pages as pagination
from drafting.documents.office import unoserver as office
from drafting.documents.plan.gathering import (
    plan_edition,
    plan_joint_proposal,
    plan_table_of_proposals,
    plan_text_with_amendments,
)
from drafting.documents.render import builder
from drafting.extensions import db
from drafting.models import Edition, EditionEntry, Position
from drafting.positions.workflow import WorkflowError, transition_many

log = logging.getLogger(__name__)

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
    # Past a limit of background jobs (drafting.worker.run_within_limits): the limit as configured now.
    if edition.failure_reason == "time":
        return _("The preparation took longer than %(seconds)d s, the time limit of a background job. It may "
                 "hold a very large annex.", seconds=current_app.config["JOB_TIME_LIMIT_S"])
    if edition.failure_reason == "memory":
        return _("The preparation needed more than %(megabytes)d MB, the memory limit of a background job. It "
                 "may hold a very large annex.", megabytes=current_app.config["JOB_MEMORY_LIMIT_MB"])
    return str(FAILURE_REASONS.get(edition.failure_reason, FAILURE_REASONS["build"]))


def no_pdf_text(edition: Edition) -> str:
    return str(NO_PDF_REASONS.get(edition.pdf_unavailable_reason, edition.pdf_unavailable_reason))


@contextmanager
def _without_cycle_collection():
    """Preparing an edition allocates millions of objects and leaves no cycle behind: Python's cycle
    collector would walk every live object several times meanwhile (a fifth of the time of a large
    edition). Paused for that while, in this process; reference counting still frees everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(plan, contents_pages: Sequence[int] | int | None = None) -> bytes:
    return builder.build_document(plan, contents_pages=contents_pages)


def _plan(edition: Edition):
    if edition.kind == "text_with_amendments":
        return plan_text_with_amendments(edition)
    if edition.kind == "table_of_proposals":
        return plan_table_of_proposals(edition)
    if edition.kind == "joint_proposal":
        return plan_joint_proposal(edition)
    return plan_edition(edition)


def _paginated(plan) -> tuple[bytes, bytes]:
    """The Word file with its contents list numbered by LibreOffice's layout, and the PDF of that layout:
    LibreOffice loads the file once (see the module's docstring)."""
    placeholder = _build(plan, contents_pages=builder.PLACEHOLDER_PAGE)
    entries = [entry.text for entry in builder.contents_entries(placeholder)]
    if not entries:  # no contents list to number (a text revision with changes, a table): the build is final
        return placeholder, office.to_pdf(placeholder, archive=plan.pdf_archive)
    pdf, pages = office.to_pdf_with_contents(placeholder, archive=plan.pdf_archive)
    if pages is None or len(pages) != len(entries):  # not written by LibreOffice in place: read from the PDF
        pages = pagination.heading_pages(pdf, entries)
    return builder.number_contents(placeholder, pages), pdf


@_without_cycle_collection()
def prepare_edition(edition_id: int) -> str:
    """Prepare one edition's files (see the module's docstring); returns the edition's state afterwards.
    Safe to run any number of times, also concurrently: only the first to finish writes."""
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.state != "preparing":
        return edition.state if edition else "missing"
    try:
        plan, _taken = _plan(edition)
        pdf, no_pdf = None, ""
        if office.configured():
            document, pdf = _paginated(plan)
        else:
            document, no_pdf = _build(plan), "no_office"
    except office.OfficeFailed:
        log.exception("edition %s: LibreOffice failed", edition_id)
        return fail(edition_id, "office")
    except MemoryError:
        raise  # past the job's memory ceiling: the worker records it (drafting.worker.run_within_limits)
    except Exception:
        log.exception("edition %s: the document could not be built", edition_id)
        return fail(edition_id, "build")
    left_out = [item.as_record() for item in plan.left_out]
    del plan  # freed before the writes
    db.session.rollback()  # the reads above end here; the writes below are one transaction
    try:
        finished = db.session.execute(
            update(Edition).where(Edition.id == edition_id, Edition.state == "preparing")
            .values(state="ready", failure_reason="", prepared_at=now(), data=document, size=len(document),
                    sha256=hashlib.sha256(document).hexdigest(), pdf_data=pdf,
                    pdf_size=len(pdf) if pdf else None, pdf_sha256=hashlib.sha256(pdf).hexdigest() if pdf else None,
                    pdf_unavailable_reason=no_pdf, annexes_left_out=left_out)
            .execution_options(synchronize_session=False)).rowcount
        edition = db.session.get(Edition, edition_id)
        if finished and edition.kind == "consolidated":
            _include(edition)
        db.session.commit()
    except WorkflowError:
        db.session.rollback()
        log.warning("edition %s: a position moved while it was being prepared", edition_id)
        return fail(edition_id, "moved")
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return "ready"


def _include(edition: Edition) -> None:
    """Positions move to "included" once their consolidated edition is ready: those still approved at
    the revision the edition took (one reopened or revised meanwhile keeps its stage). A text with
    proposed amendments carries only their amendments: it leaves their stage as it is. One query,
    joined on the edition's entries, loading only what the move checks."""
    approved = db.session.scalars(
        select(Position)
        .join(EditionEntry, (EditionEntry.position_id == Position.id)
              & (EditionEntry.revision_number == Position.revision_number))
        .where(EditionEntry.edition_id == edition.id, Position.stage == "approved")
        .options(load_only(Position.id, Position.stage, Position.revision_number))).all()
    transition_many(approved, "include", edition.compiled_by, comment=f"Edition {edition.number}")


def fail(edition_id: int, reason: str) -> str:
    """Mark an edition still preparing as failed, for `reason` (a key of FAILURE_REASONS, or "time" or
    "memory": past a limit of background jobs); the secretariat may retry it."""
    db.session.rollback()
    db.session.execute(update(Edition).where(Edition.id == edition_id, Edition.state == "preparing")
                       .values(state="failed", failure_reason=reason)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    return "failed"


def left_out_reason(record: dict) -> str:
    """Why an annex was left out, in the reader's language (else in whichever the edition recorded)."""
    reasons = record.get("reasons") or {}
    return reasons.get(str(get_locale() or "en")) or reasons.get("en") or next(iter(reasons.values()), "")

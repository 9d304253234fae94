from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models._columns import one_of
from drafting.models.accounts import User
from drafting.models.calendar import Milestone
from drafting.models.negotiated_text import TextRevision
from drafting.models.positions import Position

EDITION_STATES = ("preparing", "ready", "failed")
# "consolidated": the approved positions, chapter by chapter; "text_with_amendments": a revision of the
# negotiated text with the approved positions' amendments as Word tracked changes; "table_of_proposals": the
# four-column table of each amended paragraph, the networks' proposals and UCLG's joint proposal;
# "joint_proposal": a revision with UCLG's joint proposals (the secretariat's) as Word tracked changes
# authored "UCLG".
EDITION_KINDS = ("consolidated", "text_with_amendments", "table_of_proposals", "joint_proposal")
# The kinds written against a revision of the negotiated text (the edition's text_revision_id is required).
TEXT_KINDS = ("text_with_amendments", "table_of_proposals", "joint_proposal")
# A preparation not finished this long after it was queued was lost (a worker killed, a queue emptied):
# it may be queued again. Shorter would let an impatient click start a second, parallel build.
PREPARATION_LOST_AFTER = timedelta(minutes=15)


class Attachment(db.Model):
    """A Word annex uploaded with a position; checked before it was stored."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    position: Mapped[Position] = relationship(backref="attachments")
    uploaded_by: Mapped[User] = relationship()


def _fallback_symbol(context) -> str:
    row = context.get_current_parameters()
    return f"UCLG/GCM/M{row['milestone_id']}/{row['number']}"


class Edition(db.Model):
    """One numbered compilation of a milestone's positions: the consolidated document, or a text revision
    with their amendments as tracked changes (`kind`). Both kinds share the milestone's numbering.

    Compiling records the edition ("preparing": number, options, the exact revision of each position);
    the worker then writes its two files at once and marks it "ready", after which nothing changes it.
    """

    __tablename__ = "editions"
    __table_args__ = (
        UniqueConstraint("milestone_id", "number", name="uq_editions_milestone_number"),
        one_of("state", EDITION_STATES, name="state_allowed"),
        one_of("kind", EDITION_KINDS, name="kind_allowed"),
        CheckConstraint("kind = 'consolidated' OR text_revision_id IS NOT NULL", name="amended_text_has_revision"),
        # A ready edition has its Word file, and either its PDF or the reason it has none.
        CheckConstraint("state != 'ready' OR (data IS NOT NULL AND sha256 IS NOT NULL AND size IS NOT NULL "
                        "AND (pdf_data IS NOT NULL OR pdf_unavailable_reason != ''))",
                        name="ready_has_files"),
        UniqueConstraint("symbol", name="uq_editions_symbol"),  # a document symbol names one document
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32), default="consolidated")
    # The text revision whose paragraphs the amendments are tracked against (text_with_amendments only).
    text_revision_id: Mapped[int | None] = mapped_column(ForeignKey("text_revisions.id"), nullable=True, index=True)
    # The UN-style document symbol on its first page (compile_edition sets it; the fallback is unique
    # because (milestone, number) is).
    symbol: Mapped[str] = mapped_column(String(80), default=_fallback_symbol)
    compiled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    compiled_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(16), default="preparing")
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    # When the worker was last asked to prepare it (compile or Retry): a job lost long ago may be retried.
    queued_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    prepared_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, nullable=True)
    pdf_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pdf_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pdf_data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True, nullable=True)
    pdf_unavailable_reason: Mapped[str] = mapped_column(Text, default="")
    # Uploaded annexes the prepared files leave out (they failed the check made when building), each
    # {"position_id", "title", "organisation", "language", "filename", "reasons": {locale: why}}.
    annexes_left_out: Mapped[list] = mapped_column(JSON, default=list)

    milestone: Mapped[Milestone] = relationship()
    compiled_by: Mapped[User] = relationship()
    text_revision: Mapped[TextRevision | None] = relationship()
    entries: Mapped[list[EditionEntry]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="EditionEntry.id"
    )

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    def may_retry(self, moment: datetime | None = None) -> bool:
        """Failed, or still preparing long after it was queued (its job was lost)."""
        if self.state == "failed":
            return True
        queued = self.queued_at or self.compiled_at
        return self.state == "preparing" and (moment or now()) - queued >= PREPARATION_LOST_AFTER

    @property
    def pdf_filename(self) -> str:
        return self.filename.removesuffix(".docx") + ".pdf"


class EditionEntry(db.Model):
    """The exact revision of one position that an edition includes."""

    __tablename__ = "edition_entries"
    __table_args__ = (UniqueConstraint("edition_id", "position_id", name="uq_edition_entries_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("editions.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer)

    edition: Mapped[Edition] = relationship(back_populates="entries")
    position: Mapped[Position] = relationship()

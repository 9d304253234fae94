"""The negotiated text: each revision of the draft compact, paragraph by paragraph."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models._columns import one_of
from drafting.models.accounts import User
from drafting.models.calendar import Milestone

PARAGRAPH_KINDS = ("heading", "paragraph")
# What became of an amendment in the next revision (drafting.amendments.uptake decides).
AMENDMENT_STATUSES = ("taken_up", "partly_taken_up", "unchanged", "changed", "removed")


class TextRevision(db.Model):
    """One published revision of the draft compact ("Zero draft", "Rev 1"): immutable once published."""

    __tablename__ = "text_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    issued_on: Mapped[date] = mapped_column(Date)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)
    source_filename: Mapped[str] = mapped_column(String(255), default="")
    published_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    # Following the amendments of the revision before (drafting.negotiated_text.following): how many
    # there are (None: no revision before), and when the worker gave each its status.
    reanchor_count: Mapped[int | None] = mapped_column(Integer)
    reanchored_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Why the following failed, when it passed a limit of background jobs ("time" or "memory"): the
    # secretariat may retry it. Empty otherwise.
    reanchor_failure: Mapped[str] = mapped_column(String(16), default="")
    # When the secretariat confirmed (or corrected) the objective of each paragraph, proposed on loading.
    objectives_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)

    milestone: Mapped[Milestone | None] = relationship()
    published_by: Mapped[User] = relationship()
    paragraphs: Mapped[list[TextParagraph]] = relationship(
        back_populates="revision", cascade="all, delete-orphan", order_by="TextParagraph.order")

    def __repr__(self) -> str:
        return f"<TextRevision {self.name}>"


class TextParagraph(db.Model):
    """A heading or a paragraph of a revision, in the revision's order, with its number ("16(a)")."""

    __tablename__ = "text_paragraphs"
    __table_args__ = (
        one_of("kind", PARAGRAPH_KINDS, name="text_paragraph_kind_allowed"),
        UniqueConstraint("revision_id", "order", name="uq_text_paragraphs_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("text_revisions.id", ondelete="CASCADE"), index=True)
    order: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(20), default="")
    section: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    # The compact objective (a Theme of kind "objective") the paragraph belongs to: proposed from its
    # heading when the revision is loaded, confirmed or corrected by the secretariat. Uptake counts by it.
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"), index=True)

    revision: Mapped[TextRevision] = relationship(back_populates="paragraphs")

    @property
    def anchor(self) -> str:
        if self.kind == "heading":
            return f"s-{self.order}"
        if not self.number:
            return f"u-{self.order}"
        return "p-" + self.number.replace("(", "-").replace(")", "")

    @property
    def first_words(self) -> str:
        words = self.text.split()
        return " ".join(words[:12]) + (" …" if len(words) > 12 else "")


class AmendmentStatus(db.Model):
    """What became of one amendment of a position in a new revision of the text: its status there,
    the paragraph it was anchored to (in the revision before) and that paragraph's successor."""

    __tablename__ = "amendment_statuses"
    __table_args__ = (
        one_of("status", AMENDMENT_STATUSES, name="amendment_status_allowed"),
        UniqueConstraint("position_id", "amendment_key", "text_revision_id", name="uq_amendment_statuses_once"),
        # The Uptake page counts by revision and status.
        Index("ix_amendment_statuses_revision_status", "text_revision_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    amendment_key: Mapped[str] = mapped_column(String(64))
    text_revision_id: Mapped[int] = mapped_column(ForeignKey("text_revisions.id", ondelete="CASCADE"))
    anchored_paragraph_id: Mapped[int] = mapped_column(
        ForeignKey("text_paragraphs.id", ondelete="CASCADE"), index=True)
    paragraph_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_paragraphs.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    text_revision: Mapped[TextRevision] = relationship()
    anchored_paragraph: Mapped[TextParagraph] = relationship(foreign_keys=[anchored_paragraph_id])
    paragraph: Mapped[TextParagraph | None] = relationship(foreign_keys=[paragraph_id])


class PendingUpload(db.Model):
    """A Word file of a revision kept between its preview and "Publish", so that the secretariat does not
    choose it again: the form carries only its token. Kept a day at most (negotiated_text/pending_uploads.py)."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models.accounts import User
from drafting.models.calendar import Milestone
from drafting.models.positions import Position


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
    """One immutable, numbered compilation of a milestone's consolidated document."""

    __tablename__ = "editions"
    __table_args__ = (
        UniqueConstraint("milestone_id", "number", name="uq_editions_milestone_number"),
        UniqueConstraint("symbol", name="uq_editions_symbol"),  # a document symbol names one document
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    # The UN-style document symbol on its first page (compile_edition sets it; the fallback is unique
    # because (milestone, number) is).
    symbol: Mapped[str] = mapped_column(String(80), default=_fallback_symbol)
    compiled_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    compiled_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    milestone: Mapped[Milestone] = relationship()
    compiled_by: Mapped[User] = relationship()
    entries: Mapped[list[EditionEntry]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="EditionEntry.id"
    )


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

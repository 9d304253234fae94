from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models._columns import one_of
from drafting.models.accounts import Organisation, User
from drafting.models.calendar import Milestone
from drafting.models.reference import Theme
from drafting.models.stages import STAGES

LANGUAGES = ("en", "fr", "es", "ar")
COMMENT_VISIBILITIES = ("shared", "internal")

TITLE_MAX = 300
SUMMARY_MAX = 1_000
TEXT_MAX = 100_000

position_themes = Table(
    "position_themes",
    db.metadata,
    Column("position_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True, index=True),
)


class Position(db.Model):
    """The working copy of a network's position for one milestone.

    Every save also writes an immutable `Revision`; `revision_number` names the latest one.
    """

    __tablename__ = "positions"
    __table_args__ = (
        one_of("stage", STAGES),
        one_of("language", LANGUAGES),
        CheckConstraint("revision_number >= 1", name="has_revision"),
        # Every list shows the last saved first, 25 at a time: one index per filter, ending with the
        # order, so a page reads 26 entries instead of sorting the table (drafting.pagination).
        Index("ix_positions_recent", "updated_at", "id"),
        Index("ix_positions_organisation_recent", "organisation_id", "updated_at", "id"),
        Index("ix_positions_milestone_recent", "milestone_id", "updated_at", "id"),
        Index("ix_positions_stage_recent", "stage", "updated_at", "id"),
        # The review queue: what awaits review, oldest submission first.
        Index("ix_positions_review_queue", "submitted_at", "id",
              postgresql_where=text("stage IN ('submitted', 'in_review')"),
              sqlite_where=text("stage IN ('submitted', 'in_review')")),
        # What an edition of a milestone takes (documents.queries.edition_positions): the compile
        # page's fingerprint of that list reads this index alone on PostgreSQL.
        Index("ix_positions_edition", "milestone_id", "stage", "id", postgresql_include=["revision_number"]),
        # The few positions whose deadline an extension moved (the tracker's "due soon" reads only these).
        Index("ix_positions_extended_until", "extended_until",
              postgresql_where=text("extended_until IS NOT NULL"), sqlite_where=text("extended_until IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    stage: Mapped[str] = mapped_column(String(20), default="draft")
    language: Mapped[str] = mapped_column(String(2), default="en")
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    # A list of {"section_id", "paragraph", "current_text", "proposed_text", "rationale"}.
    amendments: Mapped[list] = mapped_column(JSON, default=list)
    revision_number: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    stage_changed_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    # When the position was last submitted; reviewers see a position once it has been submitted.
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Carry forward: the approved position of an earlier milestone this one continues.
    predecessor_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"), index=True)
    # A submission extension granted by the secretariat to this one position.
    extended_until: Mapped[date | None] = mapped_column(Date)
    # Optimistic locking: SQLAlchemy refuses to write over a row someone else changed meanwhile.
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    organisation: Mapped[Organisation] = relationship()
    milestone: Mapped[Milestone] = relationship()
    created_by: Mapped[User] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=position_themes, order_by=Theme.id)
    predecessor: Mapped[Position | None] = relationship(
        remote_side="Position.id", back_populates="successors"
    )
    successors: Mapped[list[Position]] = relationship(back_populates="predecessor")
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="position", order_by="Revision.number", cascade="all, delete-orphan"
    )
    events: Mapped[list[StageEvent]] = relationship(
        back_populates="position", order_by="StageEvent.id", cascade="all, delete-orphan"
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="position", order_by="Comment.id", cascade="all, delete-orphan"
    )
    approvals: Mapped[list[Approval]] = relationship(
        back_populates="position", order_by="Approval.id", cascade="all, delete-orphan"
    )
    # Its amendments as rows with ids of their own (drafting.models.amendments), removed ones included.
    amendment_records = relationship(
        "Amendment", back_populates="position", order_by="Amendment.order", cascade="all, delete-orphan"
    )

    @property
    def is_rtl(self) -> bool:
        return self.language == "ar"

    def __repr__(self) -> str:
        return f"<Position {self.id} {self.stage} {self.title[:30]!r}>"


class Revision(db.Model):
    """An immutable snapshot of a position's full content, amendments included."""

    __tablename__ = "revisions"
    __table_args__ = (
        UniqueConstraint("position_id", "number", name="uq_revisions_position_number"),
        one_of("language", LANGUAGES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2))
    # Theme ids at the time of the save.
    theme_ids: Mapped[list] = mapped_column(JSON, default=list)
    amendments: Mapped[list] = mapped_column(JSON, default=list)

    position: Mapped[Position] = relationship(back_populates="revisions")
    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Revision {self.position_id}#{self.number}>"


class StageEvent(db.Model):
    """The audit trail: every stage change (and extension) with who, when, from, to and why."""

    __tablename__ = "stage_events"
    __table_args__ = (
        one_of("from_stage", STAGES),
        one_of("to_stage", STAGES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    action: Mapped[str] = mapped_column(String(30))
    from_stage: Mapped[str] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    revision_number: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    position: Mapped[Position] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class Approval(db.Model):
    """One reviewer's approval of one revision; a milestone may need several."""

    __tablename__ = "approvals"
    __table_args__ = (
        UniqueConstraint("position_id", "reviewer_id", "revision_number", name="uq_approvals_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    revision_number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    position: Mapped[Position] = relationship(back_populates="approvals")
    reviewer: Mapped[User] = relationship()


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (one_of("visibility", COMMENT_VISIBILITIES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    body: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(10), default="internal")
    revision_number: Mapped[int] = mapped_column(Integer)

    position: Mapped[Position] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()

    @property
    def is_shared(self) -> bool:
        return self.visibility == "shared"

"""The negotiated text: each revision of the draft compact, paragraph by paragraph."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models._columns import one_of
from drafting.models.accounts import User
from drafting.models.calendar import Milestone

PARAGRAPH_KINDS = ("heading", "paragraph")


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

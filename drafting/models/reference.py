from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from drafting.core.languages import in_current_language
from drafting.extensions import db
from drafting.models._columns import one_of

THEME_KINDS = ("objective", "workstream")


class Theme(db.Model):
    """A compact objective (numbered 1-23) or a programme workstream."""

    __tablename__ = "themes"
    __table_args__ = (
        one_of("kind", THEME_KINDS),
        UniqueConstraint("kind", "short_label", name="uq_themes_kind_label"),
        UniqueConstraint("kind", "number", name="uq_themes_kind_number"),
        CheckConstraint("(kind = 'objective') = (number IS NOT NULL)", name="objectives_numbered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int | None] = mapped_column(Integer)
    short_label: Mapped[str] = mapped_column(String(100))  # English; also the loader's key of a workstream
    short_label_fr: Mapped[str] = mapped_column(String(100), default="")
    short_label_es: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(Text)
    title_fr: Mapped[str] = mapped_column(Text, default="")
    title_es: Mapped[str] = mapped_column(Text, default="")
    # For objectives: the paragraph of the final text that holds the commitment.
    paragraph: Mapped[int | None] = mapped_column(Integer)
    # The name a workstream has in the data files, by which seed-reference recognises it after a rename.
    loaded_as: Mapped[str | None] = mapped_column(String(100))
    # Set when the secretariat saves the row: seed-reference then leaves it alone.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def label(self) -> str:
        """In the reader's language (French, Spanish, else English)."""
        short = in_current_language(self, "short_label")
        if self.kind == "objective":
            return f"{self.number}. {short}"
        return short

    @property
    def display_title(self) -> str:
        return in_current_language(self, "title")

    # The one order of themes, everywhere (lists, filters, an edition's chapters): objectives by number,
    # then workstreams by name. `ordering()` is the same order in SQL.
    @property
    def sort_key(self) -> tuple:
        return (0 if self.kind == "objective" else 1, self.number or 0, self.short_label)

    @classmethod
    def ordering(cls) -> tuple:
        return (cls.kind, func.coalesce(cls.number, 0), cls.short_label)  # "objective" < "workstream"

    def __repr__(self) -> str:
        return f"<Theme {self.label}>"


class CompactSection(db.Model):
    """A section of the compact's text, which a proposed amendment targets."""

    __tablename__ = "compact_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    order: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200), default="")
    name_es: Mapped[str] = mapped_column(String(200), default="")
    paragraphs: Mapped[str] = mapped_column(String(100), default="")
    # What users read about the section; `source_note` says where the facts come from and is never shown.
    note: Mapped[str] = mapped_column(Text, default="")
    note_fr: Mapped[str] = mapped_column(Text, default="")
    note_es: Mapped[str] = mapped_column(Text, default="")
    source_note: Mapped[str] = mapped_column(Text, default="")
    # Set when the secretariat saves the row: seed-reference then leaves it alone.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def display_name(self) -> str:
        return in_current_language(self, "name")

    @property
    def display_note(self) -> str:
        return in_current_language(self, "note")

    def __repr__(self) -> str:
        return f"<CompactSection {self.name}>"

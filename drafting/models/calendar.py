from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import CheckConstraint, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drafting.core.languages import in_current_language
from drafting.extensions import db
from drafting.models._columns import one_of, version_column

MILESTONE_KINDS = ("event", "negotiation", "zero draft", "negotiation round", "adoption")

# Milestones that take positions get deadlines by default, counted back from their start.
SUBMISSION_LEAD = timedelta(days=14)
REVIEW_LEAD = timedelta(days=7)
KINDS_TAKING_POSITIONS = ("zero draft", "negotiation round", "adoption")


class Milestone(db.Model):
    __tablename__ = "milestones"
    __table_args__ = (
        one_of("kind", MILESTONE_KINDS),
        CheckConstraint("end_date >= start_date", name="ends_after_start"),
        CheckConstraint("approvals_required >= 1", name="approvals_at_least_one"),
        CheckConstraint(
            "review_deadline IS NULL OR submission_deadline IS NULL OR review_deadline >= submission_deadline",
            name="review_after_submission",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_fr: Mapped[str] = mapped_column(String(200), default="")
    name_es: Mapped[str] = mapped_column(String(200), default="")
    # The milestone's part of an edition's symbol ("R1" in UCLG/GCM/2018/R1/2); empty: made from its name.
    symbol_code: Mapped[str] = mapped_column(String(12), default="")
    kind: Mapped[str] = mapped_column(String(30))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(120), default="")
    # What users read about the milestone; `source_note` says where its dates come from and is never shown.
    note: Mapped[str] = mapped_column(Text, default="")
    note_fr: Mapped[str] = mapped_column(Text, default="")
    note_es: Mapped[str] = mapped_column(Text, default="")
    source_note: Mapped[str] = mapped_column(Text, default="")
    submission_deadline: Mapped[date | None] = mapped_column(Date)
    review_deadline: Mapped[date | None] = mapped_column(Date)
    approvals_required: Mapped[int] = mapped_column(Integer, default=1)
    # The name in the data files, by which seed-reference recognises the milestone after a rename.
    loaded_as: Mapped[str | None] = mapped_column(String(200))
    # Set when the secretariat saves the milestone: seed-reference then leaves it alone.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_name(self) -> str:
        """The name in the reader's language (French, Spanish, else English)."""
        return in_current_language(self, "name")

    @property
    def display_note(self) -> str:
        return in_current_language(self, "note")

    @property
    def takes_positions(self) -> bool:
        return self.submission_deadline is not None

    def default_deadlines(self) -> tuple[date | None, date | None]:
        if self.kind not in KINDS_TAKING_POSITIONS:
            return None, None
        return self.start_date - SUBMISSION_LEAD, self.start_date - REVIEW_LEAD

    def submission_open(self, on: date) -> bool:
        return self.submission_deadline is not None and on <= self.submission_deadline

    def review_overdue(self, on: date) -> bool:
        return self.review_deadline is not None and on > self.review_deadline

    def __repr__(self) -> str:
        return f"<Milestone {self.name}>"

"""Amendments as things of their own, and UCLG's joint proposal for each amended paragraph.

A position's amendments are written in its form and kept, as typed, in `Position.amendments` (and in each
of its `Revision` snapshots). Each also has an `Amendment` row: a stable id that pages, joint proposals,
outcomes and the API refer to, mirroring the position's current wording. The one writer of these rows is
`drafting.positions.operations` (every save of a position). An amendment its network removes keeps its
row, marked `removed_at`, so that a decision about it keeps its subject.

The joint proposal is the secretariat's: for one paragraph of a revision, what UCLG itself proposes,
with a reason, and what became of each network's amendment to it (`AmendmentOutcome`). The networks
concerned answer "agree" or "disagree" (`ProposalAnswer`), for the proposal's current `round`: changing
the proposal's wording starts a new round and asks them again.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models._columns import one_of, version_column
from drafting.models.accounts import Organisation, User
from drafting.models.negotiated_text import TextParagraph

AMENDMENT_KINDS = ("replace", "insert_after", "delete")
# How the secretariat built the joint proposal: one network's wording as it is, one network's wording
# modified, several merged into a wording of its own, or the paragraph left as the revision has it.
JOINT_CHOICES = ("as_proposed", "modified", "merged", "unchanged")
# What the joint proposal did with each amendment to its paragraph.
OUTCOMES = ("taken", "modified", "merged", "not_taken", "obsolete")
ANSWERS = ("agree", "disagree")


class Amendment(db.Model):
    """One amendment of a position, with the id it keeps through edits: /amendments/<id>."""

    __tablename__ = "amendments"
    __table_args__ = (
        one_of("kind", AMENDMENT_KINDS, name="amendment_kind_allowed"),
        UniqueConstraint("position_id", "key", name="uq_amendments_position_key"),
        # The amendments to a paragraph (its page, the joint proposal, the table of proposals).
        Index("ix_amendments_paragraph", "paragraph_id", "removed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"))
    # Its key within the position's stored list (drafting.amendments.rules): the link between the two.
    key: Mapped[str] = mapped_column(String(64))
    # The paragraph of the negotiated text it was written against; None: not anchored to the text.
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("text_paragraphs.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20), default="replace")
    # The paragraph reference as the position gives it ("31(c)").
    paragraph: Mapped[str] = mapped_column(Text, default="")
    proposed_text: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    # Its order within the position's list.
    order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)

    position = relationship("Position", back_populates="amendment_records")
    text_paragraph: Mapped[TextParagraph | None] = relationship()

    def __repr__(self) -> str:
        return f"<Amendment {self.id} {self.key}>"


class JointProposal(db.Model):
    """UCLG's proposal for one paragraph of a revision, agreed (or not) by the networks that amended it."""

    __tablename__ = "joint_proposals"
    __table_args__ = (
        one_of("choice", JOINT_CHOICES, name="joint_proposal_choice_allowed"),
        one_of("kind", AMENDMENT_KINDS, name="joint_proposal_kind_allowed"),
        UniqueConstraint("paragraph_id", name="uq_joint_proposals_paragraph"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("text_paragraphs.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(20))
    # What the proposal does to the paragraph, as an amendment would ("unchanged" keeps "replace" with the
    # paragraph's own text); `text` is the proposed wording ("" for a deletion).
    kind: Mapped[str] = mapped_column(String(20), default="replace")
    text: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # The networks' answers are asked until this day (inclusive); None: no date set.
    answer_until: Mapped[date | None] = mapped_column(Date)
    # Raised each time the wording (or kind) changes: answers count for the round they were given in.
    round: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}

    text_paragraph: Mapped[TextParagraph] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User] = relationship(foreign_keys=[updated_by_id])
    outcomes: Mapped[list[AmendmentOutcome]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="AmendmentOutcome.id")
    answers: Mapped[list[ProposalAnswer]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalAnswer.id")


class AmendmentOutcome(db.Model):
    """What the joint proposal did with one amendment: taken, modified, merged, not taken (why), obsolete."""

    __tablename__ = "amendment_outcomes"
    __table_args__ = (
        one_of("outcome", OUTCOMES, name="amendment_outcome_allowed"),
        UniqueConstraint("proposal_id", "amendment_id", name="uq_amendment_outcomes_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("joint_proposals.id", ondelete="CASCADE"))
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[JointProposal] = relationship(back_populates="outcomes")
    amendment: Mapped[Amendment] = relationship()


class ProposalAnswer(db.Model):
    """A network's answer to a joint proposal, in one round: agree or disagree, with a comment."""

    __tablename__ = "proposal_answers"
    __table_args__ = (
        one_of("answer", ANSWERS, name="proposal_answer_allowed"),
        UniqueConstraint("proposal_id", "organisation_id", "round", name="uq_proposal_answers_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("joint_proposals.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    answer: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    proposal: Mapped[JointProposal] = relationship(back_populates="answers")
    organisation: Mapped[Organisation] = relationship()
    answered_by: Mapped[User] = relationship()

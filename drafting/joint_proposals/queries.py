"""What the joint proposal's pages (and the editions, and the API) read: for each amended paragraph of a
revision, UCLG's proposal, its state, the networks' amendments and their answers.

An amendment counts here as it counts in the uptake: one of a position put forward (`stages.COUNTED`),
anchored to the paragraph and not removed by its network. The networks a proposal concerns are those
with such an amendment to its paragraph. A revision's list costs a fixed number of statements, whatever
the number of paragraphs, amendments and answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from drafting.amendments.diff import Budget, Segment
from drafting.amendments.rules import proposed_change
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentOutcome,
    AmendmentStatus,
    JointProposal,
    Organisation,
    Position,
    ProposalAnswer,
    TextParagraph,
    TextRevision,
    stages,
)

# The state of an amended paragraph, in the order of the list's filter.
STATES = ("none", "proposed", "agreed", "disputed")
STATE_LABELS = {"none": _l("No proposal yet"), "proposed": _l("Proposed"), "agreed": _l("Agreed by all"),
                "disputed": _l("Disputed")}
CHOICE_LABELS = {"as_proposed": _l("One network's wording as it is"),
                 "modified": _l("One network's wording, modified"),
                 "merged": _l("Several wordings merged into one"),
                 "unchanged": _l("The paragraph left unchanged")}
OUTCOME_LABELS = {"taken": _l("Taken into the joint proposal"), "modified": _l("Taken in a modified form"),
                  "merged": _l("Merged"), "not_taken": _l("Not taken"), "obsolete": _l("Obsolete")}
ANSWER_LABELS = {"agree": _l("Agree"), "disagree": _l("Disagree")}


def change_of(kind: str, current_text: str, proposed_text: str, budget: Budget | None = None) -> list[Segment]:
    """A wording against the paragraph, as the pages mark it (inserted and deleted words)."""
    return proposed_change(kind, current_text, proposed_text, budget)


@dataclass
class ParagraphProposals:
    """One amended paragraph: its amendments (by network), UCLG's proposal if any, and the answers."""

    paragraph: TextParagraph
    amendments: list[Amendment] = field(default_factory=list)
    proposal: JointProposal | None = None
    # The diff work the page may spend on this paragraph's wordings (drafting.amendments.diff).
    budget: Budget = field(default_factory=Budget)

    @property
    def networks(self) -> list[Organisation]:
        """The networks the proposal concerns, by short name."""
        found = {a.position.organisation_id: a.position.organisation for a in self.amendments}
        return sorted(found.values(), key=lambda o: o.short_name)

    @property
    def network_ids(self) -> set[int]:
        return {a.position.organisation_id for a in self.amendments}

    def by_network(self) -> list[tuple[Organisation, list[Amendment]]]:
        groups: dict[int, tuple[Organisation, list[Amendment]]] = {}
        for amendment in self.amendments:
            organisation = amendment.position.organisation
            groups.setdefault(organisation.id, (organisation, []))[1].append(amendment)
        return sorted(groups.values(), key=lambda item: item[0].short_name)

    @property
    def current_answers(self) -> dict[int, ProposalAnswer]:
        """Organisation id -> its answer in the proposal's current round (concerned networks only)."""
        if self.proposal is None:
            return {}
        ids = self.network_ids
        return {a.organisation_id: a for a in self.proposal.answers
                if a.round == self.proposal.round and a.organisation_id in ids}

    @property
    def earlier_answers(self) -> list[ProposalAnswer]:
        """Answers given on an earlier wording (an earlier round), newest first."""
        if self.proposal is None:
            return []
        return sorted((a for a in self.proposal.answers if a.round < self.proposal.round),
                      key=lambda a: (-a.round, a.organisation.short_name))

    @property
    def awaiting(self) -> list[Organisation]:
        """Concerned networks that have not answered the current round."""
        answered = self.current_answers
        return [o for o in self.networks if o.id not in answered] if self.proposal else []

    @property
    def state(self) -> str:
        if self.proposal is None:
            return "none"
        answers = self.current_answers.values()
        if any(a.answer == "disagree" for a in answers):
            return "disputed"
        if self.networks and not self.awaiting:
            return "agreed"
        return "proposed"

    def outcome_of(self, amendment: Amendment) -> AmendmentOutcome | None:
        if self.proposal is None:
            return None
        return next((o for o in self.proposal.outcomes if o.amendment_id == amendment.id), None)

    def open_on(self, day: date) -> bool:
        """Whether answers are still taken on `day` (the answer-until date is inclusive)."""
        return self.proposal is not None and (self.proposal.answer_until is None or day <= self.proposal.answer_until)

    def answer_due(self, organisation_id: int | None, day: date) -> bool:
        """Whether this network still owes an answer to the current round, and may still give it."""
        return (organisation_id in self.network_ids and self.open_on(day)
                and organisation_id not in self.current_answers)

    def change_for(self, amendment: Amendment) -> list[Segment]:
        """A network's wording against the paragraph."""
        return change_of(amendment.kind, self.paragraph.text, amendment.proposed_text, self.budget)

    @property
    def proposal_change(self) -> list[Segment]:
        """UCLG's wording against the paragraph."""
        if self.proposal is None:
            return []
        return change_of(self.proposal.kind, self.paragraph.text, self.proposal.text, self.budget)


def _counted_amendments(*conditions) -> list[Amendment]:
    """The counted amendments matching `conditions`, with their positions, networks and paragraphs: one
    statement."""
    return list(db.session.scalars(
        select(Amendment)
        .join(Amendment.position).join(Position.organisation).join(Amendment.text_paragraph)
        .where(Position.stage.in_(stages.COUNTED), Amendment.removed_at.is_(None),
               TextParagraph.kind == "paragraph", *conditions)
        .options(contains_eager(Amendment.position).contains_eager(Position.organisation),
                 contains_eager(Amendment.text_paragraph))
        .order_by(TextParagraph.order, Organisation.short_name, Position.id, Amendment.order)).unique())


def _proposals(*conditions) -> list[JointProposal]:
    """Joint proposals with their outcomes and answers (and who answered): three statements."""
    return list(db.session.scalars(
        select(JointProposal).join(JointProposal.text_paragraph).where(*conditions)
        .options(contains_eager(JointProposal.text_paragraph),
                 selectinload(JointProposal.outcomes),
                 selectinload(JointProposal.answers).joinedload(ProposalAnswer.organisation),
                 selectinload(JointProposal.answers).joinedload(ProposalAnswer.answered_by))))


def paragraphs_with_amendments(revision: TextRevision) -> list[ParagraphProposals]:
    """Every paragraph of `revision` with counted amendments or a joint proposal, in the text's order. Four
    statements, whatever the data."""
    items: dict[int, ParagraphProposals] = {}
    for amendment in _counted_amendments(TextParagraph.revision_id == revision.id):
        items.setdefault(amendment.paragraph_id, ParagraphProposals(amendment.text_paragraph)).amendments.append(
            amendment)
    for proposal in _proposals(TextParagraph.revision_id == revision.id):
        items.setdefault(proposal.paragraph_id, ParagraphProposals(proposal.text_paragraph)).proposal = proposal
    return sorted(items.values(), key=lambda item: item.paragraph.order)


def paragraph_proposals(paragraph: TextParagraph) -> ParagraphProposals:
    """One paragraph's amendments, proposal and answers."""
    item = ParagraphProposals(paragraph, _counted_amendments(Amendment.paragraph_id == paragraph.id))
    found = _proposals(JointProposal.paragraph_id == paragraph.id)
    item.proposal = found[0] if found else None
    return item


def by_paragraph(paragraph_ids: Iterable[int]) -> dict[int, ParagraphProposals]:
    """For editions and the API: paragraph id -> its amendments, proposal and answers, for the given
    paragraphs that have any. A fixed number of statements."""
    ids = list(set(paragraph_ids))
    if not ids:
        return {}
    items: dict[int, ParagraphProposals] = {}
    for amendment in _counted_amendments(Amendment.paragraph_id.in_(ids)):
        items.setdefault(amendment.paragraph_id, ParagraphProposals(amendment.text_paragraph)).amendments.append(
            amendment)
    for proposal in _proposals(JointProposal.paragraph_id.in_(ids)):
        items.setdefault(proposal.paragraph_id, ParagraphProposals(proposal.text_paragraph)).proposal = proposal
    return items


def state_counts(items: Iterable[ParagraphProposals]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for item in items:
        counts[item.state] += 1
    return counts


def find_proposal(paragraph_id: int) -> JointProposal | None:
    return db.session.scalar(select(JointProposal).where(JointProposal.paragraph_id == paragraph_id))


def amendment_with_position(amendment_id: int) -> Amendment | None:
    """An amendment with its position, network and paragraph (and the paragraph's revision)."""
    return db.session.scalar(
        select(Amendment).where(Amendment.id == amendment_id)
        .options(joinedload(Amendment.position).joinedload(Position.organisation),
                 joinedload(Amendment.text_paragraph).joinedload(TextParagraph.revision)))


@dataclass(frozen=True)
class LaterStatus:
    """What a later revision did with the amendment's words (drafting.negotiated_text.following)."""

    revision: TextRevision
    anchored: TextParagraph
    successor: TextParagraph | None
    status: str


def later_statuses(amendment: Amendment) -> list[LaterStatus]:
    """The amendment's status in each revision that followed it, oldest first: one statement."""
    rows = db.session.scalars(
        select(AmendmentStatus)
        .where(AmendmentStatus.position_id == amendment.position_id, AmendmentStatus.amendment_key == amendment.key)
        .join(AmendmentStatus.text_revision)
        .options(contains_eager(AmendmentStatus.text_revision), joinedload(AmendmentStatus.anchored_paragraph),
                 joinedload(AmendmentStatus.paragraph))
        .order_by(TextRevision.issued_on, TextRevision.id))
    return [LaterStatus(s.text_revision, s.anchored_paragraph, s.paragraph, s.status) for s in rows]


def outcomes_of(amendment: Amendment) -> list[AmendmentOutcome]:
    """What joint proposals did with the amendment (one per paragraph it was anchored to), with each
    proposal and its paragraph and revision."""
    return list(db.session.scalars(
        select(AmendmentOutcome).where(AmendmentOutcome.amendment_id == amendment.id)
        .options(joinedload(AmendmentOutcome.proposal).joinedload(JointProposal.text_paragraph)
                 .joinedload(TextParagraph.revision))
        .order_by(AmendmentOutcome.id)))


def answers_due(organisation_id: int, day: date) -> list[ParagraphProposals]:
    """The proposals a network still owes an answer to, open on `day`, across revisions (its home page, or
    a reminder). A fixed number of statements."""
    paragraph_ids = set(db.session.scalars(
        select(JointProposal.paragraph_id)
        .join(Amendment, Amendment.paragraph_id == JointProposal.paragraph_id)
        .join(Position, Position.id == Amendment.position_id)
        .where(Position.organisation_id == organisation_id, Position.stage.in_(stages.COUNTED),
               Amendment.removed_at.is_(None),
               or_(JointProposal.answer_until.is_(None), JointProposal.answer_until >= day))))
    items = by_paragraph(paragraph_ids)
    return sorted((item for item in items.values() if item.answer_due(organisation_id, day)),
                  key=lambda item: (item.paragraph.revision_id, item.paragraph.order))

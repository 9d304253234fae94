"""The one writer of joint proposals and of the networks' answers.

`record_proposal` writes UCLG's proposal for a paragraph with the outcome of each amendment; a save
made on a version that someone else has saved since is refused (`StaleProposal`), never written over.
A new wording or kind starts a new round: the networks concerned are asked again (`proposal_asked`,
which the notifications hear). A new reason or answer-until date alone keeps the round and its answers.

`answer_proposal` writes a network's answer for the current round, until the answer-until date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from drafting.amendments.rules import same_proposal_key
from drafting.clock import now
from drafting.core.dates import reader_date
from drafting.extensions import db
from drafting.joint_proposals.queries import ParagraphProposals, find_proposal
from drafting.joint_proposals.signals import proposal_asked
from drafting.models import (
    AMENDMENT_KINDS,
    ANSWERS,
    JOINT_CHOICES,
    OUTCOMES,
    AmendmentOutcome,
    JointProposal,
    Organisation,
    ProposalAnswer,
    User,
)


class StaleProposal(Exception):
    """Someone saved the proposal since the form was opened: nothing was written."""

    def __init__(self, proposal: JointProposal | None):
        super().__init__("stale joint proposal")
        self.proposal = proposal


class ProposalRefused(ValueError):
    """What is wrong, by field name ("text", "outcome-<amendment id>", ...)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class AnswerRefused(ValueError):
    """Why an answer was not recorded, by field name ("answer", "comment"; "" for the whole form)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class ProposalInput:
    choice: str
    kind: str
    text: str
    reason: str
    answer_until: date | None
    # Amendment id -> (outcome, reason).
    outcomes: dict[int, tuple[str, str]] = field(default_factory=dict)


def check(item: ProposalInput, subject: ParagraphProposals, today: date) -> dict[str, str]:
    """The rules of a proposal, each broken one by the field it concerns."""
    errors: dict[str, str] = {}
    if item.choice not in JOINT_CHOICES:
        errors["choice"] = str(_l("Choose how the proposal was built."))
    if item.kind not in AMENDMENT_KINDS:
        errors["kind"] = str(_l("Choose what the proposal does to the paragraph."))
    if item.choice != "unchanged" and item.kind != "delete" and not item.text.strip():
        errors["text"] = str(_l("Write the proposed wording."))
    if item.choice == "as_proposed" and "text" not in errors:
        wordings = {(a.kind, same_proposal_key(a.proposed_text)) for a in subject.amendments}
        if (item.kind, same_proposal_key(item.text)) not in wordings:
            errors["text"] = str(_l("This is not the wording of any network: choose “modified” or “merged”, "
                                    "or start again from a network's wording."))
    if not item.reason.strip():
        errors["reason"] = str(_l("Give the reason for this proposal."))
    saved = subject.proposal.answer_until if subject.proposal else None
    if item.answer_until is None:
        errors["answer_until"] = str(_l("Set the day until which the networks may answer."))
    elif item.answer_until < today and item.answer_until != saved:
        errors["answer_until"] = str(_l("Choose today or a later day."))
    for amendment in subject.amendments:
        outcome, reason = item.outcomes.get(amendment.id, ("", ""))
        if outcome not in OUTCOMES:
            errors[f"outcome-{amendment.id}"] = str(_l("Choose what the proposal does with this amendment."))
        elif outcome == "not_taken" and not reason.strip():
            errors[f"outcome_reason-{amendment.id}"] = str(_l("Say why this amendment is not taken."))
    return errors


def record_proposal(subject: ParagraphProposals, by: User, item: ProposalInput, opened_version: int | None,
                    today: date) -> tuple[JointProposal, bool]:
    """Write UCLG's proposal for `subject.paragraph` and commit. `opened_version` is the proposal's version
    when the form was opened (None: there was none). Returns the proposal and whether the networks were
    asked (a new proposal, or a new wording or kind). Raises ProposalRefused or StaleProposal."""
    errors = check(item, subject, today)
    if errors:
        raise ProposalRefused(errors)
    proposal = subject.proposal
    if (proposal.version if proposal else None) != opened_version:
        raise StaleProposal(proposal)
    paragraph = subject.paragraph
    kind, text = item.kind, item.text.strip()
    if item.choice == "unchanged":
        kind, text = "replace", paragraph.text
    elif kind == "delete":
        text = ""
    moment = now()
    asked = proposal is None or (proposal.kind, proposal.text) != (kind, text)
    if proposal is None:
        proposal = JointProposal(paragraph_id=paragraph.id, round=1, created_by=by, created_at=moment)
        db.session.add(proposal)
    elif asked:
        proposal.round += 1
    proposal.choice, proposal.kind, proposal.text = item.choice, kind, text
    proposal.reason, proposal.answer_until = item.reason.strip(), item.answer_until
    proposal.updated_by, proposal.updated_at = by, moment
    existing = {o.amendment_id: o for o in proposal.outcomes}
    for amendment in subject.amendments:
        outcome, reason = item.outcomes[amendment.id]
        record = existing.get(amendment.id)
        if record is None:
            proposal.outcomes.append(AmendmentOutcome(amendment=amendment, outcome=outcome, reason=reason.strip()))
        else:
            record.outcome, record.reason = outcome, reason.strip()
    positions = {}
    for amendment in subject.amendments:
        positions.setdefault(amendment.position.organisation_id, amendment.position)
    try:
        db.session.flush()  # the proposal's id, for the messages
        if asked:
            proposal_asked.send(proposal, networks=subject.networks, positions=positions)
        db.session.commit()
    except (StaleDataError, IntegrityError):
        # A colleague's save (or first proposal) committed between our read and our write.
        db.session.rollback()
        raise StaleProposal(find_proposal(paragraph.id)) from None
    return proposal, asked


def answer_proposal(subject: ParagraphProposals, organisation: Organisation, by: User, answer: str, comment: str,
                    opened_round: int | None, today: date) -> ProposalAnswer:
    """Record `organisation`'s answer to the current round of the paragraph's proposal, and commit. An
    answer given again in the same round replaces the network's earlier one. Raises AnswerRefused."""
    proposal = subject.proposal
    if proposal is None or organisation.id not in subject.network_ids:
        raise AnswerRefused({"": str(_l("There is no proposal for your network to answer here."))})
    if not subject.open_on(today):
        until = reader_date(proposal.answer_until)
        raise AnswerRefused({"": str(_l("Answers were taken until %(date)s; this proposal no longer takes "
                                        "answers. Write to the secretariat.", date=until))})
    if opened_round != proposal.round:
        raise AnswerRefused({"": str(_l("The secretariat changed the proposal since you opened the page: read the "
                                        "new wording, then answer again."))})
    errors = {}
    if answer not in ANSWERS:
        errors["answer"] = str(_l("Choose “Agree” or “Disagree”."))
    elif answer == "disagree" and not comment.strip():
        errors["comment"] = str(_l("Say why your network disagrees."))
    if errors:
        raise AnswerRefused(errors)
    record = db.session.scalar(select(ProposalAnswer).where(
        ProposalAnswer.proposal_id == proposal.id, ProposalAnswer.organisation_id == organisation.id,
        ProposalAnswer.round == proposal.round))
    if record is None:
        record = ProposalAnswer(proposal=proposal, organisation=organisation, round=proposal.round)
        db.session.add(record)
    record.answer, record.comment, record.answered_by, record.answered_at = answer, comment.strip(), by, now()
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AnswerRefused({"": str(_l("A colleague answered for your network at the same moment: read their "
                                        "answer below."))}) from None
    return record

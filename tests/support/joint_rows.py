"""UCLG's joint proposals for the tests of the "UCLG joint proposal" edition: rows made directly
(`JointProposal`, `AmendmentOutcome`, `ProposalAnswer`), as the secretariat's pages would record them, and
plain data generated from a seed (`generated_joint`) with the texts Accept All and Reject All must give."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select

from drafting.documents.plan.data import JointChange, TextLine
from drafting.extensions import db
from drafting.models import (
    Amendment,
    AmendmentOutcome,
    JointProposal,
    Organisation,
    Position,
    ProposalAnswer,
    TextParagraph,
    TextRevision,
    User,
)
from drafting.positions.operations import keep_records
from tests.support.tracked_changes import NETWORKS, WORDS, _numbered, _rewording, generated_text

REASONS = ("Closest to the networks' shared wording.", "Merges the two proposals; keeps the data focus.",
           "Redundant with paragraph 17.", "Les villes tiennent les registres ; c'est local.")


def amendment_rows(revision: TextRevision) -> list[Amendment]:
    """The amendment rows on the revision's paragraphs (each position's rows brought up to date first,
    as a save of the position would), in the text's order."""
    for position in db.session.scalars(select(Position).where(Position.amendments.isnot(None))):
        if position.amendments:
            keep_records(position)
    db.session.flush()
    return list(db.session.scalars(
        select(Amendment).join(TextParagraph, TextParagraph.id == Amendment.paragraph_id)
        .where(TextParagraph.revision_id == revision.id, Amendment.removed_at.is_(None))
        .order_by(TextParagraph.order, Amendment.id)))


def propose(paragraph: TextParagraph, by: User, *, choice: str, kind: str = "replace", text: str | None = None,
            reason: str = "", outcomes: list[tuple[Amendment, str]] = (), round_: int = 1,
            when: datetime | None = None) -> JointProposal:
    """A joint proposal on `paragraph` with the outcome of each amendment given (in place of the one the
    demo data may have recorded there: a paragraph has one)."""
    db.session.execute(delete(JointProposal).where(JointProposal.paragraph_id == paragraph.id))
    proposal = JointProposal(
        text_paragraph=paragraph, choice=choice, kind=kind,
        text=paragraph.text if text is None and choice == "unchanged" else (text or ""), reason=reason,
        round=round_, created_by=by, updated_by=by, created_at=when or datetime(2018, 3, 5, 10),
        updated_at=when or datetime(2018, 3, 5, 10))
    db.session.add(proposal)
    for amendment, outcome in outcomes:
        proposal.outcomes.append(AmendmentOutcome(amendment=amendment, outcome=outcome,
                                                  reason="" if outcome != "not_taken" else "Too broad."))
    db.session.flush()
    return proposal


def answer(proposal: JointProposal, organisation: Organisation, given: str, by: User) -> ProposalAnswer:
    row = ProposalAnswer(proposal=proposal, organisation_id=organisation.id, round=proposal.round, answer=given,
                         answered_by_id=by.id)
    db.session.add(row)
    db.session.flush()
    return row


def joint_on_every_amended_paragraph(revision: TextRevision, by: User, seed: int = 0) -> list[JointProposal]:
    """A joint proposal on each paragraph of `revision` that networks amended, of every choice in turn:
    one network's wording as it is, modified, several merged, or the paragraph left unchanged."""
    rng = random.Random(seed)
    by_paragraph: dict[int, list[Amendment]] = {}
    for amendment in amendment_rows(revision):
        by_paragraph.setdefault(amendment.paragraph_id, []).append(amendment)
    proposals = []
    choices = ("as_proposed", "modified", "merged", "unchanged")
    for index, amendments in enumerate(by_paragraph.values()):
        paragraph = amendments[0].text_paragraph
        first, others = amendments[0], amendments[1:]
        choice = choices[index % len(choices)]
        reason = REASONS[index % len(REASONS)]
        if choice == "unchanged":
            proposals.append(propose(paragraph, by, choice=choice, reason=reason,
                                     outcomes=[(a, "not_taken") for a in amendments]))
            continue
        if choice == "as_proposed" or first.kind == "delete":
            kind, text = first.kind, first.proposed_text
            outcomes = [(first, "taken")] + [(a, "not_taken") for a in others]
        elif choice == "modified":
            kind, text = first.kind, _rewording(rng, first.proposed_text or paragraph.text)
            outcomes = [(first, "modified")] + [(a, "not_taken") for a in others]
        else:
            kind = "replace"
            text = _rewording(rng, paragraph.text)
            outcomes = [(a, "merged") for a in amendments[:2]] + [(a, "not_taken") for a in amendments[2:]]
        proposals.append(propose(paragraph, by, choice="as_proposed" if first.kind == "delete" else choice,
                                 kind=kind, text=text, reason=reason, outcomes=outcomes))
    db.session.commit()
    return proposals


# Plain data, from a seed -----------------------------------------------------------------------------

@dataclass
class GeneratedJoint:
    lines: list[TextLine]
    changes: list[JointChange]
    kinds: set[str]


def generated_joint(seed: int) -> GeneratedJoint:
    """The text of `tracked_changes.generated_text(seed)` with a joint proposal on most paragraphs: a
    rewording, a deletion, a new paragraph after it (often at the end of a section) or no change, by one
    to three networks or none (the secretariat's own wording)."""
    rng = random.Random(seed * 7919 + 1)
    lines = generated_text(seed).text.lines
    changes, kinds = [], set()
    start = datetime(2018, 3, 5, 9, 0)
    for line in lines:
        if line.kind != "paragraph" or rng.random() < 0.2:
            continue
        kind = rng.choice(("replace", "replace", "delete", "insert_after", "unchanged"))
        kinds.add(kind)
        networks = sorted(rng.sample(NETWORKS, rng.randint(0, 3)), key=str.casefold)
        when = start + timedelta(hours=rng.randint(0, 72))
        reason = rng.choice(REASONS + ("",))
        if kind == "unchanged":
            changes.append(JointChange(line.key, "unchanged", "replace", line.text, reason, [], when))
        elif kind == "replace":
            changes.append(JointChange(line.key, rng.choice(("as_proposed", "modified", "merged")), "replace",
                                       _rewording(rng, line.text), reason, networks, when))
        elif kind == "delete":
            changes.append(JointChange(line.key, "as_proposed", "delete", "", reason, networks, when))
        else:
            changes.append(JointChange(line.key, "modified", "insert_after",
                                       " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9))), reason,
                                       networks, when))
    return GeneratedJoint(lines, changes, kinds)


def joint_expected_texts(lines: list[TextLine], changes: list[JointChange]) -> tuple[list[str], list[str]]:
    """(the revision, the text as UCLG proposes it), paragraph by paragraph: Reject All gives the first,
    Accept All the second. A proposal to leave a paragraph unchanged changes nothing."""
    by_key = {change.paragraph_key: change for change in reversed(changes) if change.choice != "unchanged"}
    revision, proposed = [], []
    for line in lines:
        if line.kind == "heading":
            revision.append(line.text)
            proposed.append(line.text)
            continue
        revision.append(_numbered(line, line.text))
        change = by_key.get(line.key)
        if change is None or change.kind == "insert_after":
            proposed.append(_numbered(line, line.text))
        elif change.kind == "replace":
            proposed.append(_numbered(line, change.text))
        if change is not None and change.kind == "insert_after":
            proposed.append(change.text)
    return revision, proposed


def joined_joint(sets: list[GeneratedJoint]) -> GeneratedJoint:
    """Several generated sets as one (keys renumbered): fewer documents for LibreOffice to open."""
    lines, changes, kinds, offset = [], [], set(), 0
    for generated in sets:
        keys = {line.key: offset + index + 1 for index, line in enumerate(generated.lines)}
        lines += [TextLine(keys[line.key], line.kind, line.text, line.number) for line in generated.lines]
        changes += [JointChange(keys[c.paragraph_key], c.choice, c.kind, c.text, c.reason, c.networks, c.changed_at)
                    for c in generated.changes]
        kinds |= generated.kinds
        offset += len(generated.lines)
    return GeneratedJoint(lines, changes, kinds)


REVISION_DATE = date(2018, 2, 5)

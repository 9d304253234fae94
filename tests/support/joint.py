"""UCLG's joint proposals written straight to the database, for tests and benches (the secretariat's
pages that record them live elsewhere): one on a paragraph, with outcomes for amendments if given."""

from __future__ import annotations

from sqlalchemy import delete

from drafting.extensions import db
from drafting.models import AmendmentOutcome, JointProposal, TextParagraph, User


def joint_proposal(paragraph: TextParagraph, text: str, by: User, *, choice: str = "merged", kind: str = "replace",
                   reason: str = "", outcomes: dict | None = None, commit: bool = True) -> JointProposal:
    """A joint proposal on `paragraph`, in place of one the demo data may have recorded there; `outcomes`:
    {Amendment: outcome} (or {amendment id: outcome})."""
    db.session.execute(delete(JointProposal).where(JointProposal.paragraph_id == paragraph.id))
    proposal = JointProposal(text_paragraph=paragraph, choice=choice, kind=kind, text=text, reason=reason,
                             created_by=by, updated_by=by)
    for amendment, outcome in (outcomes or {}).items():
        amendment_id = amendment if isinstance(amendment, int) else amendment.id
        proposal.outcomes.append(AmendmentOutcome(amendment_id=amendment_id, outcome=outcome))
    db.session.add(proposal)
    if commit:
        db.session.commit()
    return proposal


def joint_rows(rows: list[dict]) -> None:
    """Many joint proposals at once (a bench's): dicts of JointProposal's columns, one executemany."""
    db.session.execute(JointProposal.__table__.insert(), rows)

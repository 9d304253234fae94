"""Starting an amendment from the negotiated text: where a contributor's proposal on a paragraph of a
revision goes - their network's draft for a milestone whose positions amend that revision and still
take submissions, or a new position for it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from drafting import permissions
from drafting.clock import today
from drafting.extensions import db
from drafting.models import Milestone, Position, TextRevision, User, stages
from drafting.negotiated_text.revisions import current_revision


@dataclass(frozen=True)
class ProposalTarget:
    """The milestone a proposal on this revision is for, and the network's draft for it (None: a new one)."""

    milestone: Milestone
    draft: Position | None

    def url(self, paragraph_id: int) -> str:
        if self.draft is not None:
            return url_for("positions.edit", position_id=self.draft.id, paragraph=paragraph_id)
        return url_for("positions.new", milestone=self.milestone.id, paragraph=paragraph_id)


def proposal_target(user: User | None, revision: TextRevision) -> ProposalTarget | None:
    """Where `user` proposes amendments to `revision`, or None when they cannot: not a contributor of a
    network that writes positions, or no milestone still open for submissions amends this revision.
    Of several such milestones, the one whose deadline comes first."""
    if not permissions.can_create_position(user):
        return None
    open_milestones = db.session.scalars(
        select(Milestone).where(Milestone.submission_deadline >= today())
        .order_by(Milestone.submission_deadline, Milestone.id)).all()
    milestone = next((m for m in open_milestones if (current := current_revision(m)) is not None
                      and current.id == revision.id), None)
    if milestone is None:
        return None
    drafts = db.session.scalars(
        select(Position).where(Position.organisation_id == user.organisation_id, Position.milestone_id == milestone.id,
                               Position.stage.in_(stages.EDITABLE))
        .order_by(Position.updated_at.desc(), Position.id.desc())).all()
    draft = next((p for p in drafts if permissions.can_edit_position(user, p)), None)
    return ProposalTarget(milestone, draft)

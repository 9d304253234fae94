"""The published revisions of the negotiated text, and which one a milestone's positions amend."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from drafting.extensions import db
from drafting.models import Milestone, TextRevision


def current_revision(milestone: Milestone | None = None) -> TextRevision | None:
    """The revision that positions of `milestone` amend: the latest published (by date, then id) among
    those presented at this milestone or an earlier one, or at no milestone but issued by its end.
    Without a milestone, the latest published revision. None when nothing is published."""
    query = select(TextRevision).order_by(TextRevision.issued_on.desc(), TextRevision.id.desc()).limit(1)
    if milestone is not None:
        earlier = select(Milestone.id).where(Milestone.start_date <= milestone.start_date)
        query = query.where(or_(
            TextRevision.milestone_id == milestone.id,
            TextRevision.milestone_id.in_(earlier),
            and_(TextRevision.milestone_id.is_(None), TextRevision.issued_on <= milestone.end_date),
        ))
    return db.session.scalar(query)


def published_revisions() -> list[TextRevision]:
    """Every published revision, the latest first."""
    return list(db.session.scalars(select(TextRevision).order_by(TextRevision.issued_on.desc(),
                                                                 TextRevision.id.desc())))

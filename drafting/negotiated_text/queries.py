"""What the negotiated text's pages read."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from drafting.extensions import db
from drafting.models import Milestone, TextParagraph, TextRevision


def revisions_with_paragraph_counts() -> list:
    """Each revision with its milestone and how many paragraphs it has, the latest first."""
    return db.session.execute(
        select(TextRevision, func.count(TextParagraph.id))
        .outerjoin(TextParagraph, (TextParagraph.revision_id == TextRevision.id) & (TextParagraph.kind == "paragraph"))
        .options(selectinload(TextRevision.milestone))
        .group_by(TextRevision.id)
        .order_by(TextRevision.issued_on.desc(), TextRevision.id.desc())
    ).all()


def revisions_oldest_first() -> list[TextRevision]:
    return list(db.session.scalars(select(TextRevision).order_by(TextRevision.issued_on, TextRevision.id)))


def milestones_in_order() -> list[Milestone]:
    return list(db.session.scalars(select(Milestone).order_by(Milestone.start_date, Milestone.id)))

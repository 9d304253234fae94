"""Which revisions of the negotiated text there are, and which one a milestone works on."""

from __future__ import annotations

from sqlalchemy import select

from drafting.extensions import db
from drafting.models import Milestone, TextRevision


def published_revisions() -> list[TextRevision]:
    """Every published revision, the latest first."""
    return list(db.session.scalars(select(TextRevision).order_by(TextRevision.issued_on.desc(),
                                                                 TextRevision.id.desc())))


def current_revision(milestone: Milestone, revisions: list[TextRevision] | None = None) -> TextRevision | None:
    """The revision a milestone negotiates: the latest one presented at it; failing that, the latest one
    issued by its last day (the text on the table then); failing that, the latest one. None if no
    revision is published. `revisions`: published_revisions(), if already loaded."""
    revisions = published_revisions() if revisions is None else revisions
    for revision in revisions:
        if revision.milestone_id == milestone.id:
            return revision
    for revision in revisions:
        if revision.issued_on <= milestone.end_date:
            return revision
    return revisions[0] if revisions else None

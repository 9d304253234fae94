"""What the calendar's pages read."""

from __future__ import annotations

from sqlalchemy import func, select

from drafting.extensions import db
from drafting.models import Milestone, Position


def milestones_in_order() -> list[Milestone]:
    return db.session.scalars(select(Milestone).order_by(Milestone.start_date, Milestone.id)).all()


def positions_by_stage(milestone: Milestone) -> dict[str, int]:
    """How many positions of `milestone` are at each stage (stages with none are absent)."""
    return dict(db.session.execute(
        select(Position.stage, func.count()).where(Position.milestone_id == milestone.id).group_by(Position.stage)
    ).all())


def name_taken(name: str) -> bool:
    return db.session.scalar(select(Milestone.id).where(Milestone.name == name)) is not None

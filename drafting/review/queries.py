"""What the reviewer's queue reads: the positions awaiting review (or at the stage asked), filtered."""

from __future__ import annotations

from sqlalchemy import select

from drafting import permissions
from drafting.models import Position, User, position_themes, stages
from drafting.pagination import keyset_paginate
from drafting.positions.queries import as_listed

PAGE_SIZE = 25


def queue_page(user: User, filters: dict, *, page: int, after: str | None, before: str | None):
    """One keyset page of the queue, oldest submission first (as ix_positions_review_queue holds them).
    `filters`: milestone, organisation, theme (ids) and stage (one of stages.FILTERABLE), each or None."""
    query = permissions.visible_positions(user).where(
        Position.stage == filters["stage"] if filters["stage"] else Position.stage.in_(stages.AWAITING_REVIEW))
    if filters["milestone"]:
        query = query.where(Position.milestone_id == filters["milestone"])
    if filters["organisation"]:
        query = query.where(Position.organisation_id == filters["organisation"])
    if filters["theme"]:
        query = query.where(Position.id.in_(
            select(position_themes.c.position_id).where(position_themes.c.theme_id == filters["theme"])))
    query = query.where(Position.submitted_at.is_not(None))
    rows, item = as_listed(query)
    return keyset_paginate(rows, (Position.submitted_at, Position.id), PAGE_SIZE, descending=False,
                           page=page, after=after, before=before, item=item)

"""The reviewer's queue: submitted positions, oldest first, filtered by milestone, organisation, theme
and stage. The review itself happens on the position's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from drafting import permissions
from drafting.clock import today
from drafting.forms import page_number, record_id
from drafting.models import Position, position_themes, stages
from drafting.pagination import keyset_paginate
from drafting.positions.queries import as_listed
from drafting.reference.snapshot import reference_names

bp = Blueprint("review", __name__, url_prefix="/review")

PAGE_SIZE = 25


@bp.route("")
@login_required
def queue():
    if not permissions.can_view_review_queue(current_user):
        abort(403)
    filters = {
        "milestone": request.args.get("milestone", type=record_id),
        "organisation": request.args.get("organisation", type=record_id),
        "theme": request.args.get("theme", type=record_id),
        "stage": request.args.get("stage") if request.args.get("stage") in stages.FILTERABLE else None,
    }
    query = permissions.visible_positions(current_user).where(
        Position.stage == filters["stage"] if filters["stage"] else Position.stage.in_(stages.AWAITING_REVIEW)
    )
    if filters["milestone"]:
        query = query.where(Position.milestone_id == filters["milestone"])
    if filters["organisation"]:
        query = query.where(Position.organisation_id == filters["organisation"])
    if filters["theme"]:
        query = query.where(Position.id.in_(
            select(position_themes.c.position_id).where(position_themes.c.theme_id == filters["theme"])))
    # Oldest submission first, as ix_positions_review_queue holds them; keyset pages (no OFFSET).
    query = query.where(Position.submitted_at.is_not(None))
    rows, item = as_listed(query)
    page = keyset_paginate(rows, (Position.submitted_at, Position.id), PAGE_SIZE, descending=False,
                           page=page_number(), after=request.args.get("after"), before=request.args.get("before"),
                           item=item)
    names = reference_names()
    choices = {"milestones": names.milestones_taking_positions, "organisations": names.contributing_organisations,
               "themes": names.themes_in_order}
    return render_template("review/queue.html", page=page, filters=filters, choices=choices,
                           stages=stages.FILTERABLE, today=today())

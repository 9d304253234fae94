"""The reviewer's queue: submitted positions, oldest first, filtered by milestone, organisation, theme
and stage. The review itself happens on the position's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from drafting import permissions
from drafting.clock import today
from drafting.forms import page_number, record_id
from drafting.models import stages
from drafting.reference.snapshot import reference_names
from drafting.review import queries

bp = Blueprint("review", __name__, url_prefix="/review")


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
    page = queries.queue_page(current_user, filters, page=page_number(), after=request.args.get("after"),
                              before=request.args.get("before"))
    names = reference_names()
    choices = {"milestones": names.milestones_taking_positions, "organisations": names.contributing_organisations,
               "themes": names.themes_in_order}
    return render_template("review/queue.html", page=page, filters=filters, choices=choices,
                           stages=stages.FILTERABLE, today=today())

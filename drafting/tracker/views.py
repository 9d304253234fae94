"""The secretariat's tracker (counts, timeline, exports) and the search that every role uses."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user, login_required

from drafting import permissions
from drafting.clock import today
from drafting.models import STAGES
from drafting.tracker import exports, queries
from drafting.tracker.timeline import build_timeline

bp = Blueprint("tracker", __name__)


def _secretariat_only() -> None:
    if not permissions.can_view_tracker(current_user):
        abort(403)


def _download(data: bytes, content_type: str, filename: str) -> Response:
    response = Response(data, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/tracker")
@login_required
def index():
    _secretariat_only()
    tracker = queries.build_tracker(today())
    timeline = build_timeline([row.milestone for row in tracker.rows], tracker.positions_per_milestone(),
                              tracker.today)
    return render_template("tracker/tracker.html", tracker=tracker, timeline=timeline,
                           stages=STAGES, due_soon_days=queries.DUE_SOON_DAYS)


@bp.route("/tracker.csv")
@login_required
def counts_csv():
    _secretariat_only()
    tracker = queries.build_tracker(today())
    data = exports.to_csv(exports.count_header(), exports.count_rows(tracker))
    return _download(data, exports.CSV_CONTENT_TYPE, f"tracker-{tracker.today.isoformat()}.csv")


@bp.route("/tracker-positions.csv")
@login_required
def positions_csv():
    _secretariat_only()
    data = exports.to_csv(exports.position_header(), exports.position_rows(queries.position_lines()))
    return _download(data, exports.CSV_CONTENT_TYPE, f"tracker-positions-{today().isoformat()}.csv")


@bp.route("/tracker.xlsx")
@login_required
def workbook():
    _secretariat_only()
    tracker = queries.build_tracker(today())
    data = exports.to_xlsx(tracker, queries.position_lines())
    return _download(data, exports.XLSX_CONTENT_TYPE, f"tracker-{tracker.today.isoformat()}.xlsx")


@bp.route("/search")
@login_required
def search():
    criteria = queries.SearchCriteria.from_args(request.args)
    choices = queries.search_choices()
    results = queries.search_positions(current_user, criteria, choices)
    return render_template("tracker/search.html", criteria=criteria, page=results.page, results=results,
                           choices=choices, stages=STAGES)

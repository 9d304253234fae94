"""The start page: "What needs you", each role's own list of what waits for them now."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from drafting.home.needs import closing, needs_of
from drafting.positions.workflow import submission_deadline

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    return render_template("home/needs.html", needs=needs_of(current_user), closing=closing,
                           submission_deadline=submission_deadline)

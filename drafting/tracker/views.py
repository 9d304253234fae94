from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("tracker", __name__)


@bp.route("/tracker")
@login_required
def index():
    return render_template("tracker/tracker.html")


@bp.route("/search")
@login_required
def search():
    return render_template("tracker/tracker.html")

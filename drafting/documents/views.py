from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("documents", __name__)


@bp.route("/milestones/<int:milestone_id>/compile")
@login_required
def compile(milestone_id):
    return render_template("positions/index.html")


@bp.route("/milestones/<int:milestone_id>/editions")
@login_required
def editions(milestone_id):
    return render_template("positions/index.html")

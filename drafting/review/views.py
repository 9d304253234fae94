from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.route("")
@login_required
def queue():
    return render_template("review/queue.html")

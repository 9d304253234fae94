from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("notifications", __name__)


@bp.route("/outbox")
@login_required
def outbox():
    return render_template("positions/index.html")

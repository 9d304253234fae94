from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("positions", __name__, url_prefix="/positions")


@bp.route("")
@login_required
def index():
    return render_template("positions/index.html")


@bp.route("/new")
@login_required
def new():
    return render_template("positions/index.html")


"""The network's organisations and the compact's objectives and workstreams, as loaded."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy import select

from drafting.extensions import db
from drafting.models import CompactSection, Organisation, Theme

bp = Blueprint("reference", __name__)


@bp.route("/organisations")
@login_required
def organisations():
    rows = db.session.scalars(
        select(Organisation).order_by(Organisation.contributes_positions.desc(), Organisation.short_name)
    ).all()
    return render_template("reference/organisations.html", organisations=rows)


@bp.route("/themes")
@login_required
def themes():
    rows = db.session.scalars(select(Theme).order_by(Theme.kind, Theme.number, Theme.short_label)).all()
    sections = db.session.scalars(select(CompactSection).order_by(CompactSection.order)).all()
    return render_template(
        "reference/themes.html",
        objectives=[t for t in rows if t.kind == "objective"],
        workstreams=[t for t in rows if t.kind == "workstream"],
        sections=sections,
    )

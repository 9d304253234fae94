"""The calendar: milestones, their deadlines, and (for the secretariat) editing them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from drafting import permissions
from drafting.clock import today
from drafting.extensions import db
from drafting.milestones.forms import MilestoneForm, NewMilestoneForm
from drafting.models import Milestone, Position
from drafting.positions import workflow
from drafting.reference.operations import edit_page, save_edit

bp = Blueprint("milestones", __name__, url_prefix="/milestones")


@bp.route("")
@login_required
def index():
    milestones = db.session.scalars(select(Milestone).order_by(Milestone.start_date, Milestone.id)).all()
    return render_template("milestones/index.html", milestones=milestones, today=today())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """The secretariat adds a milestone: the edit form, with its kind; the same checks as an edit."""
    if not permissions.can_edit_milestone(current_user):
        abort(403)
    form = NewMilestoneForm()
    if not form.is_submitted():
        form.approvals_required.data = 1
    elif form.validate_on_submit():
        if db.session.scalar(select(Milestone.id).where(Milestone.name == form.name.data)):
            form.name.errors.append(_("Another milestone has this name."))
        else:
            milestone = Milestone()
            db.session.add(milestone)
            save_edit(milestone, form)
            flash(_("Milestone added."), "success")
            return redirect(url_for("milestones.show", milestone_id=milestone.id), code=303)
    return render_template("milestones/edit.html", form=form, milestone=None, saved=None, submission_default=None,
                           review_default=None), 400 if form.errors else 200


@bp.route("/<int:milestone_id>")
@login_required
def show(milestone_id: int):
    milestone = db.get_or_404(Milestone, milestone_id)
    counts = {}
    if permissions.is_secretariat(current_user) or permissions.is_reviewer(current_user):
        counts = dict(
            db.session.execute(
                select(Position.stage, func.count()).where(Position.milestone_id == milestone.id)
                .group_by(Position.stage)
            ).all()
        )
    reviews_pending = sum(counts.get(stage, 0) for stage in workflow.AWAITING_REVIEW)
    return render_template("milestones/show.html", milestone=milestone, counts=counts,
                           reviews_pending=reviews_pending, today=today())


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit(milestone_id: int):
    if not permissions.can_edit_milestone(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    milestone = db.get_or_404(Milestone, milestone_id)
    form = MilestoneForm(obj=milestone)
    submission_default, review_default = milestone.default_deadlines()
    return edit_page(
        milestone, form, "milestones/edit.html", name_field="name",
        clash_query=select(Milestone.id).where(Milestone.name == form.name.data),
        clash_message=_("Another milestone has this name."),
        saved_message=lambda: _("Milestone saved."),
        done_url=lambda: url_for("milestones.show", milestone_id=milestone.id),
        milestone=milestone, submission_default=submission_default, review_default=review_default,
    )

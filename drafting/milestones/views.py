"""The calendar: milestones, their deadlines, and (for the secretariat) editing them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from drafting import permissions
from drafting.clock import today
from drafting.extensions import db
from drafting.milestones import queries
from drafting.milestones.forms import MilestoneForm, NewMilestoneForm
from drafting.models import Milestone, stages
from drafting.reference.operations import save_edit
from drafting.web.editing import edit_page
from drafting.web.loading import get_or_404, require

bp = Blueprint("milestones", __name__, url_prefix="/milestones")


@bp.route("")
@login_required
def index():
    return render_template("milestones/index.html", milestones=queries.milestones_in_order(), today=today())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """The secretariat adds a milestone: the edit form, with its kind; the same checks as an edit."""
    require(permissions.can_edit_milestone(current_user))
    form = NewMilestoneForm()
    if not form.is_submitted():
        form.approvals_required.data = 1
    elif form.validate_on_submit():
        if queries.name_taken(form.name.data):
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
    milestone = get_or_404(Milestone, milestone_id)
    counts = {}
    if permissions.is_secretariat(current_user) or permissions.is_reviewer(current_user):
        counts = queries.positions_by_stage(milestone)
    reviews_pending = sum(counts.get(stage, 0) for stage in stages.AWAITING_REVIEW)
    return render_template("milestones/show.html", milestone=milestone, counts=counts,
                           reviews_pending=reviews_pending, today=today())


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@login_required
def edit(milestone_id: int):
    require(permissions.can_edit_milestone(current_user))  # before the lookup: any id answers alike
    milestone = get_or_404(Milestone, milestone_id)
    form = MilestoneForm(obj=milestone)
    submission_default, review_default = milestone.default_deadlines()
    return edit_page(
        milestone, form, "milestones/edit.html", save=save_edit, name_field="name",
        clash_query=select(Milestone.id).where(Milestone.name == form.name.data),
        clash_message=_("Another milestone has this name."),
        saved_message=lambda: _("Milestone saved."),
        done_url=lambda: url_for("milestones.show", milestone_id=milestone.id),
        milestone=milestone, submission_default=submission_default, review_default=review_default,
    )

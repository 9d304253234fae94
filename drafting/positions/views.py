"""The pages of positions: the network's list, drafting and editing, the position itself with its
review panel, comments, history and comparison. Every stage change goes through the workflow."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from drafting import permissions
from drafting.amendments.rules import normalised
from drafting.clock import today
from drafting.core.dates import reader_date
from drafting.errors import forbidden
from drafting.forms import page_number, record_id
from drafting.models import STAGES, Milestone, Position, Revision, stages
from drafting.models.positions import TEXT_MAX
from drafting.pagination import keyset_paginate
from drafting.positions import operations, queries, workflow
from drafting.positions.diff import compare
from drafting.positions.forms import (
    CarryForwardForm,
    CommentForm,
    DecisionForm,
    ExtensionForm,
    PositionForm,
    ReasonForm,
    ResubmitForm,
    WithdrawForm,
)
from drafting.positions.queries import (
    as_listed,
    decision_for_authors,
    last_reviewed_revision,
    position_for_page,
    position_page_data,
    responses_by_revision,
)
from drafting.reference.snapshot import reference_names
from drafting.text import UnreadableText, clean_text
from drafting.web.loading import find, get_or_404, require

bp = Blueprint("positions", __name__, url_prefix="/positions")

PAGE_SIZE = 25
LIST_ORDER = (Position.updated_at, Position.id)  # descending; ix_positions_*_recent


def _visible(position: Position | None) -> Position:
    """404 for a missing position and for one the reader may not see alike (permissions.visible_position)."""
    return permissions.visible_position(current_user, position) or abort(404)


def _form_choices(form: PositionForm, position: Position | None = None) -> None:
    form.set_choices(*queries.form_choices(form.milestone_id.data, position))


def _content(form: PositionForm) -> operations.PositionContent:
    return operations.PositionContent(
        title=form.title.data, milestone_id=form.milestone_id.data, language=form.language.data,
        summary=form.summary.data, text=form.text.data, theme_ids=list(form.themes.data or []),
        amendments=form.amendment_data(),
    )


def _submit_after_save(position: Position, response: str = "") -> None:
    try:
        workflow.transition(position, "submit", current_user, comment=response)
        flash(_("Saved and submitted for review."), "success")
    except workflow.WorkflowError as refusal:
        flash(_("Saved as a draft, but not submitted: %(reason)s", reason=str(refusal)), "error")


def _refuse_submit(form: PositionForm, position: Position | None) -> bool:
    """A submit the workflow would refuse stays on the form, the reasons beside the fields and nothing
    saved (rather than a half-done draft saved and the user sent away)."""
    if not form.save_and_submit.data:
        return False
    refusals = workflow.submission_refusals(
        form.title.data, list(form.themes.data or []), form.text.data,
        find(Milestone, form.milestone_id.data),
        # An extension belongs to the milestone it was granted for: moving the position leaves it behind.
        position.extended_until if position is not None and position.milestone_id == form.milestone_id.data
        else None, amendments=form.amendment_data())
    for name, message in refusals.items():
        getattr(form, name).errors = [*getattr(form, name).errors, message]
    return bool(refusals)


@bp.route("")
@login_required
def index():
    query = permissions.visible_positions(current_user)
    milestone_id = request.args.get("milestone", type=record_id)
    stage = request.args.get("stage")
    if milestone_id:
        query = query.where(Position.milestone_id == milestone_id)
    if stage in STAGES:
        query = query.where(Position.stage == stage)
    # Last saved first: an index on (filter, updated_at, id) serves this order, so a page reads 26 rows
    # whatever the size of the table (a sort by the milestone's date would sort every row on each page),
    # and the links carry the key of the rows beside them (keyset pages: no OFFSET on a late page).
    rows, item = as_listed(query)
    page = keyset_paginate(rows, LIST_ORDER, PAGE_SIZE, descending=True, page=page_number(),
                           after=request.args.get("after"), before=request.args.get("before"), item=item)
    return render_template("positions/index.html", page=page,
                           milestones=reference_names().milestones_taking_positions,
                           milestone_id=milestone_id, stage=stage if stage in STAGES else None)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if permissions.is_contributor(current_user) and not current_user.organisation.contributes_positions:
        raise forbidden(_("%(organisation)s writes no positions, so your account cannot start one. You can read "
                          "the networks' positions and the negotiated text. If you write for a network, ask the "
                          "UCLG World Secretariat to move your account to it.",
                          organisation=current_user.organisation.short_name))
    require(permissions.can_create_position(current_user))
    form = PositionForm()
    if request.method == "GET":
        following = workflow.next_open_milestone()
        form.milestone_id.data = request.args.get("milestone", type=record_id) or (following.id if following else None)
    _form_choices(form)
    if request.method == "GET":
        form.pick_paragraph(request.args.get("paragraph", type=record_id))
    if form.add_amendment.data:
        form.add_blank_amendment()
    elif form.validate_on_submit() and not _refuse_submit(form, None):
        position = operations.create_position(current_user, _content(form))
        if form.save_and_submit.data:
            _submit_after_save(position)
        else:
            flash(_("Draft saved."), "success")
        return redirect(url_for("positions.show", position_id=position.id), code=303)
    form.show_current_texts()
    return render_template("positions/edit.html", form=form, position=None), 400 if form.errors else 200


@bp.route("/preview", methods=["POST"])
@login_required
def preview():
    """The "Preview" tab of Markdown fields: the same renderer and sanitizer as the position page, so the
    preview cannot disagree with what will be shown. Same-origin POST with the CSRF token (checked by
    CSRFProtect); the answer is an HTML fragment."""
    require(permissions.can_preview_markdown(current_user))
    text = request.form.get("text", "")[:TEXT_MAX]
    try:
        text = clean_text(text)
    except UnreadableText:
        return _("The text holds broken characters; fix them to see the preview."), 400
    return render_template("positions/_preview.html", text=text)


@bp.route("/<int:position_id>")
@login_required
def show(position_id: int):
    position = _visible(position_for_page(position_id))
    return _render_position(position)


def _render_position(position: Position, comment_form: CommentForm | None = None, status: int = 200):
    """The position page; with `comment_form`, the comment the user typed comes back with its errors."""
    data = position_page_data(position, current_user)
    carry_form = CarryForwardForm()
    carry_form.milestone_id.choices = [(m.id, m.display_name) for m in data.later_milestones]
    window_open = workflow.submission_window_open(position)
    return render_template(
        "positions/show.html", position=position, data=data, comment_form=comment_form or CommentForm(),
        decision_form=DecisionForm(prefix="decision"), reason_form=ReasonForm(),
        resubmit_form=ResubmitForm(prefix="decision"),
        extension_form=ExtensionForm(until=workflow.submission_deadline(position) or today()),
        carry_form=carry_form, window_open=window_open,
        closed_message=None if window_open else workflow.closed_window_message(position),
        missing=workflow.missing_for_submission(position) if position.stage in stages.AWAITING_SUBMISSION else [],
        offers_start_review=workflow.offers_start_review(position),
    ), status


@bp.route("/<int:position_id>/edit", methods=["GET", "POST"])
@login_required
def edit(position_id: int):
    position = get_or_404(Position, position_id, permissions.can_edit_position, visible=permissions.can_view_position)
    # After the reviewers requested changes, the form shows their decision and takes a response.
    resubmitting = position.stage == "changes_requested"
    if request.method == "GET":
        form = PositionForm(obj=position, base_revision=position.revision_number)
        # WTForms takes `obj.themes` (Theme rows, which the int checkboxes cannot match) over a keyword.
        form.themes.data = [t.id for t in position.themes]
        form.amendments.entries = []
        form.amendments.last_index = -1
        for amendment in normalised(position.amendments):
            form.amendments.append_entry({**amendment, "anchored": "1" if amendment["paragraph_id"] else ""})
    else:
        form = PositionForm()
    _form_choices(form, position)
    if request.method == "GET":
        form.pick_paragraph(request.args.get("paragraph", type=record_id))
    if form.add_amendment.data:
        form.add_blank_amendment()
    elif form.validate_on_submit() and not _refuse_submit(form, position):
        try:
            base = record_id(form.base_revision.data)
        except ValueError:
            base = 0  # unknown starting point: show the conflict page rather than overwrite anything
        try:
            operations.save_position(position, current_user, _content(form), base_revision=base)
        except operations.EditConflict as conflict:
            return _conflict(conflict, form)
        if form.save_and_submit.data:
            _submit_after_save(position, form.response.data if resubmitting else "")
        else:
            flash(_("Saved as revision %(n)d.", n=position.revision_number), "success")
        return redirect(url_for("positions.show", position_id=position.id), code=303)
    form.show_current_texts()
    decision, reason = decision_for_authors(position, current_user) if resubmitting else (None, "")
    return render_template("positions/edit.html", form=form, position=position, resubmitting=resubmitting,
                           decision=decision, decision_reason=reason), 400 if form.errors else 200


def _conflict(conflict: operations.EditConflict, form: PositionForm):
    """Someone saved meanwhile: show the user's text in full beside the newer one; nothing is overwritten."""
    position = conflict.position
    newer = position.revisions[-1]
    mine = Revision(title=form.title.data, summary=form.summary.data, text=form.text.data,
                    language=form.language.data, theme_ids=list(form.themes.data or []),
                    amendments=form.amendment_data())
    differences = compare(newer, mine)
    form.base_revision.data = position.revision_number  # saving again now is a deliberate choice
    form.show_current_texts()
    return render_template("positions/conflict.html", form=form, position=position, newer=newer,
                           base_revision=conflict.base_revision, differences=differences), 409


@bp.route("/<int:position_id>/withdraw")
@login_required
def confirm_withdraw(position_id: int):
    """The confirmation step of "Withdraw" (a page of its own: it works without JavaScript)."""
    position = get_or_404(Position, position_id, visible=permissions.can_view_position)
    require(workflow.can_transition(current_user, position, "withdraw"))
    return render_template("positions/withdraw.html", position=position, form=WithdrawForm())


@bp.route("/<int:position_id>/<any(submit, start_review, approve, request_changes, reject, withdraw, restore, "
          "reopen):action>", methods=["POST"])
@login_required
def act(position_id: int, action: str):
    position = get_or_404(Position, position_id, visible=permissions.can_view_position)
    if action == "withdraw" and request.form.get("confirmed") != "yes":
        return redirect(url_for("positions.confirm_withdraw", position_id=position.id), code=303)
    if action == "reopen":
        form = ReasonForm()
    elif action == "submit":
        form = ResubmitForm(prefix="decision")
    else:
        form = DecisionForm(prefix="decision")
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return redirect(url_for("positions.show", position_id=position.id), code=303)
    comment = form.comment.data or ""
    if (action == "reject" and request.form.get("confirmed") != "yes" and comment.strip()
            and workflow.can_transition(current_user, position, "reject")):
        # The confirmation step of "Reject", showing the reason (a page: it works without JavaScript).
        return render_template("positions/reject.html", position=position, form=form)
    # A decision's comment goes to the authors (the workflow sees to it); the internal note does not.
    # Reopening is between the secretariat and the reviewers.
    visibility = "internal" if action == "reopen" else "shared"
    internal_note = ""
    if isinstance(form, DecisionForm) and permissions.can_comment_internally(current_user):
        internal_note = form.internal_note.data or ""
    try:
        workflow.transition(position, action, current_user, comment=comment, visibility=visibility,
                            internal_note=internal_note)
    except workflow.WorkflowError as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("positions.show", position_id=position.id), code=303)
    flash(_("%(action)s: done. The position is now %(stage)s.", action=workflow.TRANSITIONS[action].label,
            stage=stages.STAGE_LABELS[position.stage]), "success")
    return redirect(url_for("positions.show", position_id=position.id), code=303)


@bp.route("/<int:position_id>/comments", methods=["POST"])
@login_required
def comment(position_id: int):
    position = get_or_404(Position, position_id, permissions.can_comment, visible=permissions.can_view_position)
    form = CommentForm()
    if form.validate_on_submit():
        visibility = form.visibility.data if permissions.can_comment_internally(current_user) else "shared"
        operations.add_comment(position, current_user, form.body.data, visibility)
        flash(_("Comment added."), "success")
        return redirect(url_for("positions.show", position_id=position.id, _anchor="comments"), code=303)
    return _render_position(position, comment_form=form, status=400)


@bp.route("/<int:position_id>/extension", methods=["POST"])
@login_required
def extension(position_id: int):
    position = get_or_404(Position, position_id, permissions.can_grant_extension, visible=permissions.can_view_position)
    form = ExtensionForm()
    if form.validate_on_submit():
        try:
            operations.grant_extension(position, current_user, form.until.data, form.reason.data)
        except workflow.WorkflowError as refusal:
            flash(str(refusal), "error")
        else:
            flash(_("Extension granted until %(date)s.", date=reader_date(form.until.data)), "success")
    else:
        flash(_("The extension needs a valid date."), "error")
    return redirect(url_for("positions.show", position_id=position.id), code=303)


@bp.route("/<int:position_id>/carry-forward", methods=["POST"])
@login_required
def carry_forward(position_id: int):
    position = get_or_404(Position, position_id, permissions.can_carry_forward, visible=permissions.can_view_position)
    form = CarryForwardForm()
    form.milestone_id.choices = [(m.id, m.display_name) for m in queries.milestones()]
    target = find(Milestone, form.milestone_id.data) if form.validate_on_submit() else None
    if target is None:
        flash(_("Choose a later milestone."), "error")
        return redirect(url_for("positions.show", position_id=position.id), code=303)
    try:
        successor = operations.carry_forward(position, target, current_user)
    except workflow.WorkflowError as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("positions.show", position_id=position.id), code=303)
    flash(_("Carried forward to %(milestone)s as a new draft.", milestone=target.name), "success")
    return redirect(url_for("positions.show", position_id=successor.id), code=303)


@bp.route("/<int:position_id>/history")
@login_required
def history(position_id: int):
    position = get_or_404(Position, position_id, permissions.can_view_history, visible=permissions.can_view_position,
                          options=[joinedload(Position.organisation), joinedload(Position.milestone)],
                          populate_existing=True)
    revisions = queries.revisions_newest_first(position)
    return render_template("positions/history.html", position=position, revisions=revisions,
                           last_reviewed=last_reviewed_revision(position),
                           responses=responses_by_revision(position))


@bp.route("/<int:position_id>/compare")
@login_required
def compare_revisions(position_id: int):
    position = get_or_404(Position, position_id, permissions.can_view_history, visible=permissions.can_view_position)
    latest = position.revision_number
    old_number = request.args.get("old", type=record_id) or max(latest - 1, 1)
    new_number = request.args.get("new", type=record_id) or latest
    revisions = queries.revisions_numbered(position, [old_number, new_number])
    if old_number not in revisions or new_number not in revisions:
        abort(404)
    differences = compare(revisions[old_number], revisions[new_number])
    return render_template("positions/compare.html", position=position, old=revisions[old_number],
                           new=revisions[new_number], differences=differences)

"""The negotiated text: its revisions, each read paragraph by paragraph, compared, and loaded."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from drafting import permissions
from drafting.clock import today
from drafting.core.filenames import safe_filename
from drafting.extensions import db
from drafting.forms import EmptyForm, record_id
from drafting.models import Milestone, Organisation, TextRevision
from drafting.negotiated_text import following, operations, queries
from drafting.negotiated_text.comparison import compare_revisions
from drafting.negotiated_text.forms import LoadRevisionForm
from drafting.negotiated_text.structure import parse_plain_text
from drafting.negotiated_text.uptake_chart import build_chart
from drafting.negotiated_text.uptake_queries import (
    build_uptake,
    followed_revisions,
    networks,
    proposals_per_paragraph,
)
from drafting.tracker import uptake_export
from drafting.web.loading import find, get_or_404, require

bp = Blueprint("negotiated_text", __name__, url_prefix="/text")


@bp.route("")
@login_required
def index():
    require(permissions.can_read_negotiated_text(current_user))
    revisions = queries.revisions_with_paragraph_counts()
    return render_template("negotiated_text/index.html", revisions=revisions)


@bp.route("/<int:revision_id>")
@login_required
def show(revision_id: int):
    require(permissions.can_read_negotiated_text(current_user))
    revision = get_or_404(TextRevision, revision_id, options=[selectinload(TextRevision.paragraphs)])
    return render_template("negotiated_text/show.html", revision=revision,
                           status_counts=following.status_counts(revision),
                           proposals=proposals_per_paragraph(revision))


@bp.route("/<int:revision_id>/reanchor", methods=["POST"])
@login_required
def retry_following(revision_id: int):
    """Retry following the amendments into a revision, after that job passed a limit."""
    if not permissions.can_load_text_revision(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    revision = db.get_or_404(TextRevision, revision_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if following.retry(revision):
        flash(_("Re-anchoring is queued again."), "success")
    return redirect(url_for("negotiated_text.show", revision_id=revision.id), code=303)


@bp.route("/compare")
@login_required
def compare():
    require(permissions.can_read_negotiated_text(current_user))
    revisions = queries.revisions_oldest_first()
    older = find(TextRevision, request.args.get("from", type=record_id))
    newer = find(TextRevision, request.args.get("to", type=record_id))
    if older is None and len(revisions) >= 2:
        older, newer = revisions[-2], revisions[-1]
    rows = compare_revisions(older, newer) if older and newer and older.id != newer.id else None
    return render_template("negotiated_text/compare.html", revisions=revisions, older=older, newer=newer,
                           rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_load_text_revision(current_user):
        abort(403)
    form = LoadRevisionForm()
    milestones = queries.milestones_in_order()
    form.milestone.choices = [(0, _("None"))] + [(m.id, m.name) for m in milestones]
    parsed = None
    if form.validate_on_submit():
        milestone = find(Milestone, form.milestone.data)
        upload = form.word_file.data
        filename = upload.filename if upload else ""
        changed_since_preview = bool(
            form.text.data and not upload and form.structure.data
            and parse_plain_text(form.text.data).canonical_text() != form.structure.data)
        if form.publish.data and form.structure.data and not changed_since_preview:
            try:
                revision = operations.publish_revision(
                    name=form.name.data, issued_on=form.issued_on.data, milestone=milestone,
                    structure=form.structure.data, source_filename=_source_filename(),
                    by=current_user)
            except operations.RevisionRefused as refusal:
                form.name.errors.append(str(refusal))
                parsed = parse_plain_text(form.structure.data)
            else:
                flash(_("Revision “%(name)s” published.", name=revision.name), "success")
                return redirect(url_for("negotiated_text.show", revision_id=revision.id))
        else:
            try:
                if upload:
                    parsed = operations.read_word_file(filename, upload.read())
                elif form.text.data:
                    parsed = operations.read_pasted_text(form.text.data)
                else:
                    form.text.errors.append(_("Choose a Word file or paste the text."))
            except operations.RevisionRefused as refusal:
                form.word_file.errors.append(str(refusal))
            if changed_since_preview and form.publish.data:
                form.text.errors.append(_("The text changed since the preview: check this preview, then publish."))
            if parsed is not None:
                if not parsed.numbered:
                    (form.word_file if upload else form.text).errors.append(
                        _("No numbered paragraph was found in this text."))
                    parsed = None
                else:
                    form.structure.data = parsed.canonical_text()
    return render_template("negotiated_text/new.html", form=form, parsed=parsed,
                           source_filename=(form.word_file.data.filename if form.word_file.data else
                                            _source_filename())), \
        422 if any(field.errors for field in form) else 200


def _source_filename() -> str:
    """The uploaded file's name, carried from the preview to the publish step in a hidden field: cleaned
    and bounded like any text before it reaches the database."""
    return safe_filename(request.form.get("source_filename", ""), default="", max_length=255)


def _uptake_request():
    """The Uptake page's filters, checked: a network's members see their own network only (another one
    answers 404, as a missing one: its figures are not their business), the secretariat every network
    or the one chosen."""
    if not permissions.can_view_uptake(current_user):
        abort(403)
    network_id = request.args.get("network", type=record_id)
    revision_id = request.args.get("revision", type=record_id)
    organisation_ids = permissions.uptake_organisation_ids(current_user)
    if network_id:
        organisation = get_or_404(Organisation, network_id)
        if not permissions.can_view_network_uptake(current_user, organisation):
            abort(404)
        organisation_ids = [organisation.id]
    return build_uptake(organisation_ids, revision_id), network_id, revision_id


@bp.route("/uptake")
@login_required
def uptake():
    figures, network_id, revision_id = _uptake_request()
    charts = {item.revision.id: build_chart(item.networks) for item in figures.revisions}
    choices = networks(None) if permissions.is_secretariat(current_user) else []
    return render_template("negotiated_text/uptake.html", uptake=figures, charts=charts, network_choices=choices,
                           revision_choices=followed_revisions(), network_id=network_id, revision_id=revision_id)


@bp.route("/uptake.csv")
@login_required
def uptake_csv():
    figures, _network_id, _revision_id = _uptake_request()
    response = Response(uptake_export.uptake_csv(figures), content_type=uptake_export.CSV_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="uptake-{today().isoformat()}.csv"'
    return response

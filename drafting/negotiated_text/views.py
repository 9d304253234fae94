"""The negotiated text: its revisions, each read paragraph by paragraph, compared, and loaded."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from drafting import permissions
from drafting.clock import today
from drafting.core.filenames import safe_filename
from drafting.extensions import db
from drafting.forms import EmptyForm, record_id
from drafting.models import Milestone, Organisation, TextParagraph, TextRevision
from drafting.negotiated_text import following, operations, pending_uploads, queries
from drafting.negotiated_text import objectives as objective_mapping
from drafting.negotiated_text.comparison import compare_revisions
from drafting.negotiated_text.forms import LoadRevisionForm, PostedForm, read_objective_choices
from drafting.negotiated_text.structure import ParsedText, parse_plain_text
from drafting.negotiated_text.uptake_chart import build_chart
from drafting.negotiated_text.uptake_queries import (
    build_uptake,
    followed_revisions,
    networks,
    proposals_on_paragraph,
    proposals_per_paragraph,
)
from drafting.positions.proposing import proposal_target
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
                           proposals=proposals_per_paragraph(revision),
                           proposal_target=proposal_target(current_user, revision))


@bp.route("/<int:revision_id>/paragraphs/<int:paragraph_id>")
@login_required
def paragraph(revision_id: int, paragraph_id: int):
    """The amendments the networks put forward on one paragraph (where its chips lead). A reader sees
    the wording of the positions they may open; of the others, only how many there are."""
    require(permissions.can_read_negotiated_text(current_user))
    paragraph = find(TextParagraph, paragraph_id)
    if paragraph is None or paragraph.revision_id != revision_id or paragraph.kind != "paragraph":
        abort(404)
    target = proposal_target(current_user, paragraph.revision)
    return render_template("negotiated_text/paragraph.html", revision=paragraph.revision, paragraph=paragraph,
                           proposals=proposals_on_paragraph(paragraph),
                           propose_url=target.url(paragraph.id) if target else None)


@bp.route("/<int:revision_id>/objectives", methods=["GET", "POST"])
@login_required
def objectives(revision_id: int):
    """The secretariat confirms or corrects the objective of each paragraph: one choice per heading
    (its paragraphs follow it), and a number beside a paragraph that belongs to another objective."""
    require(permissions.can_load_text_revision(current_user))
    revision = get_or_404(TextRevision, revision_id, options=[selectinload(TextRevision.paragraphs)])
    choices = objective_mapping.objectives()
    by_number = {theme.number: theme.id for theme in choices}
    errors: dict[int, str] = {}
    form = PostedForm()
    if request.method == "POST" and form.validate_on_submit():
        chosen, errors = read_objective_choices(revision, request.form, {t.id for t in choices}, by_number)
        if not errors:
            changed = objective_mapping.assign(revision, chosen)
            flash(_("Objectives of the paragraphs confirmed (%(n)d changed).", n=changed), "success")
            return redirect(url_for("negotiated_text.objectives", revision_id=revision.id), code=303)
    return render_template("negotiated_text/objectives.html", revision=revision, choices=choices,
                           groups=objective_mapping.sections_of(revision), errors=errors, form=form,
                           posted=request.form if errors else None), 422 if errors else 200


@bp.route("/<int:revision_id>/reanchor", methods=["POST"])
@login_required
def retry_following(revision_id: int):
    """Retry following the amendments into a revision, after that job passed a limit."""
    require(permissions.can_load_text_revision(current_user))  # before the lookup: any id answers alike
    revision = get_or_404(TextRevision, revision_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if following.retry(revision):
        flash(_("Re-anchoring is queued again."), "success")
    return redirect(url_for("negotiated_text.show", revision_id=revision.id), code=303)


@bp.route("/<int:revision_id>/following")
@login_required
def following_state(revision_id: int):
    """Whether the amendments are still being re-anchored to this revision, and the notice to show, for
    static/following.js (it refreshes the notice while re-anchoring runs, as the editions page does)."""
    require(permissions.can_read_negotiated_text(current_user))
    revision = get_or_404(TextRevision, revision_id)
    return jsonify(running=revision.reanchor_count is not None and revision.reanchored_at is None,
                   html=render_template("negotiated_text/_following.html", revision=revision,
                                        status_counts=following.status_counts(revision)))


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
    # "Only changed paragraphs": the words changed (edited, merged, added or removed); a paragraph only
    # renumbered or moved is left out with the unchanged ones.
    only_changed = request.args.get("changed") == "1"
    total = len(rows) if rows is not None else 0
    if rows is not None and only_changed:
        rows = [row for row in rows if row.change != "unchanged"]
    return render_template("negotiated_text/compare.html", revisions=revisions, older=older, newer=newer,
                           rows=rows, only_changed=only_changed, total=total)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    if not permissions.can_load_text_revision(current_user):
        abort(403)
    form = LoadRevisionForm()
    milestones = queries.milestones_in_order()
    form.milestone.choices = [(0, _("None"))] + [(m.id, m.name) for m in milestones]
    parsed = None
    # The Word file of the preview, kept on the server (pending_uploads) under the form's token.
    kept = pending_uploads.find(form.pending_upload.data, current_user) if form.is_submitted() else None
    if form.validate_on_submit():
        milestone = find(Milestone, form.milestone.data)
        upload = form.word_file.data
        changed_since_preview = bool(
            form.text.data and not upload and not kept and form.structure.data
            and parse_plain_text(form.text.data).canonical_text() != form.structure.data)
        if form.publish.data and not upload and (kept or form.structure.data) and not changed_since_preview:
            try:
                # The very file previewed, read again; or the pasted text's structure the preview showed.
                found = (operations.read_word_file(kept.filename, kept.data) if kept
                         else parse_plain_text(form.structure.data))
                revision = operations.publish_revision(
                    name=form.name.data, issued_on=form.issued_on.data, milestone=milestone,
                    structure=operations.mark_unnumbered_lines(found, _line_uses()),
                    source_filename=kept.filename if kept else _source_filename(), by=current_user)
            except operations.RevisionRefused as refusal:
                form.name.errors.append(str(refusal))
                parsed = (operations.read_word_file(kept.filename, kept.data) if kept
                          else parse_plain_text(form.structure.data))
            else:
                if kept:
                    pending_uploads.discard(kept)
                    db.session.commit()
                flash(_("Revision “%(name)s” published.", name=revision.name), "success")
                return redirect(url_for("negotiated_text.show", revision_id=revision.id))
        else:
            parsed = _preview(form, upload, kept)
            if kept is not None and (upload or form.text.data):  # another file, or pasted text, instead
                pending_uploads.discard(kept)
                db.session.commit()
                kept = None
            if parsed is not None and upload:
                kept = pending_uploads.keep(current_user, upload.filename, parsed_bytes(upload))
            if changed_since_preview and form.publish.data:
                form.text.errors.append(_("The text changed since the preview: check this preview, then publish."))
    form.pending_upload.data = kept.token if kept else ""
    return render_template("negotiated_text/new.html", form=form, parsed=parsed, kept=kept, line_uses=_line_uses(),
                           source_filename=(kept.filename if kept else _source_filename())), \
        422 if any(field.errors for field in form) else 200


def _preview(form: LoadRevisionForm, upload, kept) -> ParsedText | None:
    """Read what was given (a new file, the kept one, or the pasted text) for the preview; the
    reasons it cannot be read beside the field."""
    parsed = None
    try:
        if upload:
            parsed = operations.read_word_file(upload.filename, parsed_bytes(upload))
        elif kept and not form.text.data:
            parsed = operations.read_word_file(kept.filename, kept.data)
        elif form.text.data:
            parsed = operations.read_pasted_text(form.text.data)
        else:
            form.text.errors.append(_("Choose a Word file or paste the text."))
    except operations.RevisionRefused as refusal:
        form.word_file.errors.append(str(refusal))
    if parsed is not None and not parsed.numbered:
        (form.word_file if upload or kept else form.text).errors.append(
            _("No numbered paragraph was found in this text."))
        return None
    if parsed is not None:
        form.structure.data = parsed.canonical_text()
    return parsed


def parsed_bytes(upload) -> bytes:
    """The uploaded file's bytes, read once however often they are asked for."""
    upload.stream.seek(0)
    return upload.stream.read()


def _line_uses() -> dict[int, str]:
    """What the secretariat chose for each unnumbered line of the preview ("line-<index>")."""
    uses = {}
    for name, value in request.form.items():
        if name.startswith("line-") and name[5:].isdigit() and value in operations.LINE_USES:
            uses[int(name[5:])] = value
    return uses


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

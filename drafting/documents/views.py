"""Pages of the consolidated document: compiling editions, listing and downloading them, and the Word
annexes attached to positions. Each view loads (404), checks (403), then acts."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import undefer
from werkzeug.routing import BuildError

from drafting import permissions
from drafting.clock import today
from drafting.core.dates import long_date
from drafting.core.filenames import safe_filename
from drafting.documents.editions import CompileError, compile_edition, retry_preparation
from drafting.documents.forms import AttachmentForm, CompileForm
from drafting.documents.jobs import preparation
from drafting.documents.naming import CompileOptions, default_symbol, default_title
from drafting.documents.queries import (
    annexes_left_out,
    edition_positions,
    edition_states_of,
    edition_summary,
    editions_of,
    symbol_in_use,
)
from drafting.documents.render.packaging import DOCX_MIMETYPE
from drafting.documents.render.words import DOCUMENT_LANGUAGES
from drafting.documents.uploads import attach_annex, remove_annex
from drafting.forms import EmptyForm, page_number
from drafting.models import Attachment, Edition, Milestone, Position
from drafting.negotiated_text.revisions import current_revision, published_revisions
from drafting.pagination import keyset_paginate
from drafting.positions.queries import as_listed
from drafting.web.loading import get_or_404
from drafting.wordfiles import ANNEX, REMOVED_LABELS, WordFileRefused

bp = Blueprint("documents", __name__)

COMPILE_PAGE_SIZE = 25


@bp.route("/milestones/<int:milestone_id>/compile", methods=["GET", "POST"])
@login_required
def compile(milestone_id: int):
    if not permissions.can_compile(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    milestone = get_or_404(Milestone, milestone_id)
    revisions = published_revisions()
    current = current_revision(milestone)
    # The suggested title in each document language: the form shows the one of the chosen language, and
    # static/compile.js swaps it when the language changes (unless the secretariat wrote their own).
    titles = {code: default_title(milestone, code) for code in DOCUMENT_LANGUAGES}
    form = CompileForm(symbol=default_symbol(milestone), document_date=today(),
                       text_revision=current.id if current else None)
    if not form.is_submitted():
        form.title.data = titles.get(form.language.data, titles["en"])
    language = str(get_locale() or "en")
    form.text_revision.choices = [(r.id, f"{r.name} ({long_date(r.issued_on, language)})") for r in revisions]
    if form.validate_on_submit() and not _symbol_taken(form):
        # The suggested title left as it is: the document gets it, for its kind, in its own language.
        title = "" if form.title.data in _suggested(titles) else form.title.data
        options = CompileOptions(kind=form.kind.data, text_revision_id=form.text_revision.data,
                                 title=title, grouping=form.grouping.data, preface=form.preface.data or "",
                                 amendments_annex=form.amendments_annex.data,
                                 review_comments=form.review_comments.data,
                                 uploaded_annexes=form.uploaded_annexes.data,
                                 language=form.language.data, symbol=form.symbol.data or "",
                                 distribution=form.distribution.data, advance_unedited=form.advance_unedited.data,
                                 document_date=form.document_date.data,
                                 number_paragraphs=form.number_paragraphs.data,
                                 pdf_archive=form.pdf_archive.data,
                                 joint_agreed_only=form.joint_agreed_only.data)
        try:
            edition = compile_edition(milestone, current_user, options, seen=form.positions_seen.data or None)
        except CompileError as error:
            flash(str(error), "error")
        else:
            flash(ngettext("Edition %(number)s of %(num)d position is being prepared: it is ready to download "
                           "when this page says “Ready”.",
                           "Edition %(number)s of %(num)d positions is being prepared: it is ready to download "
                           "when this page says “Ready”.", len(edition.entries),
                           number=edition.number), "success")
            return redirect(url_for("documents.editions", milestone_id=milestone.id))
    # Counts per network, and the list itself a page at a time (a milestone may have thousands).
    summary = edition_summary(milestone)
    form.positions_seen.data = summary.fingerprint  # what this page shows, now
    rows, item = as_listed(edition_positions(milestone))
    page = keyset_paginate(rows, (Position.id,), COMPILE_PAGE_SIZE, descending=False, page=page_number(),
                           after=request.args.get("after"), before=request.args.get("before"),
                           counted=(summary.total, False), item=item)
    return render_template("documents/compile.html", milestone=milestone, form=form, summary=summary, page=page,
                           left_out=annexes_left_out(milestone), default_titles=titles), 400 if form.errors else 200


def _suggested(titles: dict[str, str]) -> set[str]:
    """The suggested titles as the form sends them back (its spaces made plain by the browser or a
    copy and paste): any of them left as it is lets the edition take its own, in its language."""
    return {" ".join(title.split()) for title in titles.values()} | set(titles.values())


def _symbol_taken(form: CompileForm) -> bool:
    if form.symbol.data and symbol_in_use(form.symbol.data):
        form.symbol.errors.append(_("This symbol is already used by another edition: choose another one."))
        return True
    return False


@bp.route("/milestones/<int:milestone_id>/editions")
@login_required
def editions(milestone_id: int):
    if not permissions.can_view_editions(current_user):
        abort(403)
    milestone = get_or_404(Milestone, milestone_id)
    return render_template("documents/editions.html", milestone=milestone, editions=editions_of(milestone),
                           **_state_helpers())


def _state_helpers() -> dict:
    """What the template of an edition's state (documents/_edition_state.html) needs besides the edition."""
    return {"retry_form": EmptyForm(), "failure_text": preparation.failure_text,
            "no_pdf_text": preparation.no_pdf_text, "left_out_reason": preparation.left_out_reason}


STATE_WORDS = {"preparing": _l("Preparing"), "ready": _l("Ready"), "failed": _l("Failed")}


@bp.route("/milestones/<int:milestone_id>/editions/states")
@login_required
def edition_states(milestone_id: int):
    """Each edition's state, for the editions page's script (it refreshes the page while one is preparing)."""
    if not permissions.can_view_editions(current_user):
        abort(403)
    milestone = get_or_404(Milestone, milestone_id)
    helpers = _state_helpers()
    return jsonify(editions=[{
        "id": edition.id, "state": edition.state,
        "status": _("Edition %(number)s: %(state)s", number=edition.number, state=STATE_WORDS[edition.state]),
        "html": render_template("documents/_edition_state.html", edition=edition, **helpers),
    } for edition in edition_states_of(milestone)])


@bp.route("/editions/<int:edition_id>/retry", methods=["POST"])
@login_required
def retry_edition(edition_id: int):
    if not permissions.can_view_editions(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    edition = get_or_404(Edition, edition_id)
    if not permissions.can_retry_edition(current_user, edition):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if retry_preparation(edition):
        flash(_("Edition %(number)s is being prepared again.", number=edition.number), "success")
    return redirect(url_for("documents.editions", milestone_id=edition.milestone_id))


@bp.route("/editions/<int:edition_id>/download")
@login_required
def download_edition(edition_id: int):
    if not permissions.can_view_editions(current_user):
        abort(403)
    edition = get_or_404(Edition, edition_id, options=[undefer(Edition.data)])
    if not permissions.can_download_edition(current_user, edition):
        abort(403)
    if not edition.ready:
        abort(404)
    return send_file(io.BytesIO(edition.data), mimetype=DOCX_MIMETYPE, as_attachment=True,
                     download_name=edition.filename, etag=edition.sha256, max_age=0)


@bp.route("/editions/<int:edition_id>/pdf")
@login_required
def download_edition_pdf(edition_id: int):
    if not permissions.can_view_editions(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    edition = get_or_404(Edition, edition_id, options=[undefer(Edition.pdf_data)])
    if not permissions.can_download_edition(current_user, edition):
        abort(403)
    if not edition.ready or edition.pdf_data is None:
        abort(404)
    return send_file(io.BytesIO(edition.pdf_data), mimetype="application/pdf", as_attachment=True,
                     download_name=edition.pdf_filename, etag=edition.pdf_sha256, max_age=0)


# Word annexes of a position ------------------------------------------------------------------

@bp.route("/positions/<int:position_id>/attachments", methods=["GET", "POST"])
@login_required
def attachments(position_id: int):
    position = get_or_404(Position, position_id, visible=permissions.can_view_position)
    if not permissions.can_download_attachment(current_user, position):
        abort(403)
    form = AttachmentForm()
    if form.is_submitted():
        if not permissions.can_upload_attachment(current_user, position):
            abort(403)
        if form.validate():
            upload = form.file.data
            data = upload.stream.read(ANNEX.file_bytes + 1)
            try:
                attachment, removed = attach_annex(position, current_user, upload.filename or "", data)
            except WordFileRefused as error:
                form.file.errors.append(str(error))
            else:
                flash(_("“%(name)s” is attached.", name=attachment.filename), "success")
                if removed:
                    flash(_("Removed from it before storing, so that no reader of an edition reaches outside "
                            "or runs code: %(what)s.", what=", ".join(sorted(str(REMOVED_LABELS[k]) for k in removed))),
                          "info")
                return redirect(url_for("documents.attachments", position_id=position.id))
    return render_template("documents/attachments.html", position=position, attachment_form=form,
                           position_url=_position_url(position)), 400 if form.errors else 200


def _position_url(position: Position) -> str | None:
    # The position page belongs to the positions area; link back to it once it exists.
    try:
        return url_for("positions.show", position_id=position.id)
    except BuildError:
        return None


@bp.route("/attachments/<int:attachment_id>")
@login_required
def download_attachment(attachment_id: int):
    attachment = get_or_404(Attachment, attachment_id, options=[undefer(Attachment.data)])
    if not permissions.visible_position(current_user, attachment.position):
        abort(404)
    if not permissions.can_download_attachment(current_user, attachment.position):
        abort(403)
    # Names stored before uploads were cleaned may hold CR, LF or broken characters: clean again, so
    # that the Content-Disposition header is always valid (werkzeug writes the RFC 5987 filename*).
    return send_file(io.BytesIO(attachment.data), mimetype=DOCX_MIMETYPE, as_attachment=True,
                     download_name=safe_filename(attachment.filename), max_age=0)


@bp.route("/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(attachment_id: int):
    attachment = get_or_404(Attachment, attachment_id)
    position = permissions.visible_position(current_user, attachment.position) or abort(404)
    if not permissions.can_upload_attachment(current_user, position):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    name = attachment.filename
    remove_annex(attachment)
    flash(_("“%(name)s” was removed.", name=name), "success")
    return redirect(url_for("documents.attachments", position_id=position.id))


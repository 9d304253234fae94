"""The secretariat's outbox: every email the desk wrote, whether it went out, and what it said; and every
user's "Notifications": the messages addressed to them, read or unread."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from drafting import permissions
from drafting.extensions import db
from drafting.forms import EmptyForm, page_number
from drafting.models import OutboxMessage, Position
from drafting.notifications import inbox, joint_proposals, quotes
from drafting.notifications.delivery import status
from drafting.web.loading import find

bp = Blueprint("notifications", __name__)

PAGE_SIZE = 50
STATUS_LABELS = {
    "sent": _l("Sent"),
    "logged": _l("Written to the log"),
    "pending": _l("Pending"),
    "failed": _l("Failed, will be retried"),
    "abandoned": _l("Failed too often, no longer retried"),
}
KIND_LABELS = {
    "submitted": _l("Submitted"),
    "withdrawn": _l("Withdrawn"),
    "changes_requested": _l("Changes requested"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "reopened": _l("Reopened"),
    "comment": _l("Comment"),
    "reminder_review": _l("Review reminder"),
    "reminder_submission": _l("Submission reminder"),
    "invitation": _l("Invitation"),
    "password_reset": _l("Password reset"),
    "token_created": _l("Access token created"),
    "token_revoked": _l("Access token revoked"),
    "amendment_statuses": _l("Amendments in a new revision"),
    "joint_proposal": _l("UCLG's joint proposal"),
}


@bp.record_once
def _log_mail_in_development(state) -> None:
    # Without MAIL_SERVER the messages are written to the log at INFO level; Flask's logger only
    # shows INFO in debug mode, so let it through when nothing else set a level.
    app = state.app
    if not app.config.get("MAIL_SERVER") and not app.logger.level:
        app.logger.setLevel("INFO")


def unread_notifications() -> int:
    """For the navigation: counted once per request, and only where a page shows it."""
    if "unread_notifications" not in g:
        g.unread_notifications = inbox.unread_count(current_user) if current_user.is_authenticated else 0
    return g.unread_notifications


@bp.app_context_processor
def outbox_labels():
    return {"outbox_status": status, "OUTBOX_STATUS_LABELS": STATUS_LABELS, "OUTBOX_KIND_LABELS": KIND_LABELS,
            "unread_notifications": unread_notifications}


@bp.route("/notifications")
@login_required
def notifications():
    page = db.paginate(inbox.messages_for(current_user), page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("notifications/notifications.html", page=page, form=EmptyForm())


@bp.route("/notifications/<int:message_id>")
@login_required
def notification(message_id: int):
    """Reading a notification marks it read, as in a mail client."""
    found = find(OutboxMessage, message_id)
    # Another person's notification answers as a missing one: whether it exists is not the reader's business.
    if found is None or not permissions.can_read_notification(current_user, found):
        abort(404)
    inbox.mark_read(found)
    position = find(Position, found.position_id)
    if position is not None and not permissions.can_view_position(current_user, position):
        position = None
    return render_template("notifications/notification.html", message=found, position=position,
                           body=_body(found))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_all_read():
    if EmptyForm().validate_on_submit():
        inbox.mark_all_read(current_user)
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.notifications"), code=303)


@bp.route("/outbox")
@login_required
def outbox():
    if not permissions.can_view_outbox(current_user):
        abort(403)
    query = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    page = db.paginate(query, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("notifications/outbox.html", page=page,
                           mail_server=current_app.config.get("MAIL_SERVER"))


@bp.route("/outbox/<int:message_id>")
@login_required
def message(message_id: int):
    if not permissions.can_view_outbox(current_user):
        abort(403)  # before the lookup: an existing and a missing id answer alike
    found = find(OutboxMessage, message_id)
    if found is None:
        abort(404)
    return render_template("notifications/message.html", message=found, body=_body(found))


def _body(message: OutboxMessage) -> list[quotes.Part]:
    """The message's text in parts: the quotations of the negotiated text (a joint proposal's wording) apart."""
    return quotes.parts(message.body, with_quotes=message.kind == joint_proposals.KIND)

"""The outbox: emails are written in the same transaction as the action; the worker sends them.

The workflow announces its moves (`drafting.positions.signals`); the receivers at the bottom of this
module answer with `queue_for_event` and `queue_for_comment`, which only ADD `OutboxMessage` rows to
the session of the action (they never commit), so a message exists exactly when its action committed.
Sending is the background worker's (`drafting/notifications/tasks.py`): it is nudged when the action
commits and also looks every minute. A failed send is retried with back-off; it never undoes the action.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from drafting import permissions
from drafting.core.dates import reader_date
from drafting.extensions import db
from drafting.models import Comment, OutboxMessage, Position, StageEvent, User
from drafting.models.stages import AWAITING_REVIEW, AWAITING_SUBMISSION, STAGE_LABELS
from drafting.positions.signals import comment_added, position_moved
from drafting.positions.workflow import submission_deadline
from drafting.text import collapse_whitespace

SUBJECT_TITLE_MAX = 200


@dataclass(frozen=True)
class EventMail:
    """What a stage event tells whom. Subject and introduction are formatted in the reader's language."""

    kind: str
    subject: object
    intro: object
    audiences: tuple[str, ...]


EVENT_MAILS: dict[str, EventMail] = {
    "submit": EventMail("submitted", _l("Submitted for review: %(title)s"),
                        _l("%(actor)s (%(organisation)s) submitted this position for review."), ("reviewers",)),
    # Reviewers had it in their queue: they can stop looking at it.
    "withdraw": EventMail("withdrawn", _l("Withdrawn: %(title)s"),
                          _l("%(actor)s (%(organisation)s) withdrew this position; it no longer needs a review."),
                          ("reviewers",)),
    "request_changes": EventMail("changes_requested", _l("Changes requested: %(title)s"),
                                 _l("%(actor)s asked for changes to this position. Revise it and submit it again."),
                                 ("contributors",)),
    "approve": EventMail("approved", _l("Approved: %(title)s"), _l("%(actor)s approved this position."),
                         ("contributors",)),
    "reject": EventMail("rejected", _l("Rejected: %(title)s"), _l("%(actor)s rejected this position."),
                        ("contributors",)),
    "reopen": EventMail("reopened", _l("Reopened for review: %(title)s"),
                        _l("%(actor)s reopened the review of this position."), ("contributors", "reviewers")),
}

COMMENT_MAIL = EventMail("comment", _l("New comment: %(title)s"),
                         _l("%(actor)s commented on this position."), ("contributors",))


# Who hears about what ---------------------------------------------------------------------------

def reviewers_for(position: Position, exclude: User | None = None) -> list[User]:
    """Active reviewers who may review this position: never the people who wrote it."""
    reviewers = db.session.scalars(
        select(User).where(User.role == "reviewer", User.active.is_(True)).order_by(User.id)
    ).all()
    return [user for user in reviewers if user != exclude and permissions.can_review(user, position)]


def contributors_of(position: Position, exclude: User | None = None) -> list[User]:
    """The active contributors of the organisation that owns the position."""
    contributors = db.session.scalars(
        select(User).where(User.organisation_id == position.organisation_id, User.role == "contributor",
                           User.active.is_(True)).order_by(User.id)
    ).all()
    return [user for user in contributors if user != exclude]


def _audience(position: Position, audiences: Iterable[str], exclude: User | None) -> list[User]:
    people: dict[int, User] = {}
    for audience in audiences:
        found = reviewers_for(position, exclude) if audience == "reviewers" else contributors_of(position, exclude)
        for user in found:
            people.setdefault(user.id, user)
    return list(people.values())


def may_read_comment(user: User, visibility: str) -> bool:
    """Internal comments stay between reviewers and the secretariat, in mail as on the page."""
    return visibility == "shared" or permissions.can_comment_internally(user)


# Queueing ---------------------------------------------------------------------------------------

def queue_for_event(event: StageEvent, comment_visibility: str | None = None) -> list[OutboxMessage]:
    """Queue the emails a stage event causes, in the action's transaction (no commit here)."""
    mail = EVENT_MAILS.get(event.action)
    if mail is None:
        return []
    position = event.position
    if event.action == "approve" and event.to_stage != "approved":
        return []  # more approvals needed: nothing is decided yet
    if event.action == "withdraw" and position.submitted_at is None:
        return []  # never submitted: no reviewer ever saw it
    # No autoflush: a concurrent edit must surface at the action's commit, as a WorkflowError.
    with db.session.no_autoflush:
        recipients = _audience(position, mail.audiences, exclude=event.actor)
        messages = []
        for user in recipients:
            comment = event.comment if comment_visibility and may_read_comment(user, comment_visibility) else ""
            messages.append(queue_message(user, mail.kind, position, mail.subject, mail.intro,
                                          actor=event.actor, comment=comment))
    return messages


def queue_for_comment(comment: Comment) -> list[OutboxMessage]:
    """Queue the emails a comment causes: shared ones go to the organisation's contributors."""
    if not comment.is_shared:
        return []
    with db.session.no_autoflush:
        return [
            queue_message(user, COMMENT_MAIL.kind, comment.position, COMMENT_MAIL.subject, COMMENT_MAIL.intro,
                          actor=comment.author, comment=comment.body)
            for user in contributors_of(comment.position, exclude=comment.author)
        ]


def queue_message(recipient: User, kind: str, position: Position, subject, intro, *, actor: User | None = None,
                  comment: str = "", deadline: date | None = None, dedupe_key: str | None = None,
                  details: Callable[[], str] | None = None, **names: str) -> OutboxMessage:
    """Write one message, in the recipient's language, and add it to the session. `details`, if any,
    writes a block of lines after the introduction (called in the recipient's language); `names`
    are more %(name)s for the subject and the introduction."""
    with force_locale(recipient.locale or "en"):
        params = {
            "title": _shorten(position.title, SUBJECT_TITLE_MAX),
            "actor": actor.name if actor else "",
            "organisation": position.organisation.short_name,
            "milestone": position.milestone.display_name,
            "date": reader_date(deadline),
            **names,
        }
        subject_text = collapse_whitespace(str(subject) % params)  # one line: no header injection
        body = render_body(recipient, position, str(intro) % params, comment=comment,
                           details=details() if details else "")
    message = OutboxMessage(kind=kind, recipient=recipient.email, subject=subject_text[:300], body=body,
                            dedupe_key=dedupe_key, attempts=0, last_error="", recipient_id=recipient.id,
                            position_id=position.id)
    db.session.add(message)
    return message


def render_body(recipient: User, position: Position, intro: str, comment: str = "", details: str = "") -> str:
    """The plain-text body, rendered in whatever locale is current (see `force_locale` above)."""
    milestone = position.milestone
    template = current_app.jinja_env.get_template("notifications/mail/position.txt")
    return template.render(
        recipient=recipient,
        intro=intro,
        details=details,
        position=position,
        stage=str(STAGE_LABELS[position.stage]),
        milestone=milestone,
        # The deadline that matters now: the authors' while they must submit, the reviewers' after.
        submission_deadline=reader_date(submission_deadline(position)) if position.stage in AWAITING_SUBMISSION
        else None,
        review_deadline=reader_date(milestone.review_deadline) if position.stage in AWAITING_REVIEW else None,
        comment=comment,
        link=position_link(position),
    ).strip() + "\n"


def position_link(position: Position) -> str:
    return page_link("positions.show", position_id=position.id)


def page_link(endpoint: str, **values) -> str:
    """A page's address, from the route itself (as url_for), under BASE_URL: mail is also written
    outside any request (the worker, the command line), where url_for has no host to use."""
    base = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    urls = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return urls.build(endpoint, values, force_external=True)


def _shorten(text: str, limit: int) -> str:
    text = collapse_whitespace(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Listening to the positions area -----------------------------------------------------------------

@position_moved.connect
def _on_position_moved(position: Position, event: StageEvent, comment_visibility: str | None = None, **_) -> None:
    queue_for_event(event, comment_visibility=comment_visibility)


@comment_added.connect
def _on_comment_added(position: Position, comment: Comment, **_) -> None:
    queue_for_comment(comment)

"""Telling the authors what became of their amendments in a new revision of the text: one message
per position (to each of its network's contributors), listing its amendments and their statuses.

Listens to `amendments_followed` (drafting/negotiated_text/signals.py). Each message carries a dedupe
key naming revision, position and recipient, so a following that runs twice tells nobody twice.
"""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from drafting.amendments.uptake import STATUS_LABELS
from drafting.extensions import db
from drafting.models import OutboxMessage, Position, TextRevision, User, stages
from drafting.negotiated_text.following import FollowedAmendment
from drafting.negotiated_text.signals import amendments_followed
from drafting.notifications.outbox import queue_message

KIND = "amendment_statuses"
SUBJECT = _l("%(revision)s: what became of your amendments to %(title)s")
INTRO = _l("%(revision)s of the negotiated text was published. Each amendment of this position was "
           "followed from %(before)s to the paragraph that now holds its words:")
# Positions whose authors hear nothing: they no longer propose anything.
CHUNK = 900  # ids per IN (...), within SQLite's limit on bound parameters


def dedupe_key(revision: TextRevision, position_id: int, user: User) -> str:
    return f"amendments:{revision.id}:{position_id}:{user.id}"


def describe(amendment: FollowedAmendment, before: str, revision: str) -> str:
    """One line of the message, in the current (the recipient's) language."""
    status = str(STATUS_LABELS[amendment.status])
    if amendment.successor is None:
        return str(_l("- Paragraph %(number)s (%(before)s): %(status)s.", number=amendment.paragraph,
                      before=before, status=status))
    return str(_l("- Paragraph %(number)s (%(before)s), now paragraph %(successor)s (%(revision)s): %(status)s.",
                  number=amendment.paragraph, before=before, successor=amendment.successor, revision=revision,
                  status=status))


def queue_for_followed(revision: TextRevision, before: TextRevision,
                       followed: dict[int, list[FollowedAmendment]]) -> list[OutboxMessage]:
    """Queue the messages (no commit): a fixed number of statements, whatever the number of positions."""
    ids = sorted(followed)
    positions: list[Position] = []
    for start in range(0, len(ids), CHUNK):
        positions += db.session.scalars(
            select(Position).where(Position.id.in_(ids[start:start + CHUNK]), Position.stage.not_in(stages.SILENT))
            .options(joinedload(Position.organisation), joinedload(Position.milestone))).all()
    contributors: dict[int, list[User]] = defaultdict(list)
    for user in db.session.scalars(select(User).where(User.role == "contributor", User.active.is_(True))
                                   .order_by(User.id)):
        contributors[user.organisation_id].append(user)
    already = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(
        OutboxMessage.dedupe_key.like(f"amendments:{revision.id}:%"))))
    messages = []
    for position in sorted(positions, key=lambda p: p.id):
        lines = followed[position.id]
        for user in contributors[position.organisation_id]:
            key = dedupe_key(revision, position.id, user)
            if key in already:
                continue
            already.add(key)
            messages.append(queue_message(
                user, KIND, position, SUBJECT, INTRO, dedupe_key=key,
                details=lambda lines=lines: "\n".join(describe(a, before.name, revision.name) for a in lines),
                revision=revision.name, before=before.name))
    return messages


@amendments_followed.connect
def _on_amendments_followed(revision: TextRevision, before: TextRevision,
                            followed: dict[int, list[FollowedAmendment]], **_) -> None:
    with db.session.no_autoflush:
        queue_for_followed(revision, before, followed)

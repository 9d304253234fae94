"""The in-app "Notifications": the outbox messages addressed to a user, read or unread.

The same rows as the emails (one home for what a message says); `read_at` is the reader's own mark.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from drafting.clock import now
from drafting.extensions import db
from drafting.models import OutboxMessage, User


def messages_for(user: User):
    """The user's messages, newest first (a query, for paging)."""
    return (select(OutboxMessage).where(OutboxMessage.recipient_id == user.id)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()))


def unread_count_sql(user_id):
    """How many of the messages to `user_id` (a value or a column) are unread, as a scalar subquery."""
    return (select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.recipient_id == user_id, OutboxMessage.read_at.is_(None)).scalar_subquery())


def unread_count(user: User) -> int:
    return db.session.scalar(select(unread_count_sql(user.id))) or 0


def mark_read(message: OutboxMessage) -> None:
    if message.read_at is None:
        message.read_at = now()
        db.session.commit()


def mark_all_read(user: User) -> int:
    marked = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.recipient_id == user.id, OutboxMessage.read_at.is_(None))
        .values(read_at=now())
    ).rowcount
    db.session.commit()
    return marked

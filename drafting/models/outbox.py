from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from drafting.clock import now
from drafting.extensions import db


class OutboxMessage(db.Model):
    """An email waiting to be sent, or sent. The action that caused it committed first."""

    __tablename__ = "outbox_messages"
    # The in-app "Notifications" list: a user's messages, newest first, and the unread count.
    __table_args__ = (Index("ix_outbox_messages_recipient_read", "recipient_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # Reminders carry a key such as "reminder:review:42:7:2018-02-10": one per day at most.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Whom the message is for, inside the application too (the "Notifications" page), and about what.
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"), index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    # When the worker may try (again): set by back-off after a failure, and while a delivery holds
    # the message (see drafting/notifications/delivery.py). NULL: due now.
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

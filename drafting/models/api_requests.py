"""What the JSON API remembers of a creation sent with an `Idempotency-Key`: the same key from the same
account within a day gets the first answer again instead of a second position (a script that retried
after a lost connection creates nothing twice). drafting.api.idempotency reads and writes these rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from drafting.clock import now
from drafting.extensions import db


class IdempotentRequest(db.Model):
    __tablename__ = "api_idempotent_requests"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_api_idempotent_requests_user_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    # The operation and a digest of its body: the same key sent with another request is refused (422).
    operation: Mapped[str] = mapped_column(String(300))
    request_digest: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)

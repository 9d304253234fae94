"""Personal access tokens for the JSON API (drafting.accounts.tokens issues and checks them).

A token is shown once, when it is created; only its SHA-256 is stored (the secret is 32 random bytes, so
a slow password hash adds nothing). `prefix` is its first characters, shown in lists so that its owner
recognises it. A token is valid while it is neither revoked nor expired and its owner's account is active.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafting.clock import now
from drafting.extensions import db
from drafting.models._columns import one_of
from drafting.models.accounts import User

# "read": GET only; "write": read and write.
TOKEN_SCOPES = ("read", "write")


class AccessToken(db.Model):
    __tablename__ = "access_tokens"
    __table_args__ = (one_of("scope", TOKEN_SCOPES, name="access_token_scope_allowed"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(10), default="read")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def can_write(self) -> bool:
        return self.scope == "write"

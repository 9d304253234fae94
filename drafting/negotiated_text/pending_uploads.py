"""The Word file of a revision, kept between its preview and "Publish": the form carries a token, not
the file, so the secretariat does not choose the file again and Publish reads the very file previewed.
A token is good for the person who uploaded the file only, for a day."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from drafting.clock import now
from drafting.extensions import db
from drafting.models import PendingUpload, User

KEPT_FOR = timedelta(days=1)


def keep(user: User, filename: str, data: bytes) -> PendingUpload:
    """Store the file (and forget the files nobody published in time)."""
    db.session.execute(delete(PendingUpload).where(PendingUpload.created_at < now() - KEPT_FOR))
    upload = PendingUpload(token=secrets.token_urlsafe(32), user_id=user.id, filename=filename[:255], data=data)
    db.session.add(upload)
    db.session.commit()
    return upload


def find(token: str | None, user: User) -> PendingUpload | None:
    """The file kept under this token for this user, if it is still kept."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.user_id == user.id,
        PendingUpload.created_at >= now() - KEPT_FOR))


def discard(upload: PendingUpload) -> None:
    """Once published, the file has served (its name stays on the revision); committed by the caller."""
    db.session.delete(upload)

"""`Idempotency-Key` on creations: the first answer to a key is kept a day (per account), and the same
request sent again with it gets that answer again, not a second position or edition."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from drafting.clock import now
from drafting.extensions import db
from drafting.models import IdempotentRequest, User

KEPT_FOR = timedelta(hours=24)
KEY_MAX = 200


@dataclass
class Remembered:
    status: int
    body: str
    location: str
    same_request: bool


def digest(operation: str, body: bytes) -> str:
    return hashlib.sha256(operation.encode() + b"\n" + body).hexdigest()


def recall(user: User, key: str, operation: str, request_digest: str) -> Remembered | None:
    """The answer kept for this key, if any within the day (older ones are forgotten on the way)."""
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < now() - KEPT_FOR))
    row = db.session.scalar(select(IdempotentRequest).where(IdempotentRequest.user_id == user.id,
                                                            IdempotentRequest.key == key))
    db.session.commit()
    if row is None:
        return None
    return Remembered(row.status, row.body, row.location,
                      same_request=row.operation == operation and row.request_digest == request_digest)


def remember(user: User, key: str, operation: str, request_digest: str, status: int, body: str,
             location: str) -> None:
    db.session.add(IdempotentRequest(user_id=user.id, key=key, operation=operation[:300],
                                     request_digest=request_digest, status=status, body=body,
                                     location=location[:300], created_at=now()))
    try:
        db.session.commit()
    except IntegrityError:  # the same key, sent twice at once: the first answer stands
        db.session.rollback()

"""Personal access tokens for the JSON API: issued on the account page, shown once, stored hashed.

A token looks like `dft_` followed by 43 URL-safe characters (32 random bytes). Only its SHA-256 is kept;
`prefix` (its first 12 characters) lets its owner recognise it in the list. `authenticate` is the one place
that decides whether a presented token is valid: not revoked, not expired, its owner's account active.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import g, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from drafting.clock import now
from drafting.extensions import db
from drafting.models import AccessToken, ReferenceVersion, User

TOKEN_PREFIX = "dft_"  # noqa: S105 (a marker that makes leaked tokens findable, not a secret)
# The longest a token may live (the account page offers shorter ones).
MAX_LIFETIME = timedelta(days=366)
# last_used_at is written at most this often per token, so that a busy script does not write on every call.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def issue(user: User, name: str, scope: str, expires_at: datetime, commit: bool = True) -> tuple[AccessToken, str]:
    """A new token for `user`, and its secret, which is shown once and never stored."""
    moment = now()
    expires_at = min(expires_at, moment + MAX_LIFETIME)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken(user=user, name=name.strip(), scope=scope, token_hash=_digest(secret),
                        prefix=secret[:12], created_at=moment, expires_at=expires_at)
    db.session.add(token)
    if commit:
        db.session.commit()
    return token, secret


def is_valid(token: AccessToken, moment: datetime | None = None) -> bool:
    moment = moment or now()
    return (token.revoked_at is None and token.expires_at > moment
            and token.user is not None and token.user.active)


def authenticate(secret: str | None) -> AccessToken | None:
    """The valid token this secret belongs to, else None (its last use recorded)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    digest = _digest(secret)
    # One statement for what every request of the API needs of its reader, as the session's loader
    # (drafting.security.load_user): the token, its owner, and the version of the reference data.
    found = db.session.execute(
        select(AccessToken, select(ReferenceVersion.number).scalar_subquery())
        .options(joinedload(AccessToken.user)).where(AccessToken.token_hash == digest)).first()
    token = found[0] if found else None
    if found is not None and has_app_context():
        g.reference_version = found[1]
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    moment = now()
    if not is_valid(token, moment):
        return None
    if token.last_used_at is None or moment - token.last_used_at >= LAST_USE_RESOLUTION:
        token.last_used_at = moment
        db.session.commit()
    return token


def revoke(token: AccessToken, by: User, commit: bool = True) -> bool:
    """Revoke the token; False if it already was. One conditional UPDATE: of two revocations at once (a
    double click, the owner and the secretariat), one wins and the other changes nothing."""
    won = db.session.execute(
        update(AccessToken).where(AccessToken.id == token.id, AccessToken.revoked_at.is_(None))
        .values(revoked_at=now(), revoked_by_id=by.id).execution_options(synchronize_session=False)).rowcount
    if commit:
        db.session.commit()
    if won:
        db.session.expire(token, ["revoked_at", "revoked_by_id", "revoked_by"])
    return bool(won)


def tokens_of(user: User) -> list[AccessToken]:
    return list(db.session.scalars(
        select(AccessToken).where(AccessToken.user_id == user.id).order_by(AccessToken.created_at.desc(),
                                                                         AccessToken.id.desc())))

"""Personal access tokens: shown once, stored hashed, refused when revoked, expired or their owner
deactivated."""

from __future__ import annotations

from datetime import timedelta

from drafting.accounts import operations
from drafting.accounts.tokens import MAX_LIFETIME, authenticate, issue, revoke
from drafting.clock import now
from drafting.extensions import db


def test_a_token_is_stored_hashed_and_found_by_its_secret(app, make_user):
    user = make_user("contributor", "CEMR")
    token, secret = issue(user, "Website sync", "read", now() + timedelta(days=30))
    assert secret.startswith("dft_") and len(secret) > 40
    assert secret not in (token.token_hash, token.prefix) and token.prefix == secret[:12]
    assert authenticate(secret).id == token.id and token.last_used_at is not None
    assert authenticate(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert authenticate("") is None and authenticate("Bearer " + secret) is None


def test_a_token_stops_when_revoked_expired_or_its_owner_is_deactivated(app, make_user):
    owner, secretariat = make_user("contributor", "CEMR"), make_user("secretariat")
    revoked, revoked_secret = issue(owner, "one", "write", now() + timedelta(days=1))
    revoke(revoked, secretariat)
    assert authenticate(revoked_secret) is None and revoked.revoked_by_id == secretariat.id

    expired, expired_secret = issue(owner, "two", "read", now() + timedelta(days=1))
    expired.expires_at = now() - timedelta(seconds=1)
    db.session.commit()
    assert authenticate(expired_secret) is None

    _, live_secret = issue(owner, "three", "read", now() + timedelta(days=1))
    assert authenticate(live_secret) is not None
    operations.set_active(owner, False)
    db.session.commit()
    assert authenticate(live_secret) is None


def test_no_token_lives_longer_than_a_year(app, make_user):
    token, _ = issue(make_user("reviewer", "CEMR"), "long", "read", now() + timedelta(days=5000))
    assert token.expires_at <= now() + MAX_LIFETIME

"""Calling the JSON API as an outside client: a token for a user, and its headers."""

from __future__ import annotations

from datetime import timedelta

from drafting.accounts import tokens
from drafting.clock import now


def bearer(user, scope: str = "write") -> dict:
    _token, secret = tokens.issue(user, f"Test {scope}", scope, now() + timedelta(days=30))
    return {"Authorization": f"Bearer {secret}"}

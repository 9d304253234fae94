"""Cross-cutting security: response headers, safe redirects, who is logged in."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, g, request
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import bindparam, select

from drafting.extensions import db, login_manager
from drafting.forms import MAX_ID
from drafting.models import ReferenceVersion, User
from drafting.notifications.inbox import unread_count_sql

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def is_safe_next(target: str | None) -> bool:
    """Only a same-site relative path may follow a login: `/positions/4`, never `//evil.example`."""
    if not target or not target.startswith("/"):
        return False
    if target.startswith("//") or "\\" in target:
        return False
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def init_app(app: Flask) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"

    reader = (select(User, unread_count_sql(User.id), select(ReferenceVersion.number).scalar_subquery())
              .where(User.id == bindparam("user_id")))

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """Sessions carry the id and a fingerprint of the password hash: a password change or a
        deactivation ends every other session at its next request."""
        identifier, _, fingerprint = user_id.partition(".")
        if not identifier.isdigit() or int(identifier) > MAX_ID:
            return None
        # One statement for what every page needs of its reader: the user and their network, the count
        # of their unread notifications (the navigation shows it) and the version of the reference data
        # (drafting.reference.snapshot).
        found = db.session.execute(reader, {"user_id": int(identifier)}).first()
        if found is None:
            return None
        user, unread, version = found
        if not user.active or user.session_fingerprint != fingerprint:
            return None
        g.unread_notifications, g.reference_version = unread, version
        return user

    login_manager.localize_callback = _translate

    @app.after_request
    def add_security_headers(response):
        for header, value in SECURITY_HEADERS.items():
            response.headers.setdefault(header, value)
        if _logged_in() and request.endpoint != "static":
            # Pages for a logged-in user hold what only they may read: no browser or proxy keeps a
            # copy that the next person at the computer could bring back with "Back".
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _logged_in() -> bool:
    """Whether this request was made by a logged-in user; when the database cannot say, it was not."""
    try:
        return bool(current_user.is_authenticated)
    except Exception:  # the database is down: the error page goes out as to a visitor
        return False


def _translate(message: str) -> str:
    return gettext(message)

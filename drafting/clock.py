"""The one clock of the application.

Every rule that depends on the date (submission windows, overdue reviews, reminders) asks `today()`.
`DRAFTING_TODAY` pins it for demonstrations, training and tests.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app, has_app_context


def pinned_today() -> date | None:
    if not has_app_context():
        return None
    value = current_app.config.get("DRAFTING_TODAY")
    return date.fromisoformat(value) if value else None


def today() -> date:
    return pinned_today() or datetime.now(UTC).date()


def now() -> datetime:
    """The current moment, naive UTC, as stored in the database.

    With a pinned date, the time of day is real but the date is the pinned one, so that events
    recorded during a demonstration sort and read as if they happened on that day.
    """
    real = datetime.now(UTC).replace(tzinfo=None)
    pinned = pinned_today()
    if pinned is None:
        return real
    return datetime.combine(pinned, real.time())

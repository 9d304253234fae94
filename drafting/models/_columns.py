"""Column helpers shared by the model modules."""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import CheckConstraint, Integer
from sqlalchemy.orm import mapped_column

# Reference data (objectives, milestones, ...) is held in English with French and Spanish columns
# named `<field>_fr` and `<field>_es`; an empty translation falls back to English.
TRANSLATED_LANGUAGES = ("fr", "es")


def one_of(column: str, values, name: str | None = None) -> CheckConstraint:
    """A check constraint that holds an enumerated column to its allowed values."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=name or f"{column}_allowed")


def reader_language() -> str:
    """The language of whoever reads now: the user's (or a mail's recipient's, under force_locale),
    English outside a request."""
    try:
        locale = get_locale()
    except (RuntimeError, KeyError):
        return "en"
    return locale.language if locale is not None else "en"


def in_reader_language(record, field: str) -> str:
    language = reader_language()
    if language in TRANSLATED_LANGUAGES:
        translated = getattr(record, f"{field}_{language}", None)
        if translated:
            return translated
    return getattr(record, field) or ""


def version_column():
    """A row's version, for `__mapper_args__ = {"version_id_col": ...}`: every ORM update raises it and
    names the value it read in its WHERE clause, so of two saves that read the same row, the second
    changes nothing and raises StaleDataError instead of silently overwriting the first."""
    return mapped_column(Integer, nullable=False, server_default="1")

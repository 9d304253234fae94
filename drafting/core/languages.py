"""The language of whoever reads now, and a field of the reference data in that language.

Reference data (objectives, milestones, networks...) is held in English with French and Spanish columns
named `<field>_fr` and `<field>_es`; an empty translation falls back to English, in Python
(`in_current_language`) and in SQL (`column_in_current_language`) alike.
"""

from __future__ import annotations

from flask_babel import get_locale
from sqlalchemy import func

TRANSLATED_LANGUAGES = ("fr", "es")


def current_language() -> str:
    """The page's language, or a mail's recipient's (under force_locale); English outside a request."""
    try:
        locale = get_locale()
    except (RuntimeError, KeyError):
        return "en"
    return locale.language if locale is not None else "en"


def in_current_language(record, field: str) -> str:
    language = current_language()
    if language in TRANSLATED_LANGUAGES:
        translated = getattr(record, f"{field}_{language}", None)
        if translated:
            return translated
    return getattr(record, field) or ""


def column_in_current_language(model, field: str):
    """`model.field` in the reader's language, falling back to English, as an SQL expression."""
    language = current_language()
    if language not in TRANSLATED_LANGUAGES:
        return getattr(model, field)
    return func.coalesce(func.nullif(getattr(model, f"{field}_{language}"), ""), getattr(model, field))

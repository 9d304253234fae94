"""The document's own words (labels, headings, dates), in the edition's language."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from flask_babel import gettext as _

from drafting.i18n import LANGUAGE_NAMES


def document_labels() -> dict[str, str]:
    """The document's recurring words, translated once per build (not once per position), then
    filled in with %-formatting."""
    labels = {
        "objective": _("Objective %(label)s"),
        "workstream": _("Workstream: %(label)s"),
        "no_objective": _("Positions without an objective"),
        "no_workstream": _("Positions without a workstream"),
        "authors": _("Authors: %(names)s"),
        "language": _("Language: %(language)s"),
        "approved_by": _("Approved on %(date)s by %(names)s"),
        "approved": _("Approved on %(date)s"),
        "section_paragraph": _("%(section)s, paragraph %(paragraph)s"),
        "paragraph_only": _("Paragraph %(paragraph)s"),
        "proposed_amendments": _("Proposed amendments"),
        "paragraph": _("Paragraph"),
        "current_text": _("Current text"),
        "proposed_text": _("Proposed text"),
        "rationale": _("Rationale"),
        "proposals": _("Proposals"),
        "proposed_by": _("Proposed by %(networks)s"),
    }
    labels.update({f"lang_{code}": str(name) for code, name in LANGUAGE_NAMES.items()})
    return labels


def long_date(value: date | datetime | None, locale: str) -> str:
    if value is None:
        return ""
    try:
        return format_date(value, "long", locale=locale)
    except (ValueError, LookupError):
        return format_date(value, "long", locale="en")


def date_range(start: date, end: date, locale: str) -> str:
    if start == end:
        return long_date(start, locale)
    return f"{long_date(start, locale)} \u2013 {long_date(end, locale)}"

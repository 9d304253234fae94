"""The document's own words (labels, headings, dates) in the edition's language, set the way that
language is printed: UN dates ("20–23 February 2018", "20-23 février 2018", "20 a 23 de febrero de
2018"), typographic apostrophes, and French spacing before ":" and inside guillemets.

The builder runs inside `flask_babel.force_locale(plan.locale)`: the words follow the edition's
chosen language, never the interface language of whoever compiles it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale
from babel.dates import get_month_names
from flask_babel import get_locale
from flask_babel import gettext as _

from drafting.i18n import LANGUAGE_TAGS

DOCUMENT_LANGUAGES = ("en", "fr", "es")
NBSP = "\u00a0"
_FRENCH_SPACE = re.compile(r" ([:;!?»])|(«) ")


def typeset(text: str, locale: str) -> str:
    """Generated text (never the positions' own words) with a typographic apostrophe and, in French,
    a no-break space before double punctuation and inside guillemets."""
    text = text.replace("'", "\u2019")
    if locale == "fr":
        text = _FRENCH_SPACE.sub(lambda m: f"{NBSP}{m.group(1)}" if m.group(1) else f"{m.group(2)}{NBSP}", text)
    return text


def language_name(code: str, locale: str) -> str:
    """"English", "anglais", "inglés": as written in a sentence of `locale` (UN usage: lower case in
    French and Spanish)."""
    try:
        return Locale.parse(locale).languages.get(code) or code
    except (ValueError, LookupError):
        return code


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
        "kind_replace": _("Replace wording"),
        "kind_insert_after": _("Insert after"),
        "kind_delete": _("Delete"),
    }
    locale = str(get_locale() or "en")
    labels = {key: typeset(value, locale) for key, value in labels.items()}
    labels.update({f"lang_{code}": language_name(code, locale) for code in LANGUAGE_TAGS})
    return labels


def _parts(value: date, locale: str) -> tuple[str, str, str]:
    """Day, month name and year as UN documents print them in `locale`."""
    try:
        months = get_month_names("wide", locale=locale)
    except (ValueError, LookupError):
        locale, months = "en", get_month_names("wide", locale="en")
    day = "1er" if locale == "fr" and value.day == 1 else str(value.day)
    return day, months[value.month], str(value.year)


def long_date(value: date | datetime | None, locale: str) -> str:
    """"20 February 2018", "1er mars 2018", "20 de febrero de 2018"."""
    if value is None:
        return ""
    day, month, year = _parts(value, locale)
    if locale == "es":
        return f"{day} de {month} de {year}"
    return f"{day} {month} {year}"


def date_range(start: date, end: date, locale: str) -> str:
    """UN style: "20–23 February 2018", "28 February–2 March 2018", "30 December 2018–2 January 2019";
    in French with a hyphen ("20-23 février 2018"); in Spanish with "a" ("20 a 23 de febrero de 2018")."""
    if end is None or start == end:
        return long_date(start, locale)
    (d1, m1, y1), (d2, m2, y2) = _parts(start, locale), _parts(end, locale)
    if locale == "es":
        if y1 != y2:
            return f"{d1} de {m1} de {y1} a {d2} de {m2} de {y2}"
        if m1 != m2:
            return f"{d1} de {m1} a {d2} de {m2} de {y2}"
        return f"{d1} a {d2} de {m2} de {y2}"
    dash = "-" if locale == "fr" else "\u2013"
    if y1 != y2:
        return f"{d1} {m1} {y1}{dash}{d2} {m2} {y2}"
    if m1 != m2:
        return f"{d1} {m1}{dash}{d2} {m2} {y2}"
    return f"{d1}{dash}{d2} {m2} {y2}"

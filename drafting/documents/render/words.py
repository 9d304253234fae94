"""The document's own words (labels, headings, dates) in the edition's language, set the way that
language is printed: UN dates ("20–23 February 2018", "20-23 février 2018", "20 a 23 de febrero de
2018"), typographic apostrophes, and French spacing before ":" and inside guillemets.

The builder runs inside `flask_babel.force_locale(plan.locale)`: the words follow the edition's
chosen language, never the interface language of whoever compiles it.
"""

from __future__ import annotations

import re

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _

from drafting.amendments.rules import KIND_LABELS
from drafting.core.dates import date_range, long_date  # noqa: F401  (the documents' dates, named here too)
from drafting.i18n import LANGUAGE_TAGS

DOCUMENT_LANGUAGES = ("en", "fr", "es")
NBSP = "\u00a0"
# Any run of spaces before double punctuation or inside guillemets, no-break ones included: a translation
# that already has its no-break space, sometimes followed by a plain one ("Langue\u00a0 : "), prints one.
_FRENCH_SPACE = re.compile("[ \u00a0\u202f]+([:;!?»])|(«)[ \u00a0\u202f]+")


def typeset(text: str, locale: str) -> str:
    """Generated text (never the positions' own words) with a typographic apostrophe and, in French,
    one no-break space before double punctuation and inside guillemets, however many spaces of any
    kind the translation put there."""
    text = text.replace("'", "\u2019")
    if locale == "fr":
        text = _FRENCH_SPACE.sub(lambda m: f"{NBSP}{m.group(1)}" if m.group(1) else f"{m.group(2)}{NBSP}", text)
    return text


_OPENING_QUOTE = re.compile(r"(^|[\s(\[«“])'")


def typographic_quotes(text: str) -> str:
    """Straight single quotes of a heading written by its authors, set as the rest of the document:
    an opening one after a space or a bracket, an apostrophe (closing) everywhere else."""
    if "'" not in text:
        return text
    return _OPENING_QUOTE.sub("\\1\u2018", text).replace("'", "\u2019")


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
        **{f"kind_{kind}": str(label) for kind, label in KIND_LABELS.items()},
    }
    locale = str(get_locale() or "en")
    labels = {key: typeset(value, locale) for key, value in labels.items()}
    labels.update({f"lang_{code}": language_name(code, locale) for code in LANGUAGE_TAGS})
    return labels

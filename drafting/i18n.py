"""The interface language: each user's choice, else the browser's, among English, French, Spanish.

Templates translate through the catalogue of the page being rendered (`_translations`, put in the
template context once per page), not through Flask-Babel's lookup of the request's locale on each
`_()`: a list page says some hundred words, and that lookup was a tenth of its cost. Tables of labels
(stages, languages, kinds) are translated once per language and process (`localized`).
"""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from drafting.core.languages import current_language
from drafting.core.memo import Memo
from drafting.extensions import babel
from drafting.models import LOCALES

LOCALE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}

# Languages a position can be written in (Arabic too).
LANGUAGE_NAMES = {"en": _l("English"), "fr": _l("French"), "es": _l("Spanish"), "ar": _l("Arabic")}
# BCP 47 tags, for the lang attribute of HTML and the language of Word runs.
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ar": "ar-SA"}
# The negotiated text is English whatever the page's language: what quotes it carries these attributes
# (templates write them out: lang="en" dir="ltr"), so that a screen reader reads it in English.
COMPACT_LANGUAGE = {"lang": "en", "dir": "ltr"}


def select_locale() -> str:
    if not has_request_context():  # CLI commands and domain code outside a request speak English
        return "en"
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return request.accept_languages.best_match(LOCALES) or "en"


# The language the page is being written in ("en" outside a request): one function, named for pages.
page_language = current_language


# Keyed on the table's identity: the tables are module constants, alive as long as the process.
_localized = Memo("i18n.localized", maxsize=256)


def localized(labels: dict) -> dict:
    """`labels` (values lazily translated) as plain strings in the page's language, made once per
    language: a template that shows a stage on each of 25 rows then reads a dict, not the catalogue."""
    return _localized.get((id(labels), page_language()), lambda: {name: str(label) for name, label in labels.items()})


def _catalogue(context):
    translations = context.get("_translations")
    return translations if translations is not None else get_translations()


# What Jinja's "newstyle" gettext does (the translation is markup, the variables are escaped into it,
# `%` always formats), in one call: Jinja's own goes through three (`_` resolves `gettext`, which calls
# the translating function), and a page says `_()` about a hundred times.

def _formatted(context, translated: str, variables: dict):
    if context.eval_ctx.autoescape:
        translated = Markup(translated)  # noqa: S704 (the catalogue's text, as Jinja's newstyle gettext trusts it)
    # Without variables or a percent sign, formatting would give the same text back (it costs a third
    # of a call).
    return translated % variables if variables or "%" in translated else translated


@pass_context
def _template_gettext(context, string: str, /, **variables) -> str:
    return _formatted(context, _catalogue(context).ugettext(string), variables)


@pass_context
def _template_ngettext(context, singular: str, plural: str, n: int, /, **variables) -> str:
    variables.setdefault("num", n)
    return _formatted(context, _catalogue(context).ungettext(singular, plural, n), variables)


@pass_context
def _template_pgettext(context, message_context: str, string: str, /, **variables) -> str:
    variables.setdefault("context", message_context)
    return _formatted(context, _catalogue(context).upgettext(message_context, string), variables)


@pass_context
def _template_npgettext(context, message_context: str, singular: str, plural: str, n: int, /,
                        **variables) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", n)
    return _formatted(context, _catalogue(context).unpgettext(message_context, singular, plural, n), variables)


@pass_context
def _template_translated(context, text: str) -> str:
    """`text | translated`: a text whose English lives in the code, not in the template (the API
    reference's docstrings and descriptions, which tools/api_messages.py extracts), in the page's
    language. Plain text, escaped as any value, and never %-formatted: it is data, not markup."""
    return _catalogue(context).ugettext(text) if text else text


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(
        gettext=_template_gettext, ngettext=_template_ngettext, newstyle=True,
        pgettext=_template_pgettext, npgettext=_template_npgettext,
    )
    # The functions above already behave as newstyle ones: templates call them directly, `_` included,
    # rather than through Jinja's wrappers.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext,
                                 pgettext=_template_pgettext, npgettext=_template_npgettext)
    app.jinja_env.filters["translated"] = _template_translated

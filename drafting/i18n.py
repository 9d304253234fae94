"""The interface language: each user's choice, else the browser's, among English, French, Spanish."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from drafting.extensions import babel
from drafting.models import LOCALES

LOCALE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}

# Languages a position can be written in (Arabic too).
LANGUAGE_NAMES = {"en": _l("English"), "fr": _l("French"), "es": _l("Spanish"), "ar": _l("Arabic")}
# BCP 47 tags, for the lang attribute of HTML and the language of Word runs.
LANGUAGE_TAGS = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES", "ar": "ar-SA"}


def select_locale() -> str:
    if not has_request_context():  # CLI commands and domain code outside a request speak English
        return "en"
    if current_user and current_user.is_authenticated:
        return current_user.locale
    return request.accept_languages.best_match(LOCALES) or "en"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

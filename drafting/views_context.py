"""What every template can use: the permission checks, the clock, the names of stages and languages.

Some helpers here run on every row of a list, so they are made cheap: `url_for` remembers the addresses
it has built, `|date` formats each date once per language, `STAGE_BADGES` holds each stage's badge made
once per language, and the page's language is read once per page (`_language` in the context).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, has_request_context, request, url_for
from flask_babel import format_decimal, get_translations
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from drafting import clock, permissions
from drafting.amendments.uptake import STATUS_LABELS
from drafting.core.dates import page_date
from drafting.core.memo import memoized
from drafting.i18n import LANGUAGE_NAMES, LANGUAGE_TAGS, localized, page_language
from drafting.models import stages
from drafting.positions import workflow
from drafting.reference.labels import MILESTONE_KIND_LABELS, ORGANISATION_KIND_LABELS
from drafting.text import render_html


class PostForm:
    """`post_form.hidden_tag()`: the CSRF token of a button that POSTs (what an empty Form renders,
    without building one on every page; the token is made only if the page has such a button)."""

    @staticmethod
    def hidden_tag() -> Markup:
        return Markup('<input name="csrf_token" type="hidden" value="{}">').format(generate_csrf())


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject():
        return {
            **permissions.TEMPLATE_CHECKS,
            # The user itself rather than Flask-Login's proxy, which looks the user up again on each
            # use (a page asks for it dozens of times).
            "current_user": current_user._get_current_object(),
            "_translations": get_translations(),
            "_language": page_language(),
            "_url_root": request.url_root if has_request_context() else None,
            "can_transition": workflow.can_transition,
            "review_overdue": workflow.review_overdue,
            "AWAITING_REVIEW": stages.AWAITING_REVIEW,
            "AWAITING_SUBMISSION": stages.AWAITING_SUBMISSION,
            "pinned_today": clock.pinned_today(),
            "today_date": clock.today(),
            "STAGE_LABELS": localized(stages.STAGE_LABELS),
            "STAGE_BADGES": stage_badges(),
            "AMENDMENT_STATUS_LABELS": localized(STATUS_LABELS),
            "LANGUAGE_NAMES": localized(LANGUAGE_NAMES),
            "LANGUAGE_TAGS": LANGUAGE_TAGS,
            "ORGANISATION_KIND_LABELS": localized(ORGANISATION_KIND_LABELS),
            "MILESTONE_KIND_LABELS": localized(MILESTONE_KIND_LABELS),
            # Only renders a CSRF token; never reads the request (an error page for a 413 must not re-parse it).
            "post_form": PostForm,
            "get_locale": page_language,
        }

    # Fields where people type words (names, titles, text), which get dir="auto" in the field macro.
    app.jinja_env.globals["TEXT_FIELD_TYPES"] = ("StringField", "TextAreaField", "CleanStringField",
                                                 "CleanTextAreaField")
    app.jinja_env.globals["url_for"] = remembered_url_for
    app.jinja_env.filters["markdown"] = render_html
    app.jinja_env.filters["format_number"] = format_decimal  # 1,000 / 1 000 / 1.000 by the reader's locale
    app.jinja_env.filters["date"] = date_in_page_language


def _language(context) -> str:
    language = context.get("_language")
    return language if language is not None else page_language()


@pass_context
def date_in_page_language(context, value: date | datetime | None, fmt: str = "medium") -> str:
    """`value|date`: "Feb 20, 2018", "20 févr. 2018" in the page's language, in one unbreakable piece
    (`page_date`). A list shows a date on each row, and the same few dates again and again: each is
    formatted once per language and format."""
    if not value:
        return ""
    if isinstance(value, datetime):  # stored as naive UTC, shown in UTC (the app's only time zone)
        value = value.date()
    return _formatted_date(value, fmt, _language(context))


@memoized(maxsize=8192)
def _formatted_date(day: date, fmt: str, language: str) -> str:
    return page_date(day, fmt, language)


def stage_badges() -> dict[str, Markup]:
    """`STAGE_BADGES[stage]`: the stage as a badge, `<span class="stage stage-draft">Draft</span>`, in the
    page's language; made once per language (a list shows one on each row)."""
    return _stage_badges(page_language())


@memoized(maxsize=16)
def _stage_badges(language: str) -> dict[str, Markup]:
    # Called in a request whose language is `language`: the labels are translated into it.
    return {stage.value: Markup('<span class="stage {}">{}</span>').format(stage.css_class, stage.label)
            for stage in stages.DESCRIPTIONS}


@pass_context
def remembered_url_for(context, endpoint: str, **values) -> str:
    """Flask's `url_for`, remembering each address it builds: a page links to the same few dozen
    places (the navigation, the static files, its rows), and building an address from the routing map
    costs more than the rest of a row. Relative endpoints and unhashable values go straight through."""
    url_root = context.get("_url_root")
    if endpoint.startswith(".") or url_root is None:
        return url_for(endpoint, **values)
    try:
        return _remembered_url(endpoint, tuple(values.items()), url_root)
    except TypeError:  # a value that cannot be a key (a list): built each time
        return url_for(endpoint, **values)


@memoized(maxsize=16384)
def _remembered_url(endpoint: str, values: tuple, url_root: str) -> str:
    # `url_root` (scheme, host and the app's path) is in the key: an address made with `_external=True`
    # for one host is never given to a request that came by another.
    return url_for(endpoint, **dict(values))

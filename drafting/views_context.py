"""What every template can use: the permission checks, the clock, the names of stages and languages."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_decimal, get_locale

from drafting import clock, permissions
from drafting.forms import EmptyForm
from drafting.i18n import LANGUAGE_NAMES, LANGUAGE_TAGS
from drafting.reference.labels import MILESTONE_KIND_LABELS, ORGANISATION_KIND_LABELS
from drafting.text import render_html


def init_app(app: Flask) -> None:
    @app.context_processor
    def inject():
        from drafting.negotiated_text.uptake import STATUS_LABELS
        from drafting.positions import workflow

        return {
            **permissions.TEMPLATE_CHECKS,
            "can_transition": workflow.can_transition,
            "review_overdue": workflow.review_overdue,
            "AWAITING_REVIEW": workflow.AWAITING_REVIEW,
            "AWAITING_SUBMISSION": workflow.AWAITING_SUBMISSION,
            "pinned_today": clock.pinned_today(),
            "today_date": clock.today(),
            "STAGE_LABELS": workflow.STAGE_LABELS,
            "AMENDMENT_STATUS_LABELS": STATUS_LABELS,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
            "LANGUAGE_TAGS": LANGUAGE_TAGS,
            "ORGANISATION_KIND_LABELS": ORGANISATION_KIND_LABELS,
            "MILESTONE_KIND_LABELS": MILESTONE_KIND_LABELS,
            # Only renders a CSRF token; never reads the request (an error page for a 413 must not re-parse it).
            "post_form": EmptyForm(formdata=None),
            "get_locale": lambda: str(get_locale() or "en"),
        }

    # Fields where people type words (names, titles, text), which get dir="auto" in the field macro.
    app.jinja_env.globals["TEXT_FIELD_TYPES"] = ("StringField", "TextAreaField", "CleanStringField",
                                                 "CleanTextAreaField")
    app.jinja_env.filters["markdown"] = render_html
    app.jinja_env.filters["format_number"] = format_decimal  # 1,000 / 1 000 / 1.000 by the reader's locale
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""

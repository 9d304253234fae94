"""Error pages in the house style. A 500 rolls the database session back."""

from __future__ import annotations

from flask import Flask, g, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import Forbidden, HTTPException

from drafting.api.problems import problem
from drafting.extensions import db, login_manager

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("Your account is not allowed to do this.")),
    404: (_l("Not found"), _l("There is nothing at this address.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    409: (_l("Conflict"), _l("Someone else changed this in the meantime. Reload the page and try again.")),
    413: (_l("Too large"), _l("The file is larger than the 10 MB allowed.")),
    429: (_l("Too many attempts"), _l("Too many attempts from your address. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("The error was logged. Nothing you saved before it was lost.")),
}


# The last resort when even the error template cannot be rendered: still a page in the house's words,
# and the response still passes through the security headers.
PLAIN_ERROR_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main><h1>{title} <span class="muted">(500)</span></h1><p>{message}</p></main></body></html>
"""


API_PREFIX = "/api/"


def forbidden(message: str) -> Forbidden:
    """A 403 whose page says why and what to do, instead of the bare "Not allowed"."""
    refusal = Forbidden()
    refusal.drafting_message = message
    return refusal


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, gettext("The form had expired or did not come from this site. Go back, reload and submit again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if request.path.startswith(API_PREFIX):
            # An address of the API that no route matched (a 404, a 405): a problem, not a page.
            return problem(code, error.description,
                           headers={"Allow": ", ".join(error.valid_methods)} if getattr(error, "valid_methods", None)
                           else None)
        if code not in MESSAGES:
            return error
        description = getattr(error, "drafting_message", None)
        if code == 429 and getattr(getattr(error, "limit", None), "error_message", None):
            description = error.description  # the limit's own words (Flask-Limiter's error_message)
        return render_error(code, description)

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        app.logger.exception("Unhandled error")
        try:
            db.session.rollback()
        except Exception:  # the database is gone; there is nothing to roll back on it
            app.logger.warning("Rollback failed after the error above")
        if "_login_user" not in g:
            # The error may have come from loading the user (the database is down): the page is
            # rendered for a visitor rather than asking the database again.
            g._login_user = login_manager.anonymous_user()
        try:
            return render_error(500)
        except Exception:
            app.logger.exception("The error page itself failed")
            title, message = MESSAGES[500]
            return PLAIN_ERROR_PAGE.format(title=escape(str(title)), message=escape(str(message))), 500

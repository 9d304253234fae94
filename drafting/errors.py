"""Error pages in the house style. A 500 rolls the database session back."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from drafting.extensions import db

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


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=message or default), code


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        from flask_babel import gettext

        return render_error(
            400, gettext("The form had expired or did not come from this site. Go back, reload and submit again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        if code not in MESSAGES:
            return error
        description = getattr(error, "drafting_message", None)
        return render_error(code, description)

    @app.errorhandler(Exception)
    def internal_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return render_error(500)

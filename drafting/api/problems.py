"""Errors as `application/problem+json` (RFC 9457): a type, a title, the status, a detail, and for a
refused input the field errors the forms give, each with its field's path ("amendments[0].kind")."""

from __future__ import annotations

import json

from flask import Response
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

PROBLEM_TYPE = "application/problem+json"
ABOUT = "about:blank"

TITLES = {
    400: _l("Bad request"),
    401: _l("Authentication required"),
    403: _l("Not allowed"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    406: _l("Not acceptable"),
    409: _l("Conflict"),
    412: _l("Precondition failed"),
    413: _l("Too large"),
    415: _l("Unsupported media type"),
    422: _l("Validation failed"),
    428: _l("Precondition required"),
    429: _l("Too many requests"),
    500: _l("Something went wrong"),
}


def field_errors(errors: dict, prefix: str = "") -> list[dict]:
    """`{"title": ["…"], "amendments": [{"kind": ["…"]}]}` (a form's or a schema's errors) as a flat list
    of `{"field": "amendments[0].kind", "message": "…"}`."""
    found = []
    for name, value in errors.items():
        path = f"{prefix}.{name}" if prefix and not str(name).startswith("[") else f"{prefix}{name}"
        if isinstance(value, dict):
            found.extend(field_errors(value, path))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    found.extend(field_errors(item, f"{path}[{index}]"))
                elif item:
                    found.append({"field": path, "message": str(item)})
        elif value:
            found.append({"field": path, "message": str(value)})
    return found


def problem(status: int, detail: str | None = None, *, errors: list[dict] | None = None,
            headers: dict | None = None, **extra) -> Response:
    body = {"type": ABOUT, "title": str(TITLES.get(status, TITLES[500])), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def not_found() -> Response:
    return problem(404, gettext("There is nothing at this address, or your account may not see it."))

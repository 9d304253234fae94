"""One order for every view that acts on a record, as flaskr's `get_post`: load it (404), check the
user may (403), then act."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from drafting.extensions import db


def require(allowed: bool) -> None:
    """403 unless `allowed`. Checked before the lookup where the answer must not tell whether an id
    exists (the secretariat's pages: an existing and a missing id answer alike)."""
    if not allowed:
        abort(403)


def get_or_404(model, record_id: int, can: Callable | None = None, *, visible: Callable | None = None,
               options=(), **get_arguments):
    """The `model` row with this id, or 404; with `visible`, also 404 unless `visible(current_user, row)`
    (a row the reader may not see answers as a missing one: its existence is not their business); then,
    with `can`, 403 unless `can(current_user, row)`. `options` and `get_arguments` go to `Session.get`."""
    record = db.session.get(model, record_id, options=list(options), **get_arguments)
    if record is None or (visible is not None and not visible(current_user, record)):
        abort(404)
    if can is not None and not can(current_user, record):
        abort(403)
    return record


def find(model, record_id: int | None):
    """The `model` row with this id, or None: a choice read from a form or an optional argument, where a
    missing row is an answer rather than a 404."""
    return db.session.get(model, record_id) if record_id else None

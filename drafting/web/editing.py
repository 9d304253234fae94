"""The edit page of one shared row (a milestone, an objective, an organisation, an account)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template

from drafting.extensions import db


def edit_page(record, form, template: str, *, save: Callable[[object, object], None],
              saved_message: Callable[[], str], done_url: Callable[[], str], name_field: str | None = None,
              clash_query=None, clash_message: str = "", **context):
    """Messages beside the fields, a name another row has (`clash_query`) refused there, and a
    colleague's save since the form was opened shown (409) instead of overwritten; saving again then is
    a deliberate choice. `save(record, form)` is the area's operation that writes the row."""
    saved = None
    if not form.is_submitted():
        form.remember(record)
    elif form.validate_on_submit():
        if clash_query is not None and db.session.scalar(clash_query.where(type(record).id != record.id)):
            form[name_field].errors.append(clash_message)
        elif form.changed_since_opened(record):
            saved = form.saved_values(record)
            form.remember(record)
        else:
            save(record, form)
            flash(saved_message(), "success")
            return redirect(done_url())
    return render_template(template, form=form, saved=saved, **context), 409 if saved else 200

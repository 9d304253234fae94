"""The secretariat's edits of reference rows (organisations, objectives, workstreams, sections, milestones)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template

from drafting.clock import now
from drafting.extensions import db


def save_edit(record, form) -> None:
    """Write the form's values to the row and mark it as the secretariat's, so that seed-reference
    never changes it again (drafting/reference/loader.py)."""
    form.populate_obj(record)
    record.edited_at = now()
    db.session.commit()


def edit_page(record, form, template: str, *, name_field: str, clash_query, clash_message: str,
              saved_message: Callable[[], str], done_url: Callable[[], str], **context):
    """The secretariat's edit of one shared row (a milestone, an objective, an organisation...):
    messages beside the fields, a name another row has refused there, and a colleague's save since the
    form was opened shown (409) instead of overwritten; saving again then is a deliberate choice."""
    saved = None
    if not form.is_submitted():
        form.remember(record)
    elif form.validate_on_submit():
        if db.session.scalar(clash_query.where(type(record).id != record.id)):
            form[name_field].errors.append(clash_message)
        elif form.changed_since_opened(record):
            saved = form.saved_values(record)
            form.remember(record)
        else:
            save_edit(record, form)
            flash(saved_message(), "success")
            return redirect(done_url())
    return render_template(template, form=form, saved=saved, **context), 409 if saved else 200

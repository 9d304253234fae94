"""The secretariat's edits of reference rows (organisations, objectives, workstreams, sections, milestones)."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from drafting.clock import now
from drafting.extensions import db


class SavedMeanwhile(Exception):
    """Another save of the row went in between this one's reading and its UPDATE."""


class NameTaken(Exception):
    """Another row took the same unique name in between this save's check and its UPDATE."""


def save_edit(record, form) -> None:
    """Write the form's values to the row and mark it as the secretariat's, so that seed-reference
    never changes it again (drafting/reference/loader.py).

    The UPDATE names the version it read (the models' version_id_col): when a simultaneous save got
    there first it changes nothing, and the row is read again with that save's values. A unique name
    taken meanwhile is the database's refusal; both leave the session rolled back."""
    form.populate_obj(record)
    record.edited_at = now()
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise SavedMeanwhile from None
    except IntegrityError:
        # The forms edit one unique column each (the name): the only key such a save can clash on.
        db.session.rollback()
        raise NameTaken from None


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
            try:
                save_edit(record, form)
            except SavedMeanwhile:
                saved = form.saved_values(record)
                form.remember(record)
            except NameTaken:
                form[name_field].errors.append(clash_message)
            else:
                flash(saved_message(), "success")
                return redirect(done_url())
    return render_template(template, form=form, saved=saved, **context), 409 if saved else 200

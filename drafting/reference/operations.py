"""The secretariat's edits of reference rows (organisations, objectives, workstreams, sections, milestones)."""

from __future__ import annotations

from drafting.clock import now
from drafting.extensions import db


def save_edit(record, form) -> None:
    """Write the form's values to the row and mark it as the secretariat's, so that seed-reference
    never changes it again (drafting/reference/loader.py)."""
    form.populate_obj(record)
    record.edited_at = now()
    db.session.commit()

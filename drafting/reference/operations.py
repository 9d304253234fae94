"""The secretariat's edits of reference rows (organisations, objectives, workstreams, sections, milestones)."""

from __future__ import annotations

from drafting.clock import now
from drafting.transactions import commit_edit


def save_edit(record, form) -> None:
    """Write the form's values to the row and mark it as the secretariat's, so that seed-reference
    never changes it again (drafting/reference/loader.py).

    The UPDATE names the version it read (the models' version_id_col): when a simultaneous save got
    there first it changes nothing, and the row is read again with that save's values. A unique name
    taken meanwhile is the database's refusal; both leave the session rolled back."""
    form.populate_obj(record)
    record.edited_at = now()
    commit_edit()

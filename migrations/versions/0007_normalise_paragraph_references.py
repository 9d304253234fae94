"""Paragraph references of stored amendments written one way ("007" -> "7", "31 (C)" -> "31(c)").

Positions and their revisions hold amendments as JSON lists; the form now normalises references as they
are typed, and this carries the references stored before over to the same form, so that one paragraph
is one row of the compiled annex. Only the reference changes; every other value is kept as it was.

Revision ID: 0006_paragraph_references
Revises: 0005_full_text_search
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0006_paragraph_references"
down_revision = "0005_full_text_search"
branch_labels = None
depends_on = None

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")


def _normalise(reference) -> str:
    # The rule of drafting.positions.amendments.normalise_reference, copied: a migration must keep
    # doing what it did when it was written, whatever the application's code becomes.
    compact = _SPACE.sub("", str(reference or "")).lower()
    # Leading zeros stripped as text: int() of a pasted megabyte of digits would raise.
    return _NUMBER.sub(lambda match: match.group().lstrip("0") or "0", compact)


def _carry_over(table_name: str) -> None:
    table = sa.table(table_name, sa.column("id", sa.Integer), sa.column("amendments", sa.JSON))
    connection = op.get_bind()
    rows = connection.execute(sa.select(table.c.id, table.c.amendments)).all()
    for row_id, amendments in rows:
        if not isinstance(amendments, list):
            continue
        changed = False
        carried = []
        for amendment in amendments:
            if isinstance(amendment, dict) and "paragraph" in amendment:
                normalised = _normalise(amendment.get("paragraph"))
                if normalised != amendment.get("paragraph"):
                    amendment = {**amendment, "paragraph": normalised}
                    changed = True
            carried.append(amendment)
        if changed:
            connection.execute(sa.update(table).where(table.c.id == row_id).values(amendments=carried))


def upgrade() -> None:
    _carry_over("positions")
    _carry_over("revisions")


def downgrade() -> None:
    # The original spellings are not kept; the normalised references are valid before this revision too.
    pass

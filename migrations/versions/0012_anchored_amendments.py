"""Amendments anchored to the paragraphs of the negotiated text.

Every stored amendment (positions and their revisions) gets a stable "key" and a "kind" ("replace").
Where its paragraph reference is the number of a numbered paragraph of the revision that its
position's milestone amends, it is anchored to that paragraph ("paragraph_id"); the current text is
kept as the contributor typed it. Otherwise it stays unanchored ("paragraph_id": None). The same
amendment in a position and in its saved revisions gets the same key.

Revision ID: 0012_anchored_amendments
Revises: 0007_list_indexes
"""

from __future__ import annotations

import re
import secrets

import sqlalchemy as sa
from alembic import op

revision = "0012_anchored_amendments"
down_revision = "0007_list_indexes"
branch_labels = None
depends_on = None

_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+")
KINDS = ("replace", "insert_after", "delete")

milestones = sa.table("milestones", sa.column("id", sa.Integer), sa.column("start_date", sa.Date),
                      sa.column("end_date", sa.Date))
text_revisions = sa.table("text_revisions", sa.column("id", sa.Integer), sa.column("issued_on", sa.Date),
                          sa.column("milestone_id", sa.Integer))
text_paragraphs = sa.table("text_paragraphs", sa.column("id", sa.Integer), sa.column("revision_id", sa.Integer),
                           sa.column("kind", sa.String), sa.column("number", sa.String))
positions = sa.table("positions", sa.column("id", sa.Integer), sa.column("milestone_id", sa.Integer),
                     sa.column("amendments", sa.JSON))
revisions = sa.table("revisions", sa.column("id", sa.Integer), sa.column("position_id", sa.Integer),
                     sa.column("number", sa.Integer), sa.column("amendments", sa.JSON))


def _normalise(reference) -> str:
    # drafting.positions.amendments.normalise_reference, copied: a migration keeps doing what it did.
    compact = _SPACE.sub("", str(reference or "")).lower()
    return _NUMBER.sub(lambda match: match.group().lstrip("0") or "0", compact)


def _paragraphs_by_milestone(connection) -> dict[int, dict[str, int]]:
    """For each milestone, its current revision's numbered paragraphs: normalised number -> id.
    The rule of drafting.negotiated_text.revisions.current_revision, copied."""
    published = connection.execute(sa.select(
        text_revisions.c.id, text_revisions.c.issued_on, text_revisions.c.milestone_id)).all()
    dates = {row.id: (row.start_date, row.end_date) for row in connection.execute(
        sa.select(milestones.c.id, milestones.c.start_date, milestones.c.end_date))}
    numbered: dict[int, dict[str, int]] = {}
    result: dict[int, dict[str, int]] = {}
    for milestone_id, (start, end) in dates.items():
        eligible = [row for row in published
                    if row.milestone_id == milestone_id
                    or (row.milestone_id is not None and dates[row.milestone_id][0] <= start)
                    or (row.milestone_id is None and row.issued_on <= end)]
        if not eligible:
            continue
        current = max(eligible, key=lambda row: (row.issued_on, row.id)).id
        if current not in numbered:
            numbers: dict[str, int] = {}
            for paragraph_id, number in connection.execute(
                    sa.select(text_paragraphs.c.id, text_paragraphs.c.number)
                    .where(text_paragraphs.c.revision_id == current, text_paragraphs.c.kind == "paragraph",
                           text_paragraphs.c.number != "")
                    .order_by(text_paragraphs.c.id)):
                numbers.setdefault(_normalise(number), paragraph_id)
            numbered[current] = numbers
        result[milestone_id] = numbered[current]
    return result


def _carried(amendment: dict, key: str, numbers: dict[str, int]) -> dict:
    kind = amendment.get("kind") if amendment.get("kind") in KINDS else "replace"
    if "paragraph_id" in amendment:  # written by the anchoring form already
        paragraph_id = amendment["paragraph_id"] if isinstance(amendment["paragraph_id"], int) else None
    else:
        paragraph_id = numbers.get(_normalise(amendment.get("paragraph"))) if amendment.get("paragraph") else None
    return {**amendment, "key": key, "kind": kind, "paragraph_id": paragraph_id}


def _match(amendment: dict, known: list[dict], used: set[str]) -> str:
    """The key of the same amendment seen already (same paragraph and wording, else same paragraph)."""
    for same in (("paragraph", "proposed_text"), ("paragraph",)):
        for other in known:
            if other["key"] not in used and all(other.get(name) == amendment.get(name) for name in same):
                return other["key"]
    return ""


def upgrade() -> None:
    connection = op.get_bind()
    numbers_of = _paragraphs_by_milestone(connection)
    snapshots: dict[int, list] = {}
    for row in connection.execute(sa.select(revisions.c.id, revisions.c.position_id, revisions.c.amendments)
                                  .order_by(revisions.c.position_id, revisions.c.number.desc())):
        snapshots.setdefault(row.position_id, []).append(row)
    for position_id, milestone_id, amendments in connection.execute(
            sa.select(positions.c.id, positions.c.milestone_id, positions.c.amendments)).all():
        numbers = numbers_of.get(milestone_id, {})
        known: list[dict] = []
        carried = []
        for amendment in amendments if isinstance(amendments, list) else []:
            if isinstance(amendment, dict):
                amendment = _carried(amendment, str(amendment.get("key") or secrets.token_hex(4)), numbers)
                known.append(amendment)
            carried.append(amendment)
        if isinstance(amendments, list):
            connection.execute(sa.update(positions).where(positions.c.id == position_id).values(amendments=carried))
        for snapshot in snapshots.get(position_id, []):  # newest first
            if not isinstance(snapshot.amendments, list):
                continue
            used: set[str] = set()
            kept = []
            for amendment in snapshot.amendments:
                if isinstance(amendment, dict):
                    key = str(amendment.get("key") or _match(amendment, known, used) or secrets.token_hex(4))
                    used.add(key)
                    amendment = _carried(amendment, key, numbers)
                    if all(other["key"] != key for other in known):
                        known.append(amendment)
                kept.append(amendment)
            connection.execute(sa.update(revisions).where(revisions.c.id == snapshot.id).values(amendments=kept))


def downgrade() -> None:
    # The added keys are ignored by the code of the earlier revisions.
    pass

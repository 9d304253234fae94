"""editions carry a document symbol, unique

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 04:00:00

Existing editions get the symbol a new one would get by default (UCLG/GCM/<year>/<code>/<number>), made
unique with the edition's id where two would collide.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SMALL_WORDS = {"a", "an", "and", "de", "des", "du", "for", "in", "la", "le", "of", "on", "the", "to"}


def _code(name: str) -> str:
    # The same rule as drafting.documents.naming.milestone_code, frozen here as it was.
    parts = []
    for word in re.findall(r"[^\W_]+", name):
        if word.isdigit():
            parts.append(word)
        elif word.lower() not in SMALL_WORDS:
            parts.append(word[0].upper())
    return "".join(parts)[:8] or "M"


def upgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("symbol", sa.String(length=80), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT editions.id, editions.number, milestones.name, milestones.start_date FROM editions "
        "JOIN milestones ON milestones.id = editions.milestone_id ORDER BY editions.id")).fetchall()
    taken = set()
    for edition_id, number, name, start in rows:
        year = str(start)[:4]
        symbol = f"UCLG/GCM/{year}/{_code(name)}/{number}"
        if symbol in taken:
            symbol = f"UCLG/GCM/{year}/E{edition_id}/{number}"
        taken.add(symbol)
        connection.execute(sa.text("UPDATE editions SET symbol = :symbol WHERE id = :id"),
                           {"symbol": symbol, "id": edition_id})
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.alter_column("symbol", existing_type=sa.String(length=80), nullable=False)
        batch_op.create_unique_constraint("uq_editions_symbol", ["symbol"])


def downgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint("uq_editions_symbol", type_="unique")
        batch_op.drop_column("symbol")

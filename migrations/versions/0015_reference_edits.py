"""Reference rows the secretariat edited are left alone by seed-reference, and renamed ones stay recognised

Adds `edited_at` (set when the secretariat saves the row) to themes, compact sections and milestones, and
`loaded_as` (the name in the data files) to themes and milestones, filled from the current names of the
workstreams and milestones, by which seed-reference recognised them until now.

Revision ID: 0015_reference_edits
Revises: 0014_edition_kind
"""
import sqlalchemy as sa
from alembic import op

revision = "0015_reference_edits"
down_revision = "0014_edition_kind"
branch_labels = None
depends_on = None


def upgrade():
    # Plain column additions (no batch): nothing here rebuilds a table.
    op.add_column("themes", sa.Column("loaded_as", sa.String(length=100), nullable=True))
    op.add_column("themes", sa.Column("edited_at", sa.DateTime(), nullable=True))
    op.add_column("compact_sections", sa.Column("edited_at", sa.DateTime(), nullable=True))
    op.add_column("milestones", sa.Column("loaded_as", sa.String(length=200), nullable=True))
    op.add_column("milestones", sa.Column("edited_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE themes SET loaded_as = short_label WHERE kind = 'workstream'")
    op.execute("UPDATE milestones SET loaded_as = name")


def downgrade():
    with op.batch_alter_table("milestones") as batch:
        batch.drop_column("edited_at")
        batch.drop_column("loaded_as")
    with op.batch_alter_table("compact_sections") as batch:
        batch.drop_column("edited_at")
    with op.batch_alter_table("themes") as batch:
        batch.drop_column("edited_at")
        batch.drop_column("loaded_as")

"""Organisations the secretariat edited are left alone by seed-reference, and renamed ones stay recognised

Adds `edited_at` (set when the secretariat saves the organisation) and `loaded_as` (the short name in the
data files, filled from the current short names, by which seed-reference recognised them until now).

Revision ID: 0017_organisation_edits
Revises: 0015_reference_edits
"""
import sqlalchemy as sa
from alembic import op

revision = "0017_organisation_edits"
down_revision = "0015_reference_edits"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("organisations", sa.Column("loaded_as", sa.String(length=40), nullable=True))
    op.add_column("organisations", sa.Column("edited_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE organisations SET loaded_as = short_name")


def downgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("edited_at")
        batch.drop_column("loaded_as")

"""Editions record the uploaded annexes their preparation left out, and why.

Revision ID: 0018_edition_annexes_left_out
Revises: 0016_scale_indexes
Create Date: 2026-11-29

Existing editions left nothing out that they recorded: an empty list.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_edition_annexes_left_out"
down_revision = "0016_scale_indexes"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("annexes_left_out", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("editions", schema=None) as batch_op:
        # The default only carried existing rows over; new rows get their value from the application.
        batch_op.alter_column("annexes_left_out", server_default=None)


def downgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_column("annexes_left_out")

"""Editions of a fourth kind: a text revision with UCLG's joint proposals as tracked changes.

Revision ID: 0030_joint_edition
Revises: 0029_table_of_proposals
Create Date: 2026-12-07 02:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_joint_edition"
down_revision = "0029_table_of_proposals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_editions_kind_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_editions_kind_allowed"),
            "kind IN ('consolidated', 'text_with_amendments', 'table_of_proposals', 'joint_proposal')")


def downgrade():
    # The older schema does not know this kind: its editions go.
    op.execute(sa.text("DELETE FROM edition_entries WHERE edition_id IN "
                       "(SELECT id FROM editions WHERE kind = 'joint_proposal')"))
    op.execute(sa.text("DELETE FROM editions WHERE kind = 'joint_proposal'"))
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_editions_kind_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_editions_kind_allowed"), "kind IN ('consolidated', 'text_with_amendments', 'table_of_proposals')")

"""Editions of a third kind: the table of proposals (each amended paragraph, the networks' proposals and
UCLG's joint proposal, in four columns).

Revision ID: 0029_table_of_proposals
Revises: 0027_amendments_joint_proposals
Create Date: 2026-12-07 01:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0029_table_of_proposals"
down_revision = "0027_amendments_joint_proposals"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_editions_kind_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_editions_kind_allowed"),
            "kind IN ('consolidated', 'text_with_amendments', 'table_of_proposals')")


def downgrade():
    # The older schema does not know tables of proposals.
    op.execute(sa.text("DELETE FROM edition_entries WHERE edition_id IN "
                       "(SELECT id FROM editions WHERE kind = 'table_of_proposals')"))
    op.execute(sa.text("DELETE FROM editions WHERE kind = 'table_of_proposals'"))
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_editions_kind_allowed"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_editions_kind_allowed"), "kind IN ('consolidated', 'text_with_amendments')")

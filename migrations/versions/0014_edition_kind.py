"""Editions of a second kind: a text revision with the positions' amendments as tracked changes.

Revision ID: 0014_edition_kind
Revises: 0012_anchored_amendments
Create Date: 2026-11-29

Every existing edition is a consolidated document.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_edition_kind"
down_revision = "0012_anchored_amendments"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=False, server_default="consolidated"))
        batch_op.add_column(sa.Column("text_revision_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_editions_text_revision_id"), ["text_revision_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_editions_text_revision_id_text_revisions"), "text_revisions",
                                    ["text_revision_id"], ["id"])
    with op.batch_alter_table("editions", schema=None) as batch_op:
        # The default only carried existing rows over; new rows get their kind from the application.
        batch_op.alter_column("kind", server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_editions_kind_allowed"), "kind IN ('consolidated', 'text_with_amendments')")
        batch_op.create_check_constraint(
            op.f("ck_editions_amended_text_has_revision"),
            "kind = 'consolidated' OR text_revision_id IS NOT NULL")


def downgrade():
    # The older schema knows consolidated editions only.
    op.execute(sa.text("DELETE FROM edition_entries WHERE edition_id IN "
                       "(SELECT id FROM editions WHERE kind != 'consolidated')"))
    op.execute(sa.text("DELETE FROM editions WHERE kind != 'consolidated'"))
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_editions_amended_text_has_revision"), type_="check")
        batch_op.drop_constraint(op.f("ck_editions_kind_allowed"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_editions_text_revision_id_text_revisions"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_editions_text_revision_id"))
        batch_op.drop_column("text_revision_id")
        batch_op.drop_column("kind")

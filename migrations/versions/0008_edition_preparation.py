"""Editions are prepared in the background and come with a PDF.

Revision ID: 0008_edition_preparation
Revises: 0006_paragraph_references
Create Date: 2026-11-29

Existing editions were built in the request, before this change: they are ready, with their Word
file, and their PDF is marked unavailable with the reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_edition_preparation"
down_revision = "0006_paragraph_references"
branch_labels = None
depends_on = None

EARLIER = "earlier"  # preparation.NO_PDF_REASONS: "Compiled before editions came with a PDF."


def upgrade():
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=16), nullable=False, server_default="ready"))
        batch_op.add_column(sa.Column("failure_reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("prepared_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("pdf_size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pdf_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("pdf_data", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("pdf_unavailable_reason", sa.Text(), nullable=False, server_default=EARLIER))
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("data", existing_type=sa.LargeBinary(), nullable=True)
    op.execute(sa.text("UPDATE editions SET prepared_at = compiled_at"))
    with op.batch_alter_table("editions", schema=None) as batch_op:
        # The defaults only carried existing rows over; new rows get their values from the application.
        batch_op.alter_column("state", server_default=None)
        batch_op.alter_column("failure_reason", server_default=None)
        batch_op.alter_column("pdf_unavailable_reason", server_default=None)
        batch_op.create_check_constraint(
            op.f("ck_editions_state_allowed"), "state IN ('preparing', 'ready', 'failed')")
        batch_op.create_check_constraint(
            op.f("ck_editions_ready_has_files"),
            "state != 'ready' OR (data IS NOT NULL AND sha256 IS NOT NULL AND size IS NOT NULL "
            "AND (pdf_data IS NOT NULL OR pdf_unavailable_reason != ''))")


def downgrade():
    # Editions that never became ready have no file to keep in the older schema.
    op.execute(sa.text("DELETE FROM edition_entries WHERE edition_id IN "
                       "(SELECT id FROM editions WHERE state != 'ready')"))
    op.execute(sa.text("DELETE FROM editions WHERE state != 'ready'"))
    with op.batch_alter_table("editions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_editions_ready_has_files"), type_="check")
        batch_op.drop_constraint(op.f("ck_editions_state_allowed"), type_="check")
        batch_op.alter_column("data", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column("sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("size", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("pdf_unavailable_reason")
        batch_op.drop_column("pdf_data")
        batch_op.drop_column("pdf_sha256")
        batch_op.drop_column("pdf_size")
        batch_op.drop_column("prepared_at")
        batch_op.drop_column("queued_at")
        batch_op.drop_column("failure_reason")
        batch_op.drop_column("state")

"""Reference rows carry a version, checked by the UPDATE of every save; a failed re-anchoring says why

Adds `version` to milestones, organisations, themes and compact_sections: an edit's UPDATE names the
version it read (`WHERE id = ? AND version = ?`), so of two simultaneous saves of one row the second
changes nothing and is answered with the first one's values. Plain ADD COLUMN (no table rebuild on
SQLite), so the reference_version triggers on these tables stay.

Adds `reanchor_failure` to text_revisions: "time" or "memory" when following the amendments into the
revision passed a limit of background jobs.

Revision ID: 0022_reference_row_versions
Revises: 0019_reference_version
"""
import sqlalchemy as sa
from alembic import op

from drafting.models import reference_version

revision = "0022_reference_row_versions"
down_revision = "0023_account_links"
branch_labels = None
depends_on = None

TABLES = ("milestones", "organisations", "themes", "compact_sections")


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("text_revisions", sa.Column("reanchor_failure", sa.String(length=16), nullable=False,
                                              server_default=""))
    with op.batch_alter_table("text_revisions") as batch:
        # The default only carried existing rows over; new rows get their value from the application.
        batch.alter_column("reanchor_failure", existing_type=sa.String(length=16), server_default=None)


def downgrade():
    with op.batch_alter_table("text_revisions") as batch:
        batch.drop_column("reanchor_failure")
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    # A batch rebuild of a watched table drops its triggers on SQLite (drafting.models.reference_version).
    reference_version.create(op.get_bind())

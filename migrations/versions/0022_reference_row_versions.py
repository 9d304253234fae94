"""Reference rows carry a version, checked by the UPDATE of every save

Adds `version` to milestones, organisations, themes and compact_sections: an edit's UPDATE names the
version it read (`WHERE id = ? AND version = ?`), so of two simultaneous saves of one row the second
changes nothing and is answered with the first one's values. Plain ADD COLUMN (no table rebuild on
SQLite), so the reference_version triggers on these tables stay.

Revision ID: 0022_reference_row_versions
Revises: 0019_reference_version
"""
import sqlalchemy as sa
from alembic import op

from drafting.models import reference_version

revision = "0022_reference_row_versions"
down_revision = "0019_reference_version"
branch_labels = None
depends_on = None

TABLES = ("milestones", "organisations", "themes", "compact_sections")


def upgrade():
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
    # A batch rebuild of a watched table drops its triggers on SQLite (drafting.models.reference_version).
    reference_version.create(op.get_bind())

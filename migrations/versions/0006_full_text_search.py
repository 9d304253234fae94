"""full-text search of positions: tsvector + GIN on PostgreSQL, FTS5 on SQLite

Revision ID: 0005_full_text_search
Revises: 0002_notifications_in_app
Create Date: 2026-11-29 03:50:00

The statements live in drafting.models.fulltext, which `db.create_all()` runs too, so the tests and a
migrated database get the same index. Existing positions are indexed on the way up.
"""
from drafting.models import fulltext
from alembic import op


revision = '0005_full_text_search'
down_revision = '0002_notifications_in_app'
branch_labels = None
depends_on = None


def upgrade():
    fulltext.create(op.get_bind())


def downgrade():
    fulltext.drop(op.get_bind())

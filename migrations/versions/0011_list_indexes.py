"""indexes that serve each list's filter and order (last saved first; the review queue)

Revision ID: 0007_list_indexes
Revises: 0010_session_generation
Create Date: 2026-11-29 04:56:00

Plain index operations (no batch): on SQLite a batch would rebuild the table and lose the full-text
triggers.

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_list_indexes'
down_revision = '0010_session_generation'
branch_labels = None
depends_on = None

AWAITING_REVIEW = sa.text("stage IN ('submitted', 'in_review')")


def upgrade():
    op.drop_index('ix_positions_organisation_id', table_name='positions')
    op.drop_index('ix_positions_milestone_id', table_name='positions')
    op.drop_index('ix_positions_stage', table_name='positions')
    op.drop_index('ix_positions_updated_at', table_name='positions')
    op.create_index('ix_positions_recent', 'positions', ['updated_at', 'id'], unique=False)
    op.create_index('ix_positions_organisation_recent', 'positions', ['organisation_id', 'updated_at', 'id'], unique=False)
    op.create_index('ix_positions_milestone_recent', 'positions', ['milestone_id', 'updated_at', 'id'], unique=False)
    op.create_index('ix_positions_stage_recent', 'positions', ['stage', 'updated_at', 'id'], unique=False)
    op.create_index('ix_positions_review_queue', 'positions', ['submitted_at', 'id'], unique=False,
                    postgresql_where=AWAITING_REVIEW, sqlite_where=AWAITING_REVIEW)


def downgrade():
    op.drop_index('ix_positions_review_queue', table_name='positions')
    op.drop_index('ix_positions_stage_recent', table_name='positions')
    op.drop_index('ix_positions_milestone_recent', table_name='positions')
    op.drop_index('ix_positions_organisation_recent', table_name='positions')
    op.drop_index('ix_positions_recent', table_name='positions')
    op.create_index('ix_positions_updated_at', 'positions', ['updated_at'], unique=False)
    op.create_index('ix_positions_stage', 'positions', ['stage'], unique=False)
    op.create_index('ix_positions_milestone_id', 'positions', ['milestone_id'], unique=False)
    op.create_index('ix_positions_organisation_id', 'positions', ['organisation_id'], unique=False)

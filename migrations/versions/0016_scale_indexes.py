"""position counts per milestone, network and stage kept by triggers; index of extended deadlines;
the search document stored in the row

Revision ID: 0016_scale_indexes
Revises: 0013_amendment_statuses
Create Date: 2026-11-29 07:30:00

The triggers live in drafting.models.position_counts, which `db.create_all()` runs too; the counts of the
positions already there are filled on the way up. Plain index operations (no batch): on SQLite a batch
would rebuild `positions` and lose its triggers (full-text and counts).
"""
from alembic import op
import sqlalchemy as sa

from drafting.models import fulltext, position_counts


revision = '0016_scale_indexes'
down_revision = '0013_amendment_statuses'
branch_labels = None
depends_on = None

EXTENDED = sa.text("extended_until IS NOT NULL")


def upgrade():
    op.create_table(
        'position_counts',
        sa.Column('milestone_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.CheckConstraint('count >= 0', name=op.f('ck_position_counts_count_not_negative')),
        sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'],
                                name=op.f('fk_position_counts_milestone_id_milestones'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_position_counts_organisation_id_organisations'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('milestone_id', 'organisation_id', 'stage', name=op.f('pk_position_counts')),
    )
    op.create_index('ix_positions_extended_until', 'positions', ['extended_until'], unique=False,
                    postgresql_where=EXTENDED, sqlite_where=EXTENDED)
    position_counts.create(op.get_bind())
    if op.get_bind().dialect.name == "postgresql":
        # The search document kept in the row (drafting.models.fulltext.PG_STORAGE); rows already there
        # are rewritten so that theirs moves in too.
        op.execute(fulltext.PG_STORAGE)
        op.execute(f"UPDATE positions SET {fulltext.PG_COLUMN} = {fulltext.PG_COLUMN} || ''::tsvector")


def downgrade():
    position_counts.drop(op.get_bind())
    op.drop_index('ix_positions_extended_until', table_name='positions')
    op.drop_table('position_counts')

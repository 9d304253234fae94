"""amendment statuses: what became of each amendment in the next revision of the text

Revision ID: 0013_amendment_statuses
Revises: 0017_organisation_edits
Create Date: 2026-11-29 07:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_amendment_statuses'
down_revision = '0017_organisation_edits'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('text_revisions', sa.Column('reanchor_count', sa.Integer(), nullable=True))
    op.add_column('text_revisions', sa.Column('reanchored_at', sa.DateTime(), nullable=True))
    op.create_table('amendment_statuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('amendment_key', sa.String(length=64), nullable=False),
    sa.Column('text_revision_id', sa.Integer(), nullable=False),
    sa.Column('anchored_paragraph_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('taken_up', 'partly_taken_up', 'unchanged', 'changed', 'removed')", name=op.f('ck_amendment_statuses_amendment_status_allowed')),
    sa.ForeignKeyConstraint(['anchored_paragraph_id'], ['text_paragraphs.id'], name=op.f('fk_amendment_statuses_anchored_paragraph_id_text_paragraphs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['text_paragraphs.id'], name=op.f('fk_amendment_statuses_paragraph_id_text_paragraphs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_amendment_statuses_position_id_positions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['text_revision_id'], ['text_revisions.id'], name=op.f('fk_amendment_statuses_text_revision_id_text_revisions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment_statuses')),
    sa.UniqueConstraint('position_id', 'amendment_key', 'text_revision_id', name='uq_amendment_statuses_once')
    )
    op.create_index('ix_amendment_statuses_revision_status', 'amendment_statuses', ['text_revision_id', 'status'], unique=False)
    op.create_index(op.f('ix_amendment_statuses_anchored_paragraph_id'), 'amendment_statuses', ['anchored_paragraph_id'], unique=False)
    op.create_index(op.f('ix_amendment_statuses_paragraph_id'), 'amendment_statuses', ['paragraph_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_amendment_statuses_paragraph_id'), table_name='amendment_statuses')
    op.drop_index(op.f('ix_amendment_statuses_anchored_paragraph_id'), table_name='amendment_statuses')
    op.drop_index('ix_amendment_statuses_revision_status', table_name='amendment_statuses')
    op.drop_table('amendment_statuses')
    with op.batch_alter_table('text_revisions', schema=None) as batch_op:
        batch_op.drop_column('reanchored_at')
        batch_op.drop_column('reanchor_count')

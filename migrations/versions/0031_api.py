"""the JSON API: creations remembered by their Idempotency-Key for a day

Revision ID: 0031_api
Revises: 0030_joint_edition
Create Date: 2026-12-07 01:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0031_api'
down_revision = '0030_joint_edition'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_idempotent_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('operation', sa.String(length=300), nullable=False),
        sa.Column('request_digest', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('location', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name='fk_api_idempotent_requests_user_id_users',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_api_idempotent_requests'),
        sa.UniqueConstraint('user_id', 'key', name='uq_api_idempotent_requests_user_key'),
    )
    op.create_index('ix_api_idempotent_requests_created_at', 'api_idempotent_requests', ['created_at'])


def downgrade():
    op.drop_index('ix_api_idempotent_requests_created_at', table_name='api_idempotent_requests')
    op.drop_table('api_idempotent_requests')

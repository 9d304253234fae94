"""outbox: next_attempt_at, for the worker's back-off and claims

Revision ID: 0003_outbox_next_attempt
Revises: 0002
Create Date: 2026-11-29 04:00:00

Existing unsent messages get NULL: due at once, as they were under the cron line.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_outbox_next_attempt'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_next_attempt_at'), ['next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_messages_next_attempt_at'))
        batch_op.drop_column('next_attempt_at')

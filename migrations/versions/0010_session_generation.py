"""users.session_generation: logout ends the session and the remember-me cookie on the server

Revision ID: 0010_session_generation
Revises: 0005_reference_translations
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_session_generation'
down_revision = '0005_reference_translations'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')

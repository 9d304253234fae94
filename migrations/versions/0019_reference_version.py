"""the version of the reference data, kept by triggers on milestones, organisations, themes and
compact sections

Revision ID: 0019_reference_version
Revises: 0018_edition_annexes_left_out
Create Date: 2026-11-29 10:50:00

The triggers live in drafting.models.reference_version, which `db.create_all()` runs too.
"""
from alembic import op
import sqlalchemy as sa

from drafting.models import reference_version


revision = '0019_reference_version'
down_revision = '0018_edition_annexes_left_out'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reference_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_version')),
    )
    reference_version.create(op.get_bind())


def downgrade():
    reference_version.drop(op.get_bind())
    op.drop_table('reference_version')

"""a symbol code per milestone (R1 in UCLG/GCM/2018/R1/2), and en dashes in the reference milestones' names

Revision ID: 0026_milestone_symbol_codes
Revises: 0019_reference_version
Create Date: 2026-12-06 23:30:00

The reference milestones get the codes of drafting/reference/data/milestones.csv; their names (and the name
seed-reference recognises them by) take the en dash the data files now have, where nobody renamed them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0026_milestone_symbol_codes'
down_revision = '0025_names_and_pending_uploads'
branch_labels = None
depends_on = None

HYPHEN, EN_DASH = ' - ', ' \u2013 '
CODES = {
    'Global Compact on Migration - Preparatory (stocktaking) meeting': 'PREP',
    'Global Compact on Migration - Zero draft presented to Member States': 'ZD',
    **{f'Intergovernmental negotiations - Round {n}': f'R{n}' for n in range(1, 7)},
    'Adoption of the Global Compact on Migration': 'ADOPT',
}

milestones = sa.table(
    'milestones',
    sa.column('id', sa.Integer), sa.column('name', sa.String), sa.column('name_fr', sa.String),
    sa.column('name_es', sa.String), sa.column('loaded_as', sa.String), sa.column('symbol_code', sa.String),
)


def upgrade():
    with op.batch_alter_table('milestones') as batch:
        batch.add_column(sa.Column('symbol_code', sa.String(length=12), nullable=False, server_default=''))
    bind = op.get_bind()
    for row in bind.execute(sa.select(milestones)).mappings().all():
        loaded = row['loaded_as'] or ''
        if loaded not in CODES:
            continue
        changes = {'symbol_code': CODES[loaded], 'loaded_as': loaded.replace(HYPHEN, EN_DASH)}
        for column in ('name', 'name_fr', 'name_es'):
            # Only a name as the data files gave it; one the secretariat wrote stays theirs.
            if row[column] and HYPHEN in row[column] and (column != 'name' or row[column] == loaded):
                changes[column] = row[column].replace(HYPHEN, EN_DASH)
        bind.execute(milestones.update().where(milestones.c.id == row['id']).values(**changes))
    # The model gives new rows their empty default; the database keeps none, as for the other columns.
    with op.batch_alter_table('milestones') as batch:
        batch.alter_column('symbol_code', existing_type=sa.String(length=12), existing_nullable=False,
                           server_default=None)


def downgrade():
    bind = op.get_bind()
    for row in bind.execute(sa.select(milestones)).mappings().all():
        loaded = row['loaded_as'] or ''
        if loaded.replace(EN_DASH, HYPHEN) not in CODES:
            continue
        changes = {'loaded_as': loaded.replace(EN_DASH, HYPHEN)}
        for column in ('name', 'name_fr', 'name_es'):
            if row[column] and EN_DASH in row[column] and (column != 'name' or row[column] == loaded):
                changes[column] = row[column].replace(EN_DASH, HYPHEN)
        bind.execute(milestones.update().where(milestones.c.id == row['id']).values(**changes))
    with op.batch_alter_table('milestones') as batch:
        batch.drop_column('symbol_code')

"""each paragraph of a revision mapped to the compact objective it belongs to, and when the
secretariat confirmed the mapping

Revision ID: 0024_paragraph_objectives
Revises: 0019_reference_version
Create Date: 2026-12-06 22:40:00
"""
from alembic import op
import sqlalchemy as sa

from drafting.negotiated_text.objectives import ObjectiveName, words_of, objective_of_heading


revision = '0024_paragraph_objectives'
down_revision = '0022_reference_row_versions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('text_paragraphs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objective_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_text_paragraphs_objective_id'), ['objective_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_text_paragraphs_objective_id_themes'), 'themes',
                                    ['objective_id'], ['id'])
    with op.batch_alter_table('text_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('objectives_confirmed_at', sa.DateTime(), nullable=True))
    _propose_for_revisions_loaded_before()


def _propose_for_revisions_loaded_before():
    """Revisions already loaded get the objectives a new one would be proposed (from their headings)."""
    bind = op.get_bind()
    names = [ObjectiveName(row.id, row.number, words_of(f"{row.short_label} {row.title}")) for row in bind.execute(
        sa.text("SELECT id, number, short_label, title FROM themes WHERE kind = 'objective'"))]
    if not names:
        return
    chosen: dict[str, int | None] = {}
    for row in bind.execute(sa.text("SELECT id, kind, section, text FROM text_paragraphs")).fetchall():
        heading = row.text if row.kind == 'heading' else row.section
        if not heading:
            continue
        if heading not in chosen:
            chosen[heading] = objective_of_heading(heading, names)
        if chosen[heading] is not None:
            bind.execute(sa.text("UPDATE text_paragraphs SET objective_id = :objective WHERE id = :id"),
                         {"objective": chosen[heading], "id": row.id})


def downgrade():
    with op.batch_alter_table('text_revisions', schema=None) as batch_op:
        batch_op.drop_column('objectives_confirmed_at')
    with op.batch_alter_table('text_paragraphs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_text_paragraphs_objective_id_themes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_text_paragraphs_objective_id'))
        batch_op.drop_column('objective_id')

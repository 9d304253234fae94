"""Organisations' full names in French and Spanish

Adds `full_name_fr` and `full_name_es` (empty: the English name is shown) and fills them from the
reference data for the organisations that the secretariat has not edited.

Revision ID: 0025_organisation_names_translated
Revises: 0019_reference_version
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_organisation_names_translated"
down_revision = "0019_reference_version"
branch_labels = None
depends_on = None

COLUMNS = ("full_name_fr", "full_name_es")


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=200), nullable=False, server_default=""))
    _fill()
    # The model gives new rows their empty default; the database keeps none, as for the other columns.
    with op.batch_alter_table("organisations") as batch:
        for name in COLUMNS:
            batch.alter_column(name, existing_type=sa.String(length=200), existing_nullable=False,
                               server_default=None)


def _fill():
    from drafting.reference.loader import data_rows

    organisations = sa.table("organisations", *(sa.column(c) for c in ("loaded_as", "edited_at", *COLUMNS)))
    bind = op.get_bind()
    for row in data_rows("organisations.csv"):
        values = {name: row.get(name, "") for name in COLUMNS if row.get(name)}
        if values:
            bind.execute(organisations.update()
                         .where(organisations.c.loaded_as == row["short_name"], organisations.c.edited_at.is_(None))
                         .values(**values))


def downgrade():
    with op.batch_alter_table("organisations") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)

"""Organisations' full names in French and Spanish; Word files kept between a revision's preview and
its publishing

Adds `full_name_fr` and `full_name_es` (empty: the English name is shown) and fills them from the
reference data for the organisations that the secretariat has not edited. Adds `pending_uploads`.

Revision ID: 0025_names_and_pending_uploads
Revises: 0019_reference_version
"""
import sqlalchemy as sa
from alembic import op

revision = "0025_names_and_pending_uploads"
down_revision = "0024_paragraph_objectives"
branch_labels = None
depends_on = None

COLUMNS = ("full_name_fr", "full_name_es")


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length=200), nullable=False, server_default=""))
    _fill()
    op.create_table(
        "pending_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_pending_uploads_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_uploads")),
        sa.UniqueConstraint("token", name=op.f("uq_pending_uploads_token")),
    )
    op.create_index(op.f("ix_pending_uploads_user_id"), "pending_uploads", ["user_id"], unique=False)
    op.create_index(op.f("ix_pending_uploads_created_at"), "pending_uploads", ["created_at"], unique=False)
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
    op.drop_index(op.f("ix_pending_uploads_created_at"), table_name="pending_uploads")
    op.drop_index(op.f("ix_pending_uploads_user_id"), table_name="pending_uploads")
    op.drop_table("pending_uploads")
    with op.batch_alter_table("organisations") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)

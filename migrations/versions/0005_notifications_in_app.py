"""The outbox as in-app notifications: recipient, position and read time of each message.

Revision ID: 0002_notifications_in_app
Revises: 0002_text
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_notifications_in_app"
down_revision = "0002_text"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("recipient_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("position_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("read_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key("fk_outbox_messages_recipient_id_users", "users", ["recipient_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_foreign_key("fk_outbox_messages_position_id_positions", "positions", ["position_id"], ["id"],
                                 ondelete="SET NULL")
        batch.create_index("ix_outbox_messages_recipient_read", ["recipient_id", "read_at"])
        batch.create_index("ix_outbox_messages_position_id", ["position_id"])
    # Messages written before: their recipient is the account with that address. Earlier messages are
    # counted as read, so that nobody starts with a pile of "unread" notifications of past events.
    op.execute("UPDATE outbox_messages SET recipient_id = "
               "(SELECT users.id FROM users WHERE users.email = outbox_messages.recipient), "
               "read_at = created_at")


def downgrade():
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_index("ix_outbox_messages_position_id")
        batch.drop_index("ix_outbox_messages_recipient_read")
        batch.drop_constraint("fk_outbox_messages_position_id_positions", type_="foreignkey")
        batch.drop_constraint("fk_outbox_messages_recipient_id_users", type_="foreignkey")
        batch.drop_column("read_at")
        batch.drop_column("position_id")
        batch.drop_column("recipient_id")

"""invitations and password resets: the e-mailed links by which people choose their own password

Only the SHA-256 of each link's secret is stored (token_hash), never the link itself.

Revision ID: 0023_account_links
Revises: 0019_reference_version
"""
import sqlalchemy as sa
from alembic import op

revision = '0023_account_links'
down_revision = '0019_reference_version'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('locale', sa.String(length=5), nullable=False),
        sa.Column('invited_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('accepted_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("role IN ('contributor', 'reviewer', 'secretariat')",
                           name=op.f('ck_invitations_role_allowed')),
        sa.CheckConstraint("locale IN ('en', 'fr', 'es')", name=op.f('ck_invitations_locale_allowed')),
        sa.CheckConstraint('email = lower(email)', name=op.f('ck_invitations_email_lower_case')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_invitations_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_invitations_invited_by_id_users')),
        sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], ondelete='SET NULL',
                                name=op.f('fk_invitations_message_id_outbox_messages')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f('fk_invitations_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash')),
    )
    op.create_index(op.f('ix_invitations_email'), 'invitations', ['email'], unique=False)
    op.create_table(
        'password_resets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=True),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_password_resets_user_id_users')),
        sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], ondelete='SET NULL',
                                name=op.f('fk_password_resets_message_id_outbox_messages')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_password_resets')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_password_resets_token_hash')),
    )
    op.create_index(op.f('ix_password_resets_user_id'), 'password_resets', ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_password_resets_user_id'), table_name='password_resets')
    op.drop_table('password_resets')
    op.drop_index(op.f('ix_invitations_email'), table_name='invitations')
    op.drop_table('invitations')

"""amendments with ids of their own, UCLG's joint proposals with their outcomes and answers, access tokens

Revision ID: 0027_amendments_joint_proposals
Revises: 0026_milestone_symbol_codes
Create Date: 2026-12-07 01:40:00

Every amendment stored in a position's list gets its row (and id) here, as a save of the position would
give it (drafting.positions.operations.keep_records).
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = '0027_amendments_joint_proposals'
down_revision = '0026_milestone_symbol_codes'
branch_labels = None
depends_on = None

KINDS = ('replace', 'insert_after', 'delete')


def _check(column, values, name):
    allowed = ', '.join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f'{column} IN ({allowed})', name=name)


def upgrade():
    op.create_table(
        'amendments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('position_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('paragraph_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('paragraph', sa.Text(), nullable=False),
        sa.Column('proposed_text', sa.Text(), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=False),
        sa.Column('order', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('removed_at', sa.DateTime(), nullable=True),
        _check('kind', KINDS, 'amendment_kind_allowed'),
        sa.ForeignKeyConstraint(['position_id'], ['positions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['paragraph_id'], ['text_paragraphs.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('position_id', 'key', name='uq_amendments_position_key'),
    )
    op.create_index('ix_amendments_paragraph', 'amendments', ['paragraph_id', 'removed_at'])
    op.create_table(
        'joint_proposals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('paragraph_id', sa.Integer(), nullable=False),
        sa.Column('choice', sa.String(length=20), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('answer_until', sa.Date(), nullable=True),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        _check('choice', ('as_proposed', 'modified', 'merged', 'unchanged'), 'joint_proposal_choice_allowed'),
        _check('kind', KINDS, 'joint_proposal_kind_allowed'),
        sa.ForeignKeyConstraint(['paragraph_id'], ['text_paragraphs.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('paragraph_id', name='uq_joint_proposals_paragraph'),
    )
    op.create_table(
        'amendment_outcomes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('amendment_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        _check('outcome', ('taken', 'modified', 'merged', 'not_taken', 'obsolete'), 'amendment_outcome_allowed'),
        sa.ForeignKeyConstraint(['proposal_id'], ['joint_proposals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('proposal_id', 'amendment_id', name='uq_amendment_outcomes_once'),
    )
    op.create_index('ix_amendment_outcomes_amendment_id', 'amendment_outcomes', ['amendment_id'])
    op.create_table(
        'proposal_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('proposal_id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('answer', sa.String(length=10), nullable=False),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('answered_by_id', sa.Integer(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        _check('answer', ('agree', 'disagree'), 'proposal_answer_allowed'),
        sa.ForeignKeyConstraint(['proposal_id'], ['joint_proposals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id']),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('proposal_id', 'organisation_id', 'round', name='uq_proposal_answers_once'),
    )
    op.create_index('ix_proposal_answers_organisation_id', 'proposal_answers', ['organisation_id'])
    op.create_table(
        'access_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('scope', sa.String(length=10), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), nullable=True),
        _check('scope', ('read', 'write'), 'access_token_scope_allowed'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_access_tokens_user_id', 'access_tokens', ['user_id'])
    _backfill_amendments()


def _legacy_key(index, amendment):
    seed = f"{index}|{amendment.get('paragraph')}|{amendment.get('proposed_text')}"
    return hashlib.sha256(seed.encode('utf-8', 'replace')).hexdigest()[:8]


def _backfill_amendments():
    bind = op.get_bind()
    positions = sa.table('positions', sa.column('id', sa.Integer), sa.column('amendments', sa.JSON),
                         sa.column('updated_at', sa.DateTime))
    paragraphs = {row[0] for row in bind.execute(sa.text('SELECT id FROM text_paragraphs'))}
    amendments = sa.table('amendments', *(sa.column(name) for name in (
        'position_id', 'key', 'paragraph_id', 'kind', 'paragraph', 'proposed_text', 'rationale', 'order',
        'created_at', 'updated_at')))
    for position_id, stored, updated_at in bind.execute(sa.select(positions)).all():
        if isinstance(stored, str):
            stored = json.loads(stored)
        rows, seen = [], set()
        for index, amendment in enumerate(stored if isinstance(stored, list) else []):
            if not isinstance(amendment, dict):
                continue
            key = str(amendment.get('key') or _legacy_key(index, amendment))[:64]
            if key in seen:
                continue
            seen.add(key)
            paragraph_id = amendment.get('paragraph_id')
            if not isinstance(paragraph_id, int) or isinstance(paragraph_id, bool) or paragraph_id not in paragraphs:
                paragraph_id = None
            kind = amendment.get('kind') if amendment.get('kind') in KINDS else 'replace'
            rows.append({'position_id': position_id, 'key': key, 'paragraph_id': paragraph_id, 'kind': kind,
                         'paragraph': str(amendment.get('paragraph') or ''),
                         'proposed_text': str(amendment.get('proposed_text') or ''),
                         'rationale': str(amendment.get('rationale') or ''), 'order': len(rows),
                         'created_at': updated_at, 'updated_at': updated_at})
        if rows:
            bind.execute(amendments.insert(), rows)


def downgrade():
    op.drop_index('ix_access_tokens_user_id', table_name='access_tokens')
    op.drop_table('access_tokens')
    op.drop_index('ix_proposal_answers_organisation_id', table_name='proposal_answers')
    op.drop_table('proposal_answers')
    op.drop_index('ix_amendment_outcomes_amendment_id', table_name='amendment_outcomes')
    op.drop_table('amendment_outcomes')
    op.drop_table('joint_proposals')
    op.drop_index('ix_amendments_paragraph', table_name='amendments')
    op.drop_table('amendments')

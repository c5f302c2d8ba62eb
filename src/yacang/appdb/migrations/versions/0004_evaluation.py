"""evaluation: 成效明显市（州） 申报 calls, submissions, value checks, attachments (issue 20)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 02:52:39.842243
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('eval_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('system', sa.String(length=64), nullable=False),
    sa.Column('quota', sa.Integer(), nullable=False),
    sa.Column('issuer_region', sa.String(length=6), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_calls'))
    )
    with op.batch_alter_table('eval_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_calls_issuer_region'), ['issuer_region'], unique=False)

    op.create_table('eval_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('region_name', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('vetoes', sa.JSON(), nullable=False),
    sa.Column('bonuses', sa.JSON(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('shortlisted', sa.Boolean(), nullable=False),
    sa.Column('review_note', sa.Text(), nullable=False),
    sa.Column('submitted_by', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['eval_calls.id'], name=op.f('fk_eval_submissions_call_id_eval_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_submissions')),
    sa.UniqueConstraint('call_id', 'region', name=op.f('uq_eval_submissions_call_id'))
    )
    with op.batch_alter_table('eval_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_submissions_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eval_submissions_region'), ['region'], unique=False)

    op.create_table('eval_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=128), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['eval_submissions.id'], name=op.f('fk_eval_attachments_submission_id_eval_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_attachments'))
    )
    with op.batch_alter_table('eval_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_attachments_submission_id'), ['submission_id'], unique=False)

    op.create_table('eval_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=64), nullable=False),
    sa.Column('submitted', sa.Float(), nullable=True),
    sa.Column('warehouse', sa.Float(), nullable=True),
    sa.Column('series_id', sa.String(length=128), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('checked_by', sa.String(length=64), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['eval_submissions.id'], name=op.f('fk_eval_checks_submission_id_eval_submissions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_checks'))
    )
    with op.batch_alter_table('eval_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_checks_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('eval_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eval_checks_submission_id'))

    op.drop_table('eval_checks')
    with op.batch_alter_table('eval_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eval_attachments_submission_id'))

    op.drop_table('eval_attachments')
    with op.batch_alter_table('eval_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eval_submissions_region'))
        batch_op.drop_index(batch_op.f('ix_eval_submissions_call_id'))

    op.drop_table('eval_submissions')
    with op.batch_alter_table('eval_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eval_calls_issuer_region'))

    op.drop_table('eval_calls')

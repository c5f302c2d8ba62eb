"""report: register of issued bulletins with versions (issue 13)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bulletin_issues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('region', sa.String(length=6), nullable=False),
    sa.Column('region_name', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=False),
    sa.Column('issuer', sa.String(length=100), nullable=False),
    sa.Column('signer', sa.String(length=64), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('provenance', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletin_issues')),
    sa.UniqueConstraint('region', 'period', 'version', name='uq_bulletin_issues_version')
    )
    with op.batch_alter_table('bulletin_issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletin_issues_region'), ['region'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bulletin_issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletin_issues_region'))
    op.drop_table('bulletin_issues')

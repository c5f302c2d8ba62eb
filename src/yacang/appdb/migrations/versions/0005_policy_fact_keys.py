"""policy: a fact's vocabulary key and the offsets of its figure in the document text (issue 17)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 03:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('policy_facts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('start_offset', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('end_offset', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('policy_facts', schema=None) as batch_op:
        batch_op.drop_column('end_offset')
        batch_op.drop_column('start_offset')
        batch_op.drop_column('key')

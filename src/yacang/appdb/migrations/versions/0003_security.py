"""security: token scope and expiry, password change time, one open appeal / pending application (issue 15)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 03:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

OPEN_APPEAL_SQL = "status IN ('filed', 'assigned', 'responded', 'planned', 'reopened')"
PENDING_WHITELIST_SQL = "status IN ('applied', 'reviewed')"


def upgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scope', sa.String(length=8), nullable=False, server_default='write'))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('dispatch_appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedup_key', sa.String(length=64), nullable=False, server_default=''))
    # existing rows get distinct keys so the new unique index cannot fail on old duplicates
    op.execute("UPDATE dispatch_appeals SET dedup_key = 'legacy-' || id")
    op.create_index('uq_dispatch_appeals_open_dedup', 'dispatch_appeals', ['uscc', 'appeal_type', 'dedup_key'],
                    unique=True, sqlite_where=sa.text(OPEN_APPEAL_SQL), postgresql_where=sa.text(OPEN_APPEAL_SQL))
    bind = op.get_bind()
    dups = bind.execute(sa.text(
        f"SELECT category_id, uscc FROM dispatch_whitelist_entries WHERE {PENDING_WHITELIST_SQL} "
        "GROUP BY category_id, uscc HAVING count(*) > 1")).fetchall()
    if dups:
        raise RuntimeError(f"白名单中有重复的待审核申请（{len(dups)} 组），请先处理后再升级数据库：{dups[:5]}")
    op.create_index('uq_dispatch_whitelist_pending', 'dispatch_whitelist_entries', ['category_id', 'uscc'],
                    unique=True, sqlite_where=sa.text(PENDING_WHITELIST_SQL),
                    postgresql_where=sa.text(PENDING_WHITELIST_SQL))


def downgrade() -> None:
    op.drop_index('uq_dispatch_whitelist_pending', table_name='dispatch_whitelist_entries')
    op.drop_index('uq_dispatch_appeals_open_dedup', table_name='dispatch_appeals')
    with op.batch_alter_table('dispatch_appeals', schema=None) as batch_op:
        batch_op.drop_column('dedup_key')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('password_changed_at')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('scope')

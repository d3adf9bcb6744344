"""crawl queue for workers on many machines, and the dedupe log they share

Revision ID: 0006_queue
Revises: 0005_tools_requisites

``crawl_queue``: one row per site waiting for or held by a worker (lease owner, expiry,
heartbeat, attempts, back-off). ``dedupe_log``: posts in the order they were matched, so a
crawl in another process can catch its in-memory dedupe index up.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0006_queue"
down_revision = "0005_tools_requisites"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('crawl_queue',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=8), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('enqueued_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('not_before', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lease_owner', sa.String(length=200), nullable=True),
    sa.Column('lease_expires_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_crawl_queue_site_id_sites'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_crawl_queue'))
    )
    with op.batch_alter_table('crawl_queue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crawl_queue_state'), ['state'], unique=False)

    op.create_table('dedupe_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_dedupe_log_post_id_posts'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_dedupe_log'))
    )
    with op.batch_alter_table('dedupe_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dedupe_log_post_id'), ['post_id'], unique=False)


def downgrade() -> None:
    op.drop_table('dedupe_log')
    op.drop_table('crawl_queue')

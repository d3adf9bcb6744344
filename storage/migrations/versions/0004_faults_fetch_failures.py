"""fetch failures: URLs owed to the archive, asked for again on later runs

Revision ID: 0004_faults
Revises: 0003_dedupe
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0004_faults"
down_revision = "0003_dedupe"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetch_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=2048), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("callback", sa.String(length=40), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["last_run_id"], ["crawl_runs.id"],
                                name=op.f("fk_fetch_failures_last_run_id_crawl_runs"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"],
                                name=op.f("fk_fetch_failures_site_id_sites"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fetch_failures")),
        sa.UniqueConstraint("site_id", "key", name=op.f("uq_fetch_failures_site_id_key")),
    )
    with op.batch_alter_table("fetch_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fetch_failures_site_id"), ["site_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("fetch_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fetch_failures_site_id"))
    op.drop_table("fetch_failures")

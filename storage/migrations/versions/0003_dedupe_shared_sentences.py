"""text-reuse relations record the sentences both posts share

Revision ID: 0003_dedupe
Revises: 0002

``relations.shared_sentences``: a JSON list of the sentences (normalized words) a pair of
posts shares, for relations found by sentence-level reuse (and kept for paragraph reuse
when the posts also share sentences); NULL on relations recorded before.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_dedupe"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: SQLite supports it without rebuilding the table.
    op.add_column("relations", sa.Column("shared_sentences", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("relations") as batch:
        batch.drop_column("shared_sentences")

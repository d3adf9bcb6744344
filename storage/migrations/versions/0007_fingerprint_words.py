"""the dedupe fingerprint's own word count, apart from the post's visible word count

Revision ID: 0007_fingerprint_words
Revises: 0006_queue

``posts.word_count`` had two writers: the archive wrote the post's visible words and the dedupe
fingerprint overwrote them with the words of its normalized text (which the index routes short
posts by). Each now has its own column: ``word_count`` is the visible count, written with the
text; ``fingerprint_words`` belongs to the fingerprint. Existing fingerprints keep the count
they were stored with.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_fingerprint_words"
down_revision = "0006_queue"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("posts", sa.Column("fingerprint_words", sa.Integer(), nullable=True))
    op.execute("UPDATE posts SET fingerprint_words = word_count WHERE signature IS NOT NULL")


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of ``posts`` would drop the
    # view, triggers and full-text tables that hang on it.
    op.drop_column("posts", "fingerprint_words")

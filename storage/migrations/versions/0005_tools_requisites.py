"""page requisites of posts: images, stylesheets, scripts and fonts

Revision ID: 0005_tools_requisites
Revises: 0005_tools_identity

``post_requisites`` links each post to what its page needs (its capture when stored, else
the reason it was skipped). Their bytes are captures like any response.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0005_tools_requisites"
down_revision = "0005_tools_identity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "post_requisites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=64), nullable=True),
        sa.Column("capture_id", sa.Integer(), nullable=True),
        sa.Column("seen_at", storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["capture_id"], ["captures.id"],
                                name=op.f("fk_post_requisites_capture_id_captures"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["post_id"], ["posts.id"],
                                name=op.f("fk_post_requisites_post_id_posts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_requisites")),
        sa.UniqueConstraint("post_id", "url", name=op.f("uq_post_requisites_post_id_url")),
    )
    op.create_index(op.f("ix_post_requisites_capture_id"), "post_requisites", ["capture_id"])
    op.create_index(op.f("ix_post_requisites_post_id"), "post_requisites", ["post_id"])
    op.create_index(op.f("ix_post_requisites_url"), "post_requisites", ["url"])


def downgrade() -> None:
    op.drop_table("post_requisites")

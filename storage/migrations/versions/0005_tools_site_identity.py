"""sites keep the blog's own name and description

Revision ID: 0005_tools_identity
Revises: 0005_tools

``sites.name_source`` says where a site's name came from: ``user`` (``--name``, never
replaced), ``blog`` (as the blog states it, refreshed on crawl) or ``address`` (its host).
Existing sites whose name is their host are ``address``; any other name was given by the user.
``sites.description`` holds the blog's own description.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_tools_identity"
down_revision = "0005_tools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (SQLite ≥ 3.35 has both): a batch rebuild of ``sites`` would
    # drop the table, and with foreign keys on that deletes every post.
    op.add_column("sites", sa.Column("name_source", sa.String(length=8), nullable=False,
                                     server_default="user"))
    op.add_column("sites", sa.Column("description", sa.Text(), nullable=True))
    sites = sa.table("sites", sa.column("id", sa.Integer), sa.column("url", sa.String),
                     sa.column("name", sa.String), sa.column("name_source", sa.String))
    bind = op.get_bind()
    hosts = [{"site_id": row.id} for row in bind.execute(sa.select(sites.c.id, sites.c.url, sites.c.name))
             if row.name == row.url.split("//", 1)[-1].rstrip("/")]
    if hosts:
        bind.execute(sites.update().where(sites.c.id == sa.bindparam("site_id"))
                     .values(name_source="address"), hosts)


def downgrade() -> None:
    op.drop_column("sites", "description")
    op.drop_column("sites", "name_source")

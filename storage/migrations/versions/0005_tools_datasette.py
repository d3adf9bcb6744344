"""open the archive in Datasette and sqlite-utils as they open their own databases

Revision ID: 0005_tools
Revises: 0004_faults

- SQLite full-text tables are declared again with ``content="posts"`` (double quotes):
  Datasette and sqlite-utils find an external-content FTS table only by that spelling
  (or brackets), and 0002 wrote ``content='posts'``. Same tokenizer, same triggers; the
  index is rebuilt from the rows. Likewise for comments.
- JSON columns are rewritten as readable UTF-8 (``"Siobhán"``, not ``"Siobh\\u00e1n"``);
  :func:`storage.db.make_engine` now writes them that way.
- ``clusters.canonical_post_id`` becomes a declared foreign key (deferred, so a story and
  its canonical post can be written in either order; SET NULL when the post is deleted).
  On SQLite that takes a batch-mode rebuild of ``clusters``.
- SQLite gets the ``post_summaries`` view: one short row per post with no HTML or binary
  columns, for browsing. A later batch-mode rebuild of a table this view reads (posts,
  sites, clusters) must drop the view first and create it again after: SQLite refuses to
  rename a table while a view names a missing one.

The statements are spelled out here (not imported) so this revision stays what it was.
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005_tools"
down_revision = "0004_faults"
branch_labels = None
depends_on = None

TOKENIZE = "porter unicode61 remove_diacritics 2"
FTS_COLUMNS = {"posts": ("title", "text"), "comments": ("text",)}
JSON_COLUMNS = {
    "sites": ("aliases", "settings"),
    "crawl_runs": ("stats",),
    "captures": ("headers",),
    "posts": ("authors", "links", "images"),
}
CANONICAL_FK = "fk_clusters_canonical_post_id_posts"
VIEW = "post_summaries"
VIEW_SQL = f"""
CREATE VIEW {VIEW} AS
SELECT p.id AS id,
       s.name AS site,
       p.title AS title,
       p.author AS author,
       (SELECT group_concat(value, '; ') FROM json_each(p.authors)) AS authors,
       p.published AS published,
       p.kind AS kind,
       p.status AS status,
       p.canonical_url AS url,
       p.word_count AS word_count,
       replace(substr(p.text, 1, 300), char(10), ' ') AS excerpt,
       p.language AS language,
       p.cluster_id AS story,
       CASE WHEN p.cluster_id IS NULL THEN 0
            ELSE (SELECT count(*) - 1 FROM posts m WHERE m.cluster_id = p.cluster_id) END AS copies,
       c.canonical_post_id AS canonical_post_id,
       p.first_seen AS first_seen,
       p.last_seen AS last_seen,
       p.gone_at AS gone_at,
       p.site_id AS site_id
FROM posts p
JOIN sites s ON s.id = p.site_id
LEFT JOIN clusters c ON c.id = p.cluster_id
"""


def _fts_statements(table: str, quote: str) -> list[str]:
    fts = f"{table}_fts"
    columns = FTS_COLUMNS[table]
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content={quote}{table}{quote}, "
        f"content_rowid={quote}id{quote}, tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _redeclare_fts(quote: str) -> None:
    for table in FTS_COLUMNS:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")
        for statement in _fts_statements(table, quote):
            op.execute(statement)


def _rewrite_json(ensure_ascii: bool) -> None:
    """Re-serialise every JSON value that holds (or would hold) ``\\u`` escapes."""
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    for name, columns in JSON_COLUMNS.items():
        for column in columns:
            table = sa.table(name, sa.column("id", sa.Integer), sa.column(column, sa.Text))
            text = sa.cast(table.c[column], sa.Text) if pg else table.c[column]
            # Only escaped text needs rewriting to readable; going back, any row may.
            needs = sa.true() if ensure_ascii else text.contains("\\u", autoescape=True)
            rows = bind.execute(sa.select(table.c.id, text).where(needs)).all()
            value = sa.cast(sa.bindparam("value"), sa.JSON) if pg else sa.bindparam("value")
            updates = []
            for row_id, raw in rows:
                fresh = json.dumps(json.loads(raw), ensure_ascii=ensure_ascii)
                if fresh != raw:
                    updates.append({"row_id": row_id, "value": fresh})
            if updates:
                bind.execute(table.update().where(table.c.id == sa.bindparam("row_id"))
                             .values({column: value}), updates)


def _clear_dangling_canonicals() -> None:
    op.execute("UPDATE clusters SET canonical_post_id = NULL WHERE canonical_post_id IS NOT NULL "
               "AND canonical_post_id NOT IN (SELECT id FROM posts)")


def _sqlite_rebuild_clusters(add_fk: bool) -> None:
    """Rebuild ``clusters`` with or without the foreign key, keeping posts in their stories.

    Batch mode drops the old table; with foreign keys on (they cannot be switched off
    inside the migration's transaction) that sets every ``posts.cluster_id`` to NULL, so
    the links are saved first and put back after.
    """
    op.execute("CREATE TEMP TABLE _story_links AS "
               "SELECT id AS post_id, cluster_id FROM posts WHERE cluster_id IS NOT NULL")
    with op.batch_alter_table("clusters", recreate="always") as batch:
        if add_fk:
            batch.create_foreign_key(CANONICAL_FK, "posts", ["canonical_post_id"], ["id"],
                                     ondelete="SET NULL", deferrable=True, initially="DEFERRED")
        else:
            batch.drop_constraint(CANONICAL_FK, type_="foreignkey")
    op.execute("UPDATE posts SET cluster_id = (SELECT cluster_id FROM _story_links "
               "WHERE post_id = posts.id) WHERE id IN (SELECT post_id FROM _story_links)")
    op.execute("DROP TABLE _story_links")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _rewrite_json(ensure_ascii=False)
    _clear_dangling_canonicals()
    if sqlite:
        _redeclare_fts('"')
        _sqlite_rebuild_clusters(add_fk=True)
        op.execute(VIEW_SQL)
    else:
        op.create_foreign_key(CANONICAL_FK, "clusters", "posts", ["canonical_post_id"], ["id"],
                              ondelete="SET NULL", deferrable=True, initially="DEFERRED")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP VIEW IF EXISTS {VIEW}")
        _sqlite_rebuild_clusters(add_fk=False)
        _redeclare_fts("'")
    else:
        op.drop_constraint(CANONICAL_FK, "clusters", type_="foreignkey")
    _rewrite_json(ensure_ascii=True)

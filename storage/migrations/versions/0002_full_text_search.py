"""full-text search over posts and comments

Revision ID: 0002
Revises: 0001

SQLite: external-content FTS5 tables ``posts_fts(title, text)`` and ``comments_fts(text)``
kept in step by triggers (the sqlite-utils recipe). PostgreSQL: a trigger-maintained
``search_vector`` tsvector column (title weight A, body weight B) with a GIN index.
Existing rows are indexed here. These objects stay out of the ORM metadata; see
``storage.db.include_object`` for schema comparisons.

The statements are spelled out (not imported) so this revision stays what it was when
later code changes. A later batch-mode rebuild of ``posts`` or ``comments`` on SQLite drops
their triggers: such a migration must recreate the triggers below.
"""
from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TOKENIZE = "porter unicode61 remove_diacritics 2"


def _sqlite_fts(table: str, columns: tuple[str, ...]) -> list[str]:
    fts = f"{table}_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='id', tokenize='{TOKENIZE}')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        # Only a changed title or body touches the index: crawls update last_seen often.
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


# The first 250,000 characters of a body are indexed: a tsvector holds at most 1 MB.
POSTS_VECTOR = ("setweight(to_tsvector('english', coalesce({r}title, '')), 'A') || "
                "setweight(to_tsvector('english', left(coalesce({r}text, ''), 250000)), 'B')")
COMMENTS_VECTOR = "to_tsvector('english', left(coalesce({r}text, ''), 250000))"


def _pg_vector(table: str, expression: str, columns: str) -> list[str]:
    function = f"{table}_search_vector_update"
    return [
        f"ALTER TABLE {table} ADD COLUMN search_vector tsvector",
        f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {expression.format(r='NEW.')}; RETURN NEW; END $$",
        f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {columns} "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"UPDATE {table} SET search_vector = {expression.format(r='')}",
        f"CREATE INDEX ix_{table}_search_vector ON {table} USING gin (search_vector)",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        statements = (_pg_vector("posts", POSTS_VECTOR, "title, text")
                      + _pg_vector("comments", COMMENTS_VECTOR, "text"))
    else:
        statements = _sqlite_fts("posts", ("title", "text")) + _sqlite_fts("comments", ("text",))
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("posts", "comments"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_search_vector_update()")
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_vector")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")
        return
    for table in ("posts", "comments"):
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}_fts")

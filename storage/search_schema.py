"""Names of the full-text objects migration 0002 adds outside the ORM metadata.

The FTS5 tables (SQLite) and ``search_vector`` columns (PostgreSQL) are maintained by
triggers, not by the models, so schema comparisons must look past them: pass
:func:`include_name` to Alembic's ``context.configure(include_name=...)``.
"""

from __future__ import annotations

from collections.abc import Mapping

# SQLite: external-content FTS5 tables and the shadow tables FTS5 creates beside them.
FTS_TABLES = ("posts_fts", "comments_fts")
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
# PostgreSQL: trigger-maintained tsvector columns and their GIN indexes.
VECTOR_COLUMN = "search_vector"
VECTOR_TABLES = ("posts", "comments")
VECTOR_INDEXES = ("ix_posts_search_vector", "ix_comments_search_vector")
# Text search configuration used for indexing and querying on PostgreSQL.
PG_CONFIG = "english"


def is_search_table(name: str) -> bool:
    return any(name == t or name in {t + s for s in FTS5_SHADOW_SUFFIXES} for t in FTS_TABLES)


def include_name(name: str | None, type_: str, parent_names: Mapping[str, str | None]) -> bool:
    """Alembic ``include_name`` hook: hide the search objects from autogenerate."""
    if name is None:
        return True
    if type_ == "table":
        return not is_search_table(name)
    if type_ == "column":
        return not (name == VECTOR_COLUMN and parent_names.get("table_name") in VECTOR_TABLES)
    if type_ == "index":
        return name not in VECTOR_INDEXES
    return True

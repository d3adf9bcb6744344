"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage import db
from storage.models import Base


def test_models_and_migrations_agree(archive_url):
    engine = db.make_engine(archive_url)
    before, after = db.upgrade(engine)
    assert before is None and after == db.head_revision()
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": db.include_object})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_is_idempotent_and_creates_tables(archive_url):
    engine = db.make_engine(archive_url)
    db.upgrade(engine)
    assert db.upgrade(engine) == (db.head_revision(), db.head_revision())
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {"sites", "posts", "post_urls", "post_versions", "captures", "comments",
            "terms", "clusters", "relations", "crawl_runs"} <= tables


def test_open_archive_migrates_on_first_use(archive_url):
    archive = db.open_archive(archive_url)
    assert db.current_revision(archive.engine) == db.head_revision()
    archive.dispose()

"""Migration 0005_tools on an archive that already holds data, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from tests.support.archive_builder import add_sample_archive
from storage import db
from storage.models import Cluster, Post, Site
from storage.search import search

BEFORE = "0002"


def _migrate(engine, revision: str, down: bool = False) -> None:
    with engine.begin() as connection:
        config = db._alembic_config(connection)
        (command.downgrade if down else command.upgrade)(config, revision)


def _escape_json(engine) -> None:
    """Write JSON as the archive did before 0005: ``\\u`` escapes for every non-ASCII letter."""
    with engine.begin() as conn:
        for table, column in (("posts", "authors"), ("sites", "aliases"), ("captures", "headers")):
            rows = conn.execute(text(f"SELECT id, {column} FROM {table}")).all()
            for row_id, value in rows:
                value = json.loads(value) if isinstance(value, str) else value
                cast = "CAST(:v AS json)" if engine.dialect.name == "postgresql" else ":v"
                conn.execute(text(f"UPDATE {table} SET {column} = {cast} WHERE id = :id"),
                             {"v": json.dumps(value), "id": row_id})


@pytest.fixture
def old_archive(archive_url):
    """An archive taken back to revision 0002 holding the sample posts, a story, non-ASCII
    JSON, a capture and a story whose canonical post is missing."""
    archive = db.open_archive(archive_url)
    with archive.Session.begin() as session:
        ids = add_sample_archive(session)
        session.get(Post, ids["budget"]).authors = ["Siobhán Murphy", "Zoë"]
        session.get(Site, 1).aliases = ["www.harrow.example", "härrow.example"]
    _migrate(archive.engine, BEFORE, down=True)
    with archive.engine.begin() as conn:
        # A story whose canonical post no longer exists: it cannot keep that reference.
        conn.execute(text("INSERT INTO clusters (canonical_post_id, updated_at) "
                          "VALUES (9999, '2024-06-01 00:00:00')"))
        conn.execute(text("INSERT INTO captures (url, final_url, status, headers, fetched_at, body, "
                          "size, sha256) VALUES ('https://harrow.example/', 'https://harrow.example/', "
                          "200, '{}', '2024-06-01 00:00:00', :body, 0, 'x')"), {"body": b""})
        conn.execute(text("UPDATE captures SET headers = :h"),
                     {"h": json.dumps({"Server": "Café"})})
    _escape_json(archive.engine)
    yield archive, ids
    archive.dispose()


def test_upgrade_keeps_stories_and_makes_json_readable(old_archive):
    archive, ids = old_archive
    with archive.engine.connect() as conn:
        assert "\\u00e1n" in conn.execute(text(
            "SELECT CAST(authors AS TEXT) FROM posts WHERE id = :id"), {"id": ids["budget"]}).scalar()
    _migrate(archive.engine, "head")
    with archive.engine.connect() as conn:
        raw = conn.execute(text("SELECT CAST(authors AS TEXT) FROM posts WHERE id = :id"),
                           {"id": ids["budget"]}).scalar()
        aliases = conn.execute(text("SELECT CAST(aliases AS TEXT) FROM sites WHERE id = 1")).scalar()
        headers = conn.execute(text("SELECT CAST(headers AS TEXT) FROM captures")).scalar()
    assert raw == '["Siobhán Murphy", "Zoë"]'
    assert "härrow.example" in aliases and '"Café"' in headers
    with archive.Session() as session:
        library, copy = session.get(Post, ids["library"]), session.get(Post, ids["copy"])
        assert library.cluster_id is not None and library.cluster_id == copy.cluster_id
        assert library.cluster.canonical_post_id == ids["library"]
        assert session.get(Post, ids["budget"]).authors == ["Siobhán Murphy", "Zoë"]
        dangling = session.scalars(select(Cluster).where(Cluster.id != library.cluster_id)).one()
        assert dangling.canonical_post_id is None
        # The rebuilt full-text index still finds posts and is kept in step afterwards.
        assert {hit.id for hit in search(session, "sundays")} == {ids["library"]}
    with archive.Session.begin() as session:
        session.get(Post, ids["budget"]).title = "Budget notes for sundays"
    with archive.Session() as session:
        found = {hit.id for hit in search(session, "sundays", all_copies=True)}
    assert ids["budget"] in found


def test_canonical_post_is_a_declared_foreign_key(old_archive):
    archive, ids = old_archive
    _migrate(archive.engine, "head")
    keys = inspect(archive.engine).get_foreign_keys("clusters")
    assert [(k["constrained_columns"], k["referred_table"], k["referred_columns"]) for k in keys] \
        == [(["canonical_post_id"], "posts", ["id"])]
    assert keys[0]["options"].get("ondelete") == "SET NULL"
    with archive.Session.begin() as session:
        session.delete(session.get(Post, ids["library"]))
    with archive.Session() as session:
        story = session.get(Post, ids["copy"]).cluster
        assert story is not None and story.canonical_post_id is None


def test_downgrade_and_upgrade_again(old_archive):
    archive, ids = old_archive
    _migrate(archive.engine, "head")
    _migrate(archive.engine, BEFORE, down=True)
    with archive.engine.connect() as conn:
        raw = conn.execute(text("SELECT CAST(authors AS TEXT) FROM posts WHERE id = :id"),
                           {"id": ids["budget"]}).scalar()
    assert "\\u00e1" in raw
    assert inspect(archive.engine).get_foreign_keys("clusters") == []
    _migrate(archive.engine, "head")
    with archive.Session() as session:
        assert session.get(Post, ids["library"]).cluster_id == session.get(Post, ids["copy"]).cluster_id
        assert {hit.id for hit in search(session, "sundays")} == {ids["library"]}


def test_new_json_is_written_readable(archive):
    with archive.Session.begin() as session:
        ids = add_sample_archive(session)
        session.get(Post, ids["budget"]).authors = ["Siobhán"]
    with archive.engine.connect() as conn:
        raw = conn.execute(text("SELECT CAST(authors AS TEXT) FROM posts WHERE id = :id"),
                           {"id": ids["budget"]}).scalar()
    assert raw == '["Siobhán"]'

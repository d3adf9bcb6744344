"""Shared fixtures: a fresh archive per test on SQLite and, when one answers, PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from storage.db import Archive, open_archive

# Tests talk only to servers on this machine; a proxy variable must not reroute them.
for _name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)

PG_URL = os.environ.get("CIVIC_ARCHIVE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_problem: str | None = None
_pg_checked = False


def pg_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None when a server answers."""
    global _pg_checked, _pg_problem
    if not _pg_checked:
        _pg_checked = True
        try:
            engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            engine.dispose()
        except (OperationalError, ModuleNotFoundError) as exc:
            first = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            _pg_problem = f"no PostgreSQL at CIVIC_ARCHIVE_TEST_PG={PG_URL}: {first}"
    return _pg_problem


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    problem = pg_unavailable()
    if problem:
        pytest.skip(problem)
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def archive_url(request) -> str:
    """Each test using this runs on SQLite and on PostgreSQL (skipped with a reason if absent)."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")


@pytest.fixture
def archive(archive_url) -> Iterator[Archive]:
    opened = open_archive(archive_url)
    yield opened
    opened.dispose()

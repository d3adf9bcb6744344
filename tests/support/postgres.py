"""The PostgreSQL server the tests use (``CIVIC_ARCHIVE_TEST_PG``), and a fresh schema on it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

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


@contextmanager
def pg_schema(server_url: str) -> Iterator[str]:
    """An archive URL on ``server_url`` whose search_path is a fresh schema, dropped after."""
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(server_url, pool_pre_ping=True)  # survives a server restart
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in server_url else "?"
    try:
        yield f"{server_url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

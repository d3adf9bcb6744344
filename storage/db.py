"""Where the archive lives: URL resolution, engines, sessions and automatic migrations."""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

ENV_VAR = "CIVIC_ARCHIVE_DB"
SQLITE_BUSY_TIMEOUT_MS = 30_000


class ArchiveError(Exception):
    """A problem with the archive a user can act on; the CLI shows it as one line."""


def default_db_path() -> Path:
    """The per-user archive file: ``$XDG_DATA_HOME/civic-archive/archive.db``.

    ``XDG_DATA_HOME`` defaults to ``~/.local/share`` as the XDG base-directory spec says.
    """
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "civic-archive" / "archive.db"


def resolve_url(value: str | None = None) -> str:
    """Turn ``--db`` / ``CIVIC_ARCHIVE_DB`` (a path or an SQLAlchemy URL) into a URL.

    :param value: a filesystem path or URL; ``None`` means the environment, then the default.
    :raises ArchiveError: for a path whose folder does not exist or a malformed URL.
    """
    value = value or os.environ.get(ENV_VAR)
    if not value:
        path = default_db_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in value:
        try:
            make_url(value)
        except ArgumentError as exc:
            raise ArchiveError(f"not a database URL: {mask_url(value)} ({exc})") from None
        return value
    path = Path(value).expanduser().resolve()
    if not path.parent.is_dir():
        raise ArchiveError(f"cannot create archive {path}: folder {path.parent} does not exist")
    return f"sqlite:///{path}"


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, safe for logs and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/@\s'\"]+:)[^@\s'\"]+(@)", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """Any ``scheme://user:password@`` inside ``text`` with the password replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***\2", text)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI hook
    cursor = dbapi_connection.cursor()
    # WAL lets searches and exports read while a crawl writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _json_dumps(value: object) -> str:
    # Readable UTF-8 in JSON columns, so Datasette, sqlite-utils and psql show "Siobhán".
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the archive's connection settings applied."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ArchiveError(f"not a database URL: {mask_url(url)} ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               json_serializer=_json_dumps)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # A bare postgresql:// URL would ask for psycopg2; the archive ships with psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, json_serializer=_json_dumps)
    except ModuleNotFoundError as exc:
        raise ArchiveError(
            f"missing database driver {exc.name!r}: pip install 'civic-archive[postgres]'"
        ) from None


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    """Leave the full-text index out of schema comparison: migration 0002 builds it in SQL
    per backend (FTS5 tables on SQLite; a ``search_vector`` column and GIN index on PostgreSQL),
    so the ORM models do not describe it."""
    if not reflected or compare_to is not None or name is None:
        return True
    return not ("_fts" in name or "search_vector" in name)


def _alembic_config(connection) -> Config:  # noqa: ANN001 - an SQLAlchemy Connection
    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(_alembic_config(None))
    return script.get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    before = current_revision(engine)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    return before, head_revision()


@dataclass
class Archive:
    """An open archive: its URL, engine and the session factory callers use."""

    url: str
    engine: Engine
    Session: sessionmaker[Session]

    @property
    def display_url(self) -> str:
        return mask_url(self.url)

    def dispose(self) -> None:
        self.engine.dispose()


def open_archive(value: str | None = None, *, migrate: bool = True) -> Archive:
    """Open (and on first use create) the archive named by ``value``.

    :param value: path or URL as given to ``--db``; see :func:`resolve_url`.
    :param migrate: apply pending migrations, as every command does on first use.
    :raises ArchiveError: when the database cannot be reached or created.
    """
    url = resolve_url(value)
    engine = make_engine(url)
    try:
        if migrate and current_revision(engine) != head_revision():
            before, after = upgrade(engine)
            logger.info("archive %s migrated from %s to %s", mask_url(url), before, after)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ArchiveError(f"cannot open archive {mask_url(url)}: {reason}") from None
    return Archive(url=url, engine=engine, Session=sessionmaker(engine, expire_on_commit=False))

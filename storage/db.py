"""Where the archive lives: URL resolution, engines, sessions and automatic migrations."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from storage.errors import ArchiveError, mask_secrets, mask_url
# Readable UTF-8 in JSON columns, so Datasette, sqlite-utils and psql show "Siobhán".
from storage.json_text import dumps

__all__ = ["ArchiveError", "mask_secrets", "mask_url"]  # re-exported: their historic home

logger = logging.getLogger(__name__)

ENV_VAR = "CIVIC_ARCHIVE_DB"
SQLITE_BUSY_TIMEOUT_MS = 30_000


# The newest migration in storage/migrations/versions. Opening an archive compares its
# stored revision with this, so that commands need not import Alembic (a quarter of a
# second) unless there is something to migrate; a test checks it equals Alembic's own head.
SCHEMA_HEAD = "0007_fingerprint_words"


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


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI hook
    cursor = dbapi_connection.cursor()
    # WAL lets searches and exports read while a crawl writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the archive's connection settings applied."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ArchiveError(f"not a database URL: {mask_url(url)} ({exc})") from None
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               json_serializer=dumps)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        # A bare postgresql:// URL would ask for psycopg2; the archive ships with psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True, json_serializer=dumps)
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


def _alembic_config(connection):  # noqa: ANN001, ANN202 - an SQLAlchemy Connection → Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "storage:migrations")
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision, as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    return script.get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The archive's schema revision (``None`` for a new, empty database).

    Read from Alembic's own ``alembic_version`` table, as its ``MigrationContext`` does.
    """
    with engine.connect() as connection:
        if not engine.dialect.has_table(connection, "alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    from alembic import command

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
        if migrate and current_revision(engine) != SCHEMA_HEAD:
            before, after = upgrade(engine)
            logger.info("archive %s migrated from %s to %s", mask_url(url), before, after)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ArchiveError(f"cannot open archive {mask_url(url)}: {reason}") from None
    return Archive(url=url, engine=engine, Session=sessionmaker(engine, expire_on_commit=False))

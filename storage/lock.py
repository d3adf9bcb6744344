"""One crawl at a time per archive, with locks the operating system or server frees on death.

SQLite archives use ``flock`` on ``<archive>.lock`` beside the file; PostgreSQL archives use a
session advisory lock. Either way a crashed or killed run leaves nothing to clean up: the lock
dies with its process, so a stale lock is recovered simply by trying again.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import Archive
from storage.errors import ArchiveError, LockHeld

# An arbitrary constant naming "the civic-archive crawl" among advisory locks; the second
# key is the archive's schema, since advisory locks are per database and one database can
# hold several archives (one per schema).
PG_LOCK_KEY = 0x63697663
_LOCK_ARGS = "(:k, hashtext(current_schema()))"


@contextmanager
def crawl_lock(archive: Archive) -> Iterator[None]:
    """Hold the archive's crawl lock for the ``with`` block.

    :raises LockHeld: at once, naming the holder where known, if another run has it.
    """
    url = make_url(archive.url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        with _file_lock(Path(url.database + ".lock")):
            yield
    elif url.get_backend_name() == "postgresql":
        with _advisory_lock(archive):
            yield
    else:
        yield


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    handle = open(path, "a+")  # noqa: SIM115 - held for the whole block
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise LockHeld(f"another crawl is running on this archive ({_holder(handle.read())})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(),
                                 "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        handle.flush()
        yield
    finally:
        handle.close()


def _holder(content: str) -> str:
    try:
        info = json.loads(content)
        return f"pid {info['pid']} since {info['since']}"
    except (ValueError, KeyError, TypeError):
        return "holder unknown"


@contextmanager
def _advisory_lock(archive: Archive) -> Iterator[None]:
    with archive.engine.connect() as conn:
        if not conn.execute(text(f"SELECT pg_try_advisory_lock{_LOCK_ARGS}"),
                            {"k": PG_LOCK_KEY}).scalar():
            raise LockHeld("another crawl is running on this archive (PostgreSQL advisory lock held)")
        try:
            yield
        finally:
            conn.execute(text(f"SELECT pg_advisory_unlock{_LOCK_ARGS}"), {"k": PG_LOCK_KEY})
            conn.commit()

"""Opening the archive in Datasette: the shipped metadata and the ``datasette serve`` line.

Pure: nothing here imports Datasette or starts a server; ``civic-archive browse`` hands
the arguments built here to Datasette's own ``serve`` command.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from storage.db import ArchiveError, mask_url

METADATA_FILE = "datasette_metadata.json"
# The key the shipped metadata uses; Datasette names a database after its file's stem.
TEMPLATE_DATABASE = "archive"
READABLE_VIEW = "post_summaries"
LOOPBACK = "127.0.0.1"


def database_name(path: Path) -> str:
    """The name Datasette gives the database in ``path`` (its URL segment)."""
    return path.stem


def datasette_metadata(name: str = TEMPLATE_DATABASE) -> dict[str, Any]:
    """The shipped Datasette metadata for a database Datasette calls ``name``.

    Links in the descriptions name the database, so they are filled in here.
    """
    raw = files("storage").joinpath(METADATA_FILE).read_text(encoding="utf-8")
    metadata = json.loads(raw.replace("/{database}/", f"/{name}/"))
    metadata["databases"] = {name: metadata["databases"][TEMPLATE_DATABASE]}
    return metadata


def sqlite_path(url: str) -> Path:
    """The file of an SQLite archive URL.

    :raises ArchiveError: for other databases (Datasette reads SQLite files only).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise ArchiveError(f"Datasette opens SQLite files only; {mask_url(url)} is not one "
                           "(export to SQLite or browse PostgreSQL with its own tools)")
    return Path(parsed.database)


def serve_arguments(path: Path, metadata_file: Path, *, port: int, open_browser: bool) -> list[str]:
    """Arguments of ``datasette serve`` for the archive at ``path``, on loopback only."""
    arguments = [str(path), "--metadata", str(metadata_file), "--host", LOOPBACK,
                 "--port", str(port)]
    if open_browser:
        arguments.append("--open")
    return arguments

"""The archive's errors and secret masking: importable without SQLAlchemy, so the command
line can handle them without paying for the database layer's import."""

from __future__ import annotations

import re


class ArchiveError(Exception):
    """A problem with the archive a user can act on; the CLI shows it as one line."""


class LockHeld(ArchiveError):
    """Another run holds the archive's crawl lock."""


def mask_url(url: str) -> str:
    """The URL with any password replaced by ``***``, safe for logs and messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1] if "@" in url else url


_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/@\s'\"]+:)[^@\s'\"]+(@)", re.IGNORECASE)


def mask_secrets(text: str) -> str:
    """Any ``scheme://user:password@`` inside ``text`` with the password replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***\2", text)

"""Logging for the command line: stderr only, one line per failure, passwords masked."""

from __future__ import annotations

import logging
import sys

from storage.errors import mask_secrets

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _no_traceback(record: logging.LogRecord) -> bool:
    """One line per failure on stderr; Scrapy logs some with exc_info, shown only with -v."""
    if record.exc_info and record.name.startswith(("scrapy.", "twisted")):
        error = record.exc_info[1]
        record.msg = f"{record.getMessage()} ({type(error).__name__})" if error else record.getMessage()
        record.args, record.exc_info, record.exc_text = (), None, None
    return True


def mask_record(record: logging.LogRecord) -> bool:
    """Mask database passwords in every log line, whoever logs it (Scrapy prints settings)."""
    message = record.getMessage()
    masked = mask_secrets(message)
    if masked != message:
        record.msg, record.args = masked, ()
    return True


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else [logging.WARNING, logging.INFO, logging.DEBUG][min(verbose, 2)]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    # The level sits on the handler: Scrapy sets its own loggers to DEBUG, and their
    # records reach the root handlers whatever the root logger's level.
    handler.setLevel(level)
    if verbose == 0:
        handler.addFilter(_no_traceback)
    handler.addFilter(mask_record)
    logging.root.addHandler(handler)
    logging.root.setLevel(min(level, logging.INFO))


def log_to_file(path: str) -> None:
    """Also write the log (info level) to ``path``, appending, so logrotate needs no signal."""
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(mask_record)
    logging.root.addHandler(handler)
    logging.root.setLevel(min(logging.root.level, logging.INFO))

"""One leased site, crawled in a process of its own (``python -m crawler.worker_site``).

A worker starts one of these per site: Scrapy's reactor runs once per process, and a child
that dies takes nothing of the worker with it. The child crawls exactly as ``civic-archive
crawl`` does (same settings, spider, archive writer), then prints its verdict as one JSON line
on stdout: ``{"ok": true}`` or ``{"ok": false, "error": "…", "rewalk": …}`` (``rewalk``:
pages were fetched that could not be stored, so the next attempt must re-walk the site).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import logging
import os
import signal
import sys
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from storage.db import Archive, open_archive
from storage.errors import mask_secrets
from storage.models import CrawlRun, Site

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
# Fetch errors the spider counts (``errors/<name>``) that are the archive's, not the site's:
# the capture middleware could not record a response.
_DATABASE_ERRORS = {"OperationalError", "InterfaceError", "DatabaseError"}


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this process when the worker dies (even by SIGKILL), so a killed
    worker leaves no crawl running under a lease that is about to pass to another worker."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        logger.warning("cannot ask to die with the worker on this system")
    if os.getppid() != parent_pid:  # the worker died before the request took effect
        os._exit(1)


class ArchiveWriteFailures(logging.Handler):
    """Counts archive writes that failed because the database went away mid-crawl.

    Scrapy logs such a failure (an item the pipeline could not store, a capture the
    middleware could not record) and carries on; the run may even finish. The worker must
    know, to try the site again: the retry's recrawl fetches what was not stored.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, DBAPIError):
            self.count += 1
            self.first = self.first or str(error.orig or error).strip().splitlines()[0]


def crawl_site(archive: Archive, site_id: int, overrides: dict[str, Any], *, full: bool) -> str | None:
    """Crawl one site of the archive; returns why it failed, or ``None`` when it succeeded.

    A crawl fails when its run did not finish, when an archive write failed, or when no page
    of the site answered (a server that answers everything with 500 finishes its run, but
    archives nothing).
    """
    from crawler.process import CrawlTarget, project_settings, run_crawls

    with archive.Session() as session:
        site = session.get_one(Site, site_id)
        target = CrawlTarget(site.url, dict(site.settings), tuple(site.aliases))
        last_run = session.scalar(select(func.max(CrawlRun.id))) or 0
    failures = ArchiveWriteFailures()
    logging.root.addHandler(failures)
    try:
        run_crawls(project_settings(archive.url, overrides), [target], full=full)
    finally:
        logging.root.removeHandler(failures)
    with archive.Session() as session:
        run = session.scalar(select(CrawlRun).where(CrawlRun.site_id == site_id,
                                                    CrawlRun.id > last_run)
                             .order_by(CrawlRun.id.desc()).limit(1))
    database_errors = failures.count + sum(
        v for k, v in ((run.stats or {}) if run else {}).items()
        if k.startswith("errors/") and k.split("/", 1)[1] in _DATABASE_ERRORS)
    if database_errors:
        raise LostWrites(f"{database_errors} archive write(s) failed"
                         + (f" ({mask_secrets(failures.first)})" if failures.first else ""))
    return run_failure(run)


class LostWrites(Exception):
    """Pages were fetched but not stored: the next attempt must re-walk the whole site."""


def run_failure(run: CrawlRun | None) -> str | None:
    """Why a recorded run counts as a failed attempt, or ``None``."""
    if run is None:
        return "the crawl recorded no run"
    if run.status != "finished":
        return f"run #{run.id} {run.status}"
    stats = run.stats or {}
    answered = sum(v for k, v in stats.items()
                   if k.startswith("downloader/response_status_count/")
                   and k.rsplit("/", 1)[1] in ("200", "304"))
    if not answered:
        statuses = ", ".join(f"{k.rsplit('/', 1)[1]}×{v}" for k, v in sorted(stats.items())
                             if k.startswith("downloader/response_status_count/"))
        return f"run #{run.id}: no page answered ({statuses or 'no responses'})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.worker_site")
    parser.add_argument("--db", required=True)
    parser.add_argument("--site-id", type=int, required=True)
    parser.add_argument("--parent", type=int, required=True, help="the worker's pid")
    parser.add_argument("--settings", default="{}", help="JSON object of Scrapy overrides")
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--verbose", type=int, default=0)
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument("--log-file")
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    from crawler.cli.logs import configure_logging, log_to_file

    configure_logging(args.verbose, args.quiet)
    if args.log_file:
        log_to_file(args.log_file)
    rewalk = False
    try:
        archive = open_archive(args.db)
        error = crawl_site(archive, args.site_id, json.loads(args.settings), full=args.full)
    except LostWrites as exc:
        error, rewalk = str(exc), True
    except Exception as exc:  # noqa: BLE001 - any failure is this attempt's verdict
        logger.debug("site crawl failed", exc_info=True)
        error = mask_secrets(f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}")
    print(json.dumps({"ok": error is None, "error": error, "rewalk": rewalk}), flush=True)
    return 0 if error is None else 3


if __name__ == "__main__":
    sys.exit(main())

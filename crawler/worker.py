"""A crawl worker: takes sites from the shared queue and crawls each in a child process.

Any number of workers, on any number of machines, share one PostgreSQL archive and its
``crawl_queue`` (:mod:`storage.queue`). A worker leases one site at a time, renews the lease
from a heartbeat thread while the site's crawl runs in a child (:mod:`crawler.worker_site`),
and records the outcome. What it survives:

* **its own death**: the child dies with it (``PR_SET_PDEATHSIG``); the lease stops being
  renewed, expires, and another worker takes the site and resumes it as any recrawl resumes
  an unfinished run (posts are keyed by URL, so nothing is stored twice);
* **the database going away**: every queue call waits and tries again, logging once when the
  archive becomes unreachable and once when it is back; only an outage longer than
  ``max_outage`` ends the worker (:class:`ArchiveUnreachable`);
* **a poisoned site** (always 500, a trap, a hang): the attempt fails or is cut at
  ``site_timeout``, the site backs off, and after ``max_attempts`` it is marked failed.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from storage import queue
from storage.db import Archive, make_engine, open_archive, resolve_url
from storage.errors import mask_secrets

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ArchiveUnreachable(Exception):
    """The archive's database stayed unreachable for longer than the worker waits."""


@dataclass
class WorkerConfig:
    """How a worker behaves; the defaults suit real blogs (see README).

    :param lease: how long a site stays leased without a heartbeat (renewed every third).
    :param max_attempts: failed attempts before a site is marked failed.
    :param backoff: wait before a failed site is tried again (doubled per attempt).
    :param site_timeout: an attempt still running after this long is stopped (failed).
    :param max_outage: how long to wait for an unreachable archive before giving up.
    :param poll: how often an idle worker asks the queue again.
    :param until_empty: stop once no site is pending or running (instead of waiting).
    """

    lease: float = 120.0
    max_attempts: int = 3
    backoff: float = 300.0
    site_timeout: float = 6 * 3600.0
    max_outage: float = 600.0
    poll: float = 30.0
    until_empty: bool = False
    overrides: dict[str, Any] = field(default_factory=dict)
    log_file: str | None = None
    verbose: int = 0
    quiet: bool = False


def default_owner() -> str:
    """``host:pid``: names the worker in ``status`` and is unique across the fleet."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _is_outage(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated)


def open_archive_waiting(value: str | None, max_outage: float) -> Archive:
    """:func:`storage.db.open_archive`, waiting up to ``max_outage`` seconds for a database
    server that does not answer yet (a worker started at boot before its archive).

    :raises ArchiveUnreachable: when it does not answer in time.
    """
    engine = make_engine(resolve_url(value))
    clock = _OutageClock("worker", max_outage)
    try:
        while True:
            try:
                with engine.connect():
                    break
            except OperationalError as exc:
                clock.down(exc)
                time.sleep(1.0)
        clock.up()
    finally:
        engine.dispose()
    return open_archive(value)


class _OutageClock:
    """Says once when the archive went away and once when it came back; gives up after
    ``max_outage`` seconds."""

    def __init__(self, who: str, max_outage: float) -> None:
        self.who, self.max_outage = who, max_outage
        self.since: float | None = None

    def down(self, exc: BaseException) -> None:
        now = time.monotonic()
        if self.since is None:
            self.since = now
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            logger.warning("%s: archive unreachable (%s); waiting up to %.0f s for it to come back",
                           self.who, mask_secrets(reason), self.max_outage)
        elif now - self.since > self.max_outage:
            raise ArchiveUnreachable(
                f"archive unreachable for {now - self.since:.0f} s "
                f"(more than --max-outage {self.max_outage:.0f} s)") from exc

    def up(self) -> None:
        if self.since is not None:
            logger.warning("%s: archive reachable again after %.0f s; resuming", self.who,
                           time.monotonic() - self.since)
            self.since = None


class Worker:
    """Crawls sites from the queue until drained (SIGTERM/SIGINT), or the queue is empty
    with ``until_empty``.

    :param archive: the open archive (PostgreSQL for several machines).
    :param owner: the lease owner's name; :func:`default_owner` by default.
    """

    def __init__(self, archive: Archive, config: WorkerConfig, owner: str | None = None) -> None:
        self.archive = archive
        self.config = config
        self.owner = owner or default_owner()
        self.lease = timedelta(seconds=config.lease)
        self.draining = threading.Event()
        self._outage = _OutageClock(self.owner, config.max_outage)
        self._child: subprocess.Popen | None = None
        self._interrupted = False  # the crawl in hand was stopped by a second drain signal
        self.counts = {"done": 0, "failed": 0, "retry": 0}

    # --- the archive, waited for when it is away ----------------------------------------

    def db(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a transaction, waiting out an unreachable archive.

        :raises ArchiveUnreachable: when it stays away past ``max_outage``.
        """
        delay = 0.5
        while True:
            try:
                with self.archive.Session.begin() as session:
                    result = work(session)
            except DBAPIError as exc:
                if not _is_outage(exc):
                    raise
                self._outage.down(exc)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)
                continue
            self._outage.up()
            return result

    # --- the loop -----------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        """Work until drained or (with ``until_empty``) nothing is left; returns counts."""
        logger.info("%s: worker started", self.owner)
        while not self.draining.is_set():
            lease = self.db(lambda s: queue.claim(s, self.owner, self.lease))
            if lease is None:
                if self.config.until_empty and self.db(queue.outstanding) == 0:
                    break
                self.draining.wait(min(self.config.poll, self.config.lease / 2))
                continue
            self.crawl(lease)
        logger.info("%s: worker stopped (%s)", self.owner,
                    ", ".join(f"{v} {k}" for k, v in self.counts.items()))
        return self.counts

    def drain(self) -> None:
        """Finish the site in hand, then stop (the first SIGTERM/SIGINT)."""
        if self.draining.is_set() and self._child is not None:
            logger.warning("%s: stopping the crawl in hand", self.owner)
            self._interrupted = True
            self._child.terminate()
        self.draining.set()

    def crawl(self, lease: queue.Lease) -> str | None:
        """Crawl one leased site in a child, renewing the lease; returns the site's new state."""
        logger.info("%s: crawling %s (attempt %d)", self.owner, lease.site_url, lease.attempt)
        started = time.monotonic()
        child = self._start_child(lease)
        lost = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(lease, child, lost), daemon=True)
        beat.start()
        try:
            out, _ = child.communicate(timeout=self.config.site_timeout)
            error, rewalk = _verdict(out, child.returncode)
        except subprocess.TimeoutExpired:
            _stop(child)
            error, rewalk = f"stopped after --site-timeout {self.config.site_timeout:.0f} s", False
        finally:
            self._child = None
            beat.join()
        if lost.is_set():
            logger.warning("%s: lost the lease on %s; another worker has it", self.owner,
                           lease.site_url)
            return None
        if error and self._interrupted:
            # Stopped by us while draining: give the site back without counting the attempt
            # (the next worker resumes it as any recrawl resumes an interrupted run).
            self.db(lambda s: queue.release(s, lease.site_id, self.owner))
            logger.warning("%s: %s given back to the queue", self.owner, lease.site_url)
            return "pending"
        state = self.db(lambda s: queue.finish(
            s, lease.site_id, self.owner, error=error, max_attempts=self.config.max_attempts,
            backoff=timedelta(seconds=self.config.backoff), rewalk=rewalk))
        self.counts["done" if state == "done" else "failed" if state == "failed" else "retry"] += 1
        log = logger.info if error is None else logger.warning
        log("%s: %s %s in %.1f s%s", self.owner, lease.site_url, state,
            time.monotonic() - started, f": {error}" if error else "")
        return state

    def _start_child(self, lease: queue.Lease) -> subprocess.Popen:
        command = [sys.executable, "-m", "crawler.worker_site", "--db", self.archive.url,
                   "--site-id", str(lease.site_id), "--parent", str(os.getpid()),
                   "--settings", json.dumps(self.config.overrides),
                   "--verbose", str(self.config.verbose)]
        command += ["--full"] if lease.full else []
        command += ["--quiet"] if self.config.quiet else []
        command += ["--log-file", self.config.log_file] if self.config.log_file else []
        # Its own session: a Ctrl-C at the terminal reaches the worker, which drains.
        self._child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                                       start_new_session=True)
        return self._child

    def _heartbeat(self, lease: queue.Lease, child: subprocess.Popen,
                   lost: threading.Event) -> None:
        interval = self.config.lease / 3
        while child.poll() is None:
            try:
                with self.archive.Session.begin() as session:
                    held = queue.renew(session, lease.site_id, self.owner, self.lease)
                self._outage.up()
            except DBAPIError as exc:
                if not _is_outage(exc):
                    logger.exception("%s: heartbeat failed", self.owner)
                held = True  # cannot tell yet: the crawl goes on, and the lease is renewed
                try:     # when the archive is back (or another worker has taken it)
                    self._outage.down(exc)
                except ArchiveUnreachable:
                    pass  # the main thread gives up when the crawl ends
            if not held:
                lost.set()
                _stop(child)
                return
            try:
                child.wait(timeout=interval)
            except subprocess.TimeoutExpired:
                pass


def _verdict(out: str | None, returncode: int) -> tuple[str | None, bool]:
    """The child's failure reason (``None``: success) and whether the next attempt must
    re-walk the site, from its JSON line or from how it ended."""
    for line in reversed((out or "").strip().splitlines()):
        try:
            verdict = json.loads(line)
        except ValueError:
            continue
        if isinstance(verdict, dict) and "ok" in verdict:
            if verdict["ok"] and returncode == 0:
                return None, False
            return verdict.get("error") or f"exit code {returncode}", bool(verdict.get("rewalk"))
    if returncode < 0:
        return f"the crawl was killed by signal {signal.Signals(-returncode).name}", False
    return f"the crawl ended with exit code {returncode} and no verdict", False


def _stop(child: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM (the crawl records its run as interrupted), then SIGKILL after ``grace``."""
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()

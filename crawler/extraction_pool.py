"""Page extraction in worker processes, so the reactor keeps downloading while pages are read.

Reading a page (:func:`crawler.pages.extract`: parsing, scoring blocks, a second candidate
body) is pure and costs far more than fetching it on loopback; run on the reactor thread it
stalls downloads and archive writes alike. The pool runs it in ``CIVIC_ARCHIVE_EXTRACT_WORKERS``
processes (0: in the crawl's own thread). Workers are forked from a fresh server process that
has the page objects imported, never from the crawl itself: a fork of the crawl would hold
copies of its lock file and database connections, keeping the archive locked after a kill.
A worker dies with that server, which dies with the crawl. One pool serves every site the
command crawls; it ends with the command.

Back-pressure is Scrapy's: a callback waiting for its page keeps its response in the
scraper's slot, and the downloader stops fetching while the slot is full.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.items import Listing, NotAPost, Post
from crawler.pages import extract

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _worker_signals() -> None:
    """A worker leaves interrupts to the crawl (which shuts the pool down), and is killed when
    the server it was forked from dies: a worker of a crawl killed with SIGKILL would
    otherwise wait for work for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: orphans end when their queue breaks
        pass


class ExtractionPool:
    """Extract pages in ``workers`` processes (0: here, at once)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None
        if self.workers:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["crawler.pages"])
            self._pool = ProcessPoolExecutor(self.workers, initializer=_worker_signals,
                                             mp_context=context)
            # Start the server and a worker while the crawl starts up, not at its first page.
            self._pool.submit(int)

    async def extract(self, url: str, body: bytes, headers: Mapping[str, str],
                      listed_as: str | None = None) -> Post | Listing | NotAPost:
        """:func:`crawler.pages.extract` in a worker; here if the pool is off or broken."""
        pool = self._pool
        if pool is not None:
            try:
                return await asyncio.wrap_future(
                    pool.submit(extract, url, body, dict(headers), listed_as))
            except BrokenProcessPool:
                # A worker died (killed, out of memory): read pages here from now on.
                if self._pool is pool:
                    logger.warning("extraction workers failed; reading pages in the crawl process")
                    self.close()
                    self.workers = 0
        return extract(url, body, headers, listed_as=listed_as)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

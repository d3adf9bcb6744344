"""Page extraction in worker processes, so the reactor keeps downloading while pages are read.

Reading a page (:func:`crawler.pages.extract`: parsing, scoring blocks, a second candidate
body) is pure and costs far more than fetching it on loopback; run on the reactor thread it
stalls downloads and archive writes alike. The pool runs it in ``CIVIC_ARCHIVE_EXTRACT_WORKERS``
processes (0: in the crawl's own thread). The workers are forked when the pool is made, before
the crawl starts its threads, so they start at once with the page objects already imported
(a spawned worker would import the command's main module again). One pool serves every site
the command crawls; it ends with the command.

Back-pressure is Scrapy's: a callback waiting for its page keeps its response in the
scraper's slot, and the downloader stops fetching while the slot is full.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.items import Listing, NotAPost, Post
from crawler.pages import extract

logger = logging.getLogger(__name__)


def _worker_signals() -> None:
    """A worker leaves interrupts to the crawl (which shuts the pool down) and dies quietly
    on SIGTERM, instead of running the crawl's own handlers it was forked with."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class ExtractionPool:
    """Extract pages in ``workers`` processes (0: here, at once)."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None
        if self.workers:
            self._pool = ProcessPoolExecutor(self.workers, initializer=_worker_signals,
                                             mp_context=multiprocessing.get_context("fork"))
            # A fork-context pool starts all its workers at the first submission: now.
            self._pool.submit(int).result()

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

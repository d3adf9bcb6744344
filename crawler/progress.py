"""A one-line live progress display on stderr for crawls run from a terminal."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.run_stats import RunStats

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class Progress:
    """Rewrites one stderr line at most twice a second: pages fetched and posts archived."""

    def __init__(self, crawler: Crawler, interval: float = 0.5) -> None:
        self.crawler = crawler
        self.interval = interval
        self.last = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("CIVIC_ARCHIVE_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.update, signal=signals.response_received)
        crawler.signals.connect(ext.done, signal=signals.spider_closed)
        return ext

    def update(self) -> None:
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._write()

    def _write(self, end: str = "") -> None:
        stats = RunStats.read(self.crawler.stats.get_stats())
        site = getattr(self.crawler.spider, "site_url", "")
        sys.stderr.write(f"\r{site} pages {stats.pages} · posts new {stats.new}"
                         f" changed {stats.changed} unchanged {stats.unchanged}\x1b[K{end}")
        sys.stderr.flush()

    def done(self) -> None:
        self._write(end="\n")

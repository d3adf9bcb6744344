"""Scrapy extension: learn the blog's name and description from what the crawl fetches.

It asks for the WordPress REST root once per crawl and reads the home page and the main feed
as the spider fetches them, so the spider itself is untouched. The archive keeps the name
the user gave with ``--name``; otherwise the blog's own name replaces its host name.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import NotConfigured

from crawler import site_identity
from crawler.site_writer import SiteWriter
from storage.headers import content_type
from storage.urls import normalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

REST_ROOT = "wp-json/"
FEED_TYPES = ("xml", "rss", "atom")


class SiteIdentityExtension:
    """Collects identity per source and saves the combination whenever it changes."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.found: dict[str, site_identity.Identity] = {}
        self.feed_path: str | None = None  # the shortest feed path read so far (the main feed)
        self.saved = site_identity.Identity()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteIdentityExtension:
        if not crawler.settings.getbool("CIVIC_ARCHIVE_SITE_IDENTITY", True):
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=scrapy.signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=scrapy.signals.response_received)
        return extension

    def spider_opened(self, spider: scrapy.Spider) -> None:
        root = getattr(spider, "site_url", None)
        if root:
            self.crawler.engine.crawl(scrapy.Request(
                root + REST_ROOT, callback=self._rest_root, errback=self._unreachable,
                priority=100, meta={"handle_httpstatus_all": True}))

    def _rest_root(self, response: Response) -> None:
        if response.status == 200:
            self._learn("rest", site_identity.from_rest_root(response.body))

    def _unreachable(self, failure: Any) -> None:
        logger.info("no REST root for the site's name (%s): %s",
                    type(failure.value).__name__, failure.request.url)

    def response_received(self, response: Response, request: scrapy.Request,
                          spider: scrapy.Spider) -> None:
        root = getattr(spider, "site_url", None)
        if not root or response.status != 200 or not hasattr(response, "text"):
            return
        if normalize_url(request.url) == normalize_url(root):
            self._learn("page", site_identity.from_home_page(response.text))
            return
        media = content_type(response.headers)
        parts = urlsplit(request.url)
        if (any(t in media for t in FEED_TYPES) and not parts.query
                and "comment" not in parts.path.lower()
                and (self.feed_path is None or len(parts.path) < len(self.feed_path))):
            found = site_identity.from_feed(response.body)
            if found.name:
                # A category or tag feed's title names the category: the main feed's wins.
                self.feed_path = parts.path
                self._learn("feed", found)

    def _learn(self, source: str, found: site_identity.Identity) -> None:
        if not (found.name or found.description):
            return
        self.found[source] = found
        best = site_identity.combine(self.found)
        if best != self.saved:
            SiteWriter.for_crawler(self.crawler).save_identity(best.name, best.description)
            self.saved = best

"""The spider's record of failed fetches: what is owed to the archive, and what was paid back."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import get_retry_request

from crawler.faults import REASK_META, failure_key

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy import Request, Spider
    from scrapy.http import Response

    from crawler.freshness import Freshness
    from crawler.site_writer import SiteWriter

logger = logging.getLogger(__name__)


def origin_url(request: Request) -> str:
    """The URL first asked for (a redirected request carries the chain it came through)."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


class FailureLedger:
    """Files failed fetches as owed and clears them when the URL answers properly.

    :param store: the crawl's archive writer (one short transaction per change).
    :param freshness: what the archive knew when the run started (which URLs were owed).
    :param spider: the spider, for its stats and in-run retries.
    """

    def __init__(self, store: SiteWriter, freshness: Freshness, spider: Spider) -> None:
        self.store = store
        self.spider = spider
        self.owed = set(freshness.state.owed)  # failure keys owed right now

    @property
    def stats(self) -> Any:
        return self.spider.crawler.stats

    def failed(self, request: Request, reason: str) -> None:
        """The run's last try at ``request`` failed: it is owed to a later run."""
        url = origin_url(request)
        key = failure_key(url)
        meta = {k: request.meta[k] for k in REASK_META if k in request.meta}
        callback = getattr(request.callback, "__name__", "parse_page")
        self.store.record_failure(key=key, url=url, kind=request.meta.get("civic_kind", "link"),
                                  callback=callback, meta=meta, reason=reason)
        self.owed.add(key)
        self.stats.inc_value("failures/recorded")
        self.stats.inc_value(f"failures/reason/{reason}")
        logger.warning("fetch failed (%s), owed to the next run: %s", reason, url)

    def answered(self, request: Request) -> None:
        """``request`` got an answer the crawl could use (or a definite 404): nothing owed."""
        key = failure_key(origin_url(request))
        if key in self.owed and self.store.clear_failure(key):
            self.owed.discard(key)
            self.stats.inc_value("failures/recovered")

    def bad_answer(self, response: Response, reason: str) -> Iterator[Request]:
        """An answer that is no use (empty, garbage, unreadable): ask again within the run
        while ``RETRY_TIMES`` lasts, then file the URL as owed."""
        retry = get_retry_request(response.request, spider=self.spider, reason=reason)
        if retry is not None:
            retry.meta.pop("download_latency", None)  # the retry's own is measured afresh
            yield retry
        else:
            self.failed(response.request, reason)

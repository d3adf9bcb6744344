"""Downloader middlewares: keep requests in the site's scope, keep every response as a
capture, honour Retry-After."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from twisted.internet.defer import Deferred
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler

from crawler.site_writer import SiteWriter
from storage.headers import header

if TYPE_CHECKING:
    from scrapy.robotstxt import RobotParser
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class CaptureMiddleware:
    """Stores each response as received, before any other component looks at it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("civic_skip_capture"):
            return response
        SiteWriter.for_crawler(self.crawler).save_capture(request, response)
        return response


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt rules for the site, read from the spider's own request for
    robots.txt (it needs the ``Sitemap:`` lines) instead of a second download of the file.

    Requests to the site wait for that answer as they would for Scrapy's own download of
    robots.txt; if it fails, the site is open to all, as Scrapy has it when robots.txt cannot
    be fetched. Other hosts (a CDN for page requisites) get Scrapy's own download.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._spiders_answer: Deferred | None = None

    @staticmethod
    def _is_spiders_robots(request: Request) -> bool:
        return (bool(request.meta.get("dont_obey_robotstxt"))
                and urlparse_cached(request).path == "/robots.txt")

    def _site_netloc(self) -> str | None:
        site_url = getattr(self.crawler.spider, "site_url", None)
        return urlsplit(site_url).netloc if site_url else None

    async def process_request(self, request: Request, spider: object = None) -> None:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers and netloc == self._site_netloc():
            self._parsers[netloc] = self._spiders_answer = Deferred()
        return await super().process_request(request)

    def process_response(self, request: Request, response: Response) -> Response:
        if self._is_spiders_robots(request):
            self._settle(urlparse_cached(request).netloc,
                         build_from_crawler(self._parserimpl, self.crawler, response.body))
            self._stats.inc_value("robotstxt/response_count")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if self._is_spiders_robots(request):
            self._settle(urlparse_cached(request).netloc, None)

    def _settle(self, netloc: str, parser: RobotParser | None) -> None:
        waiting = self._parsers.get(netloc)
        if waiting is not None and waiting is self._spiders_answer:
            self._parsers[netloc], self._spiders_answer = parser, None
            waiting.callback(parser)


class RetryAfterMiddleware:
    """Waits as long as a 429/503 ``Retry-After`` asks (up to ``RETRY_AFTER_MAX``), then retries once more.

    Scrapy's own retry middleware retries at once; small sites that say "come back in 30
    seconds" deserve to be believed.
    """

    def __init__(self, max_wait: float, stats=None) -> None:
        self.max_wait = max_wait
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler.settings.getfloat("RETRY_AFTER_MAX", 300), crawler.stats)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in (429, 503) or request.meta.get("civic_retry_after_done"):
            return response
        wait = _seconds(header(response.headers, "retry-after"))
        if wait is None or wait > self.max_wait:
            return response
        logger.info("%s asked to wait %.0fs (Retry-After) for %s", response.status, wait, request.url)
        await asyncio.sleep(wait)
        if self.stats is not None:
            self.stats.inc_value("retry/count")
            self.stats.inc_value("retry/reason_count/retry_after")
        retry = request.replace(dont_filter=True)
        retry.meta["civic_retry_after_done"] = True
        return retry


class ScopeMiddleware:
    """Refuses every request outside the site's scope before it is sent, whatever made it.

    Redirects (every hop), meta refresh, retries and ``dont_filter`` requests are new
    requests that pass through the downloader middlewares again, so a check here sees them
    all; Scrapy's own off-site filter lets ``dont_filter`` requests through, and that is how
    a retried request once followed a redirect to another service on the machine. It sits
    before ``RobotsTxtMiddleware`` (100) so not even a robots.txt is asked of a refused host.
    Each refusal is counted as ``refused/<reason>`` (see :meth:`SiteScope.refusal`).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        # Checked when sent, not when scheduled: a refusal here reaches the request's errback,
        # so a post that redirects off-scope is known to have given no usable answer.
        return cls(crawler)

    def process_request(self, request: Request, spider: object = None) -> None:
        scope = getattr(self.crawler.spider, "scope", None)
        if scope is None:
            raise IgnoreRequest(f"no site scope to check {request.url} against")
        reason = scope.refusal(request.url)
        if reason is None:
            return
        if not request.meta.get("civic_refused"):
            request.meta["civic_refused"] = reason
            self.crawler.stats.inc_value(f"refused/{reason}")
            logger.warning("refused off-scope request (%s): %s (from %s)", reason, request.url,
                           (request.meta.get("redirect_urls") or ["a page of the site"])[0])
        raise IgnoreRequest(f"off-scope ({reason}): {request.url}")


def _seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())

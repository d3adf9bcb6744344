"""The blog spider, its item pipeline and its scope middleware run in-process, with no server.

Built with Scrapy's own test helper (:func:`scrapy.utils.test.get_crawler`) from the project's
settings and a real archive. Responses are built as Scrapy's download handlers build them
(:data:`scrapy.responsetypes.responsetypes` picks the class), from any ``answer`` function:
a rendered demo blog (:func:`site_answers`), a folder of static files (:func:`folder_answers`)
or a dict of pages (:func:`page_answers`).

:class:`OfflineCrawl` calls the spider's public callbacks with those responses and hands what
they yield on: requests to a queue (highest priority first, each fingerprint once unless
``dont_filter``, as Scrapy's scheduler does), items to :class:`crawler.pipelines.PostPipeline`.
Every request passes :class:`crawler.middlewares.ScopeMiddleware` first, a refusal reaching
the request's errback; every answer is kept by :class:`crawler.middlewares.CaptureMiddleware`
(so ``reextract`` has captures to read). Redirects are followed as Scrapy's redirect middleware follows them (not
for requests that handle every status themselves); other transport concerns (retries, robots
rules, timeouts) are left to the end-to-end crawls.
"""

from __future__ import annotations

import asyncio
import inspect
import heapq
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.request import fingerprint
from scrapy.utils.test import get_crawler, get_reactor_settings
from twisted.python.failure import Failure

from crawler.middlewares import CaptureMiddleware, ScopeMiddleware
from crawler.pipelines import PostPipeline
from crawler.spiders.blog import BlogSpider

#: An answer: status, headers and body for a request's URL.
Answer = tuple[int, dict[str, str], bytes]
NOT_FOUND: Answer = (404, {"Content-Type": "text/html; charset=utf-8"},
                     b"<html><body><h1>Not found</h1></body></html>")
REDIRECTS = (301, 302, 303, 307, 308)


#: Extensions that need a running engine (a periodic log line, the throttle, the identity
#: extension's own request), off: an offline crawl has none. The identity extension is
#: tested by the end-to-end crawls in test_site_identity.
#: Pages are read in this process (no extraction worker to fork).
OFFLINE = {"LOGSTATS_INTERVAL": 0, "AUTOTHROTTLE_ENABLED": False, "CIVIC_ARCHIVE_SITE_IDENTITY": False,
           "CIVIC_ARCHIVE_EXTRACT_WORKERS": 0}


def project_settings(**overrides: Any) -> dict[str, Any]:
    """``crawler/settings.py`` as a dict, with :data:`OFFLINE` and ``overrides`` on top."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return {**settings.copy_to_dict(), **OFFLINE, **overrides}


def offline_spider(db: str, url: str, **settings: Any) -> BlogSpider:
    """A blog spider for ``url`` on the archive ``db``, made as Scrapy makes it for a crawl."""
    # Nothing is downloaded, so no reactor: Scrapy's helper says how to run without one.
    crawler = get_crawler(BlogSpider, {**project_settings(CIVIC_ARCHIVE_DB=db, **settings),
                                       **get_reactor_settings()})
    spider = BlogSpider.from_crawler(crawler, url=url)
    crawler.spider = spider  # what the engine sets when a crawl starts; middlewares read it
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider)  # the run starts
    return spider


def outputs(result: Any) -> list[Any]:
    """What a callback gives, whether it is a generator, an async generator or a coroutine
    (as Scrapy takes each)."""
    if hasattr(result, "__aiter__"):
        async def collect() -> list[Any]:
            return [out async for out in result]
        return asyncio.run(collect())
    if inspect.iscoroutine(result):
        async def finish() -> list[Any]:
            return list(await result or ())
        return asyncio.run(finish())
    return list(result or ())


def start_requests(spider: BlogSpider) -> list[scrapy.Request]:
    """What the spider's ``start()`` yields."""
    async def collect() -> list[scrapy.Request]:
        return [request async for request in spider.start()]
    return asyncio.run(collect())


def response_for(request: scrapy.Request, status: int, headers: dict[str, str], body: bytes,
                 url: str | None = None) -> Response:
    """The response Scrapy would hand the callback: its class chosen from headers, URL and body."""
    url = url or request.url
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, request=request)


def answer(request: scrapy.Request, answers: Callable[[str], Answer]) -> Response:
    return response_for(request, *answers(request.url))


def site_answers(site: Any) -> Callable[[str], Answer]:
    """Answers from a rendered demo blog (:class:`crawler.demo.Site`), as its server gives them."""
    def answers(url: str) -> Answer:
        parts = urlsplit(url)
        resource = site.resolve(parts.path + (f"?{parts.query}" if parts.query else ""))
        headers = {"Content-Type": resource.content_type, **dict(resource.headers)}
        if resource.etag:
            headers["ETag"] = resource.etag
        return resource.status, headers, resource.body
    return answers


def page_answers(pages: dict[str, tuple[bytes, str]]) -> Callable[[str], Answer]:
    """Answers from ``{path: (body, content type)}``; 404 for anything else."""
    def answers(url: str) -> Answer:
        found = pages.get(urlsplit(url).path)
        return NOT_FOUND if found is None else (200, {"Content-Type": found[1]}, found[0])
    return answers


CONTENT_TYPES = {".html": "text/html", ".xml": "application/xml", ".json": "application/json",
                 ".txt": "text/plain", ".css": "text/css", ".js": "text/javascript"}


def folder_answers(folder: Path) -> Callable[[str], Answer]:
    """Answers from a folder of static files as a plain file server gives them: ``dir/`` is
    ``dir/index.html``, ``dir`` redirects to ``dir/``."""
    def answers(url: str) -> Answer:
        path = urlsplit(url).path
        target = folder / path.lstrip("/")
        if target.is_dir() and not path.endswith("/"):
            return 301, {"Location": path + "/", "Content-Type": "text/html"}, b""
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return NOT_FOUND
        kind = CONTENT_TYPES.get(target.suffix, "application/octet-stream")
        return 200, {"Content-Type": kind}, target.read_bytes()
    return answers


class OfflineCrawl:
    """One crawl of a site by the blog spider, answered by ``answers``, with no network.

    ``requested`` counts the URLs asked for; ``dropped`` lists the items the pipeline refused.
    """

    def __init__(self, db: str, url: str, answers: Callable[[str], Answer], **settings: Any) -> None:
        self.spider = offline_spider(db, url, **settings)
        self.crawler = self.spider.crawler
        self.answers = answers
        self.pipeline = PostPipeline.from_crawler(self.crawler)
        self.scope = ScopeMiddleware.from_crawler(self.crawler)
        self.capture = CaptureMiddleware.from_crawler(self.crawler)
        self.requested: Counter[str] = Counter()
        self.dropped: list[str] = []
        self._queue: list[tuple[int, int, scrapy.Request]] = []
        self._order = itertools.count()
        self._seen: set[bytes] = set()

    @property
    def stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats()

    def run(self) -> OfflineCrawl:
        """Crawl until nothing is left to ask for, then close the run as the engine does
        (the run was opened with the spider)."""
        self._handle(start_requests(self.spider))
        while self._queue:
            _, _, request = heapq.heappop(self._queue)
            self._handle(self._fetch(request))
        self.crawler.signals.send_catch_log(signals.spider_closed, spider=self.spider,
                                            reason="finished")
        return self

    def _schedule(self, request: scrapy.Request) -> None:
        key = fingerprint(request)
        if not request.dont_filter and key in self._seen:
            return
        self._seen.add(key)
        heapq.heappush(self._queue, (-request.priority, next(self._order), request))

    def _handle(self, outputs: Iterable[Any]) -> None:
        for out in outputs:
            if isinstance(out, scrapy.Request):
                self._schedule(out)
            else:
                try:
                    self.pipeline.process_item(out)
                except DropItem as exc:
                    self.dropped.append(str(exc))

    def _fetch(self, request: scrapy.Request) -> list[Any]:
        try:
            self.scope.process_request(request)
        except IgnoreRequest as exc:
            return self._errback(request, exc)
        self.requested[request.url] += 1
        status, headers, body = self.answers(request.url)
        self.capture.process_response(request, response_for(request, status, headers, body))
        handles_all = request.meta.get("handle_httpstatus_all", False)
        if status in REDIRECTS and "Location" in headers and not handles_all:
            target = urljoin(request.url, headers["Location"])
            meta = {**request.meta, "redirect_urls": [*request.meta.get("redirect_urls", []), request.url]}
            self._schedule(request.replace(url=target, meta=meta, dont_filter=request.dont_filter))
            return []
        response = response_for(request, status, headers, body)
        allowed = self.crawler.settings.getlist("HTTPERROR_ALLOWED_CODES")
        if not (200 <= status < 300 or handles_all or status in allowed):
            return self._errback(request, HttpError(response, f"HTTP {status}"))
        return outputs(request.callback(response))

    def _errback(self, request: scrapy.Request, error: Exception) -> list[Any]:
        failure = Failure(error)
        failure.request = request  # as Scrapy hands it to the errback
        return outputs(request.errback(failure))

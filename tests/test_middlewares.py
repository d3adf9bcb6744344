"""The downloader middlewares, in-process on a crawler made by Scrapy's test helper: the scope
check, robots.txt read from the spider's own request, Retry-After and captures."""

from __future__ import annotations

import asyncio
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, TextResponse
from sqlalchemy import select

from crawler.middlewares import (
    CaptureMiddleware,
    RetryAfterMiddleware,
    ScopeMiddleware,
    SharedRobotsTxtMiddleware,
)
from storage.db import open_archive
from storage.models import Capture, CrawlRun
from tests.support.offline import offline_spider, start_requests

SITE = "http://127.0.0.1:8123"


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture
def spider(db):
    return offline_spider(db, SITE + "/", RETRY_AFTER_MAX=2)


def test_scope_lets_the_site_through_and_refuses_the_rest_once_each(spider):
    scope = ScopeMiddleware.from_crawler(spider.crawler)
    assert scope.process_request(Request(SITE + "/2025/01/post/")) is None
    refused = {url: reason for url, reason in [
        ("http://127.0.0.1:5432/", "port"), ("http://[::1]:8123/", "internal_address"),
        ("http://10.0.0.7/", "internal_address"), ("file:///etc/passwd", "scheme"),
        ("https://elsewhere.example/", "offsite")]}
    for url, reason in refused.items():
        # A redirect to it, then the same request again (a retry): refused both times,
        # counted once, and the reason stays on the request for its errback.
        request = Request(url, dont_filter=True, meta={"redirect_urls": [SITE + "/go/"]})
        for _ in range(2):
            with pytest.raises(IgnoreRequest, match="off-scope"):
                scope.process_request(request)
        assert request.meta["civic_refused"] == reason
    stats = spider.crawler.stats
    assert stats.get_value("refused/port") == 1 and stats.get_value("refused/internal_address") == 2
    assert stats.get_value("refused/scheme") == 1 and stats.get_value("refused/offsite") == 1


def test_scope_refuses_everything_without_a_spider_scope(spider):
    spider.crawler.spider = None
    with pytest.raises(IgnoreRequest, match="no site scope"):
        ScopeMiddleware.from_crawler(spider.crawler).process_request(Request(SITE + "/"))


def _robots(spider) -> Request:
    return next(r for r in start_requests(spider) if r.url.endswith("/robots.txt"))


def test_robots_rules_come_from_the_spiders_own_request(spider):
    robots = SharedRobotsTxtMiddleware.from_crawler(spider.crawler)
    asked = _robots(spider)
    assert asyncio.run(robots.process_request(asked)) is None  # the spider's request goes out
    rules = b"User-agent: *\nDisallow: /private/\n"
    answer = TextResponse(asked.url, body=rules, request=asked)
    assert robots.process_response(asked, answer) is answer
    # No second download of robots.txt (an offline crawler has no engine to make one).
    assert asyncio.run(robots.process_request(Request(SITE + "/2025/01/post/"))) is None
    with pytest.raises(IgnoreRequest, match="robots.txt"):
        asyncio.run(robots.process_request(Request(SITE + "/private/page/")))
    stats = spider.crawler.stats
    assert stats.get_value("robotstxt/response_count") == 1 and stats.get_value("robotstxt/forbidden") == 1


def test_a_failed_robots_txt_leaves_the_site_open(spider):
    robots = SharedRobotsTxtMiddleware.from_crawler(spider.crawler)
    asked = _robots(spider)
    asyncio.run(robots.process_request(asked))
    robots.process_exception(asked, ConnectionRefusedError())
    assert asyncio.run(robots.process_request(Request(SITE + "/private/page/"))) is None


def _answer(status: int, retry_after: str | None = None) -> tuple[Request, HtmlResponse]:
    request = Request(SITE + "/busy/")
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    return request, HtmlResponse(request.url, status=status, headers=headers, body=b"", request=request)


def test_retry_after_is_believed_up_to_its_limit_and_once(spider):
    middleware = RetryAfterMiddleware.from_crawler(spider.crawler)
    past = format_datetime(datetime.now(timezone.utc) - timedelta(minutes=1), usegmt=True)
    for status, wait in ((503, "0"), (429, past)):
        request, response = _answer(status, wait)
        retry = asyncio.run(middleware.process_response(request, response))
        assert isinstance(retry, Request) and retry.url == request.url and retry.dont_filter
        assert retry.meta["civic_retry_after_done"]
        # The retried request's answer is the answer, whatever it says.
        assert asyncio.run(middleware.process_response(retry, response)) is response
    stats = spider.crawler.stats
    assert stats.get_value("retry/count") == 2 and stats.get_value("retry/reason_count/retry_after") == 2
    # Longer than RETRY_AFTER_MAX (2 s here), unreadable, absent, or not a 429/503: as it came.
    for status, wait in ((503, "600"), (503, "soon"), (503, None), (500, "0"), (200, "0")):
        request, response = _answer(status, wait)
        assert asyncio.run(middleware.process_response(request, response)) is response, (status, wait)


def test_each_response_is_captured_under_the_address_first_asked_for(spider, db):
    capture = CaptureMiddleware.from_crawler(spider.crawler)
    request = Request(SITE + "/new-home/", meta={"redirect_urls": [SITE + "/old-home/"]})
    response = HtmlResponse(request.url, body=b"<html>moved here</html>", request=request,
                            headers={"Content-Type": "text/html"})
    assert capture.process_response(request, response) is response
    skipped = Request(SITE + "/skip/", meta={"civic_skip_capture": True})
    capture.process_response(skipped, HtmlResponse(skipped.url, body=b"<html></html>", request=skipped))
    archive = open_archive(db)
    with archive.Session() as session:
        [row] = session.scalars(select(Capture)).all()
        run = session.scalars(select(CrawlRun)).one()
        assert (row.url, row.final_url, row.status, row.run_id) == (SITE + "/old-home/", request.url, 200, run.id)
        assert row.size == len(response.body) and row.headers["Content-Type"] == ["text/html"]
    archive.dispose()

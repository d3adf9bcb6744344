"""Pure rules for hostile sites: request scope (SSRF), failed-fetch reasons, backoff, URL chains."""

from __future__ import annotations

import pytest

from crawler.faults import body_problem, exception_reason, failure_key, runs_to_wait, status_reason
from crawler.traps import chain_length, in_chain, url_shape
from crawler.scope import SiteScope

LOCAL = SiteScope("http://127.0.0.1:8123/")
PUBLIC = SiteScope("https://blog.example/news/", aliases=("old-blog.example", "mirror.example:8443"))


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:8123/2024/a/", None),
    ("http://127.0.0.1:8123/robots.txt", None),
    ("http://127.0.0.1:8099/secret", "port"),
    ("http://127.0.0.1/", "port"),
    ("http://[::1]:8123/", "internal_address"),
    ("http://[::1]:8099/", "internal_address"),
    ("http://localhost:8123/", "internal_address"),
    ("http://127.0.0.2:8123/", "internal_address"),
    ("http://169.254.169.254/latest/meta-data/", "internal_address"),
    ("http://10.0.0.7/", "internal_address"),
    ("http://192.168.1.1:8123/", "internal_address"),
    ("http://127.0.0.1:8123@127.0.0.1:8099/", "port"),
    ("http://127.0.0.1:99999/", "bad_url"),
    ("file:///etc/passwd", "scheme"),
    ("ftp://127.0.0.1:8123/", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("http://elsewhere.example/", "offsite"),
])
def test_a_site_on_loopback_reaches_its_own_port_only(url, reason):
    assert LOCAL.refusal(url) == reason


@pytest.mark.parametrize("url, reason", [
    ("https://blog.example/news/a/", None),
    ("http://blog.example/news/a/", None),          # http/https of one host are one site
    ("https://www.blog.example:443/news/", None),
    ("https://blog.example:8080/news/", "port"),
    ("http://old-blog.example/news/", None),
    ("https://mirror.example:8443/news/", None),
    ("https://mirror.example/news/", "port"),
    ("http://[2001:db8::1]/", "internal_address"),   # IPv6 literals are never a named site
    ("http://8.8.8.8/", "offsite"),
])
def test_a_public_site_reaches_its_hosts_and_aliases(url, reason):
    assert PUBLIC.refusal(url) == reason


def test_a_site_that_lives_on_an_ipv6_literal_keeps_its_own_address():
    scope = SiteScope("http://[::1]:8123/")
    assert scope.refusal("http://[::1]:8123/a/") is None
    assert scope.refusal("http://[::1]:8124/a/") == "port"
    assert scope.refusal("http://127.0.0.1:8123/") == "internal_address"


@pytest.mark.parametrize("body, problem", [
    (b"", "empty_body"),
    (b"  \n\t ", "empty_body"),
    (b"<html><body>\x00\x01</body></html>", "garbage_body"),
    (bytes(range(1, 32)) * 20, "garbage_body"),
    (b"<html><body><p>caf\xe9 \xe2\x80\x94 fine</p></body></html>", None),
    (b'{"id": 1}', None),
])
def test_empty_and_binary_bodies_are_failures(body, problem):
    assert body_problem(body) == problem


def test_status_and_exception_reasons():
    assert status_reason(503) == "http_503" and status_reason(429) == "http_429"
    assert status_reason(404) is None and status_reason(200) is None

    class DownloadTimeoutError(Exception):
        pass

    class ResponseDataLossError(Exception):
        pass

    class Oddity(Exception):
        pass

    assert exception_reason(DownloadTimeoutError()) == "timeout"
    assert exception_reason(ResponseDataLossError()) == "truncated"
    assert exception_reason(Oddity()) == "error_Oddity"


def test_a_failure_is_filed_without_per_run_parameters():
    assert (failure_key("http://b.example/wp-json/wp/v2/posts?page=2&modified_after=2024-01-01T00:00:00")
            == failure_key("http://b.example/wp-json/wp/v2/posts?page=2"))
    assert failure_key("http://B.example/a/?utm_source=x") == "http://b.example/a/"


def test_backoff_asks_the_next_runs_then_spaces_out_and_never_forgets():
    assert [runs_to_wait(n) for n in range(1, 10)] == [0, 0, 0, 1, 3, 7, 15, 15, 15]


def test_url_shapes_ignore_numbers_dates_and_query_values():
    assert url_shape("http://b/diary/?date=2024-01-05") == url_shape("http://b/diary/?date=2031-12-31")
    assert url_shape("http://b/?d=7") == url_shape("http://b/?d=8")
    assert url_shape("http://b/events/2024-01/") == url_shape("http://b/events/2024-02/")
    assert url_shape("http://b/2024/05/bins/") != url_shape("http://b/2024/05/roads/")
    assert url_shape("http://b/posts/post-1/") != url_shape("http://b/posts/post-2/")


def test_chains_of_look_alike_pages():
    day1, day2, day3 = (f"http://b/diary/?date=2024-01-0{n}" for n in (1, 2, 3))
    assert chain_length("http://b/", 1, day1) == 1
    assert chain_length(day1, 1, day2) == 2 and chain_length(day2, 2, day3) == 3
    assert chain_length(day2, 2, "http://b/2024/05/bins/") == 1
    # The first page of a chain is in it too: it links a look-alike page.
    assert in_chain(day1, 1, ["http://b/", day2])
    assert not in_chain("http://b/2024/05/bins/", 1, ["http://b/2024/05/roads/", "http://b/"])


def test_the_scope_check_comes_before_robots_retries_and_redirects():
    from scrapy.settings import Settings
    from scrapy.utils.conf import build_component_list

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    order = [c if isinstance(c, str) else f"{c.__module__}.{c.__name__}"
             for c in build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))]
    scope = order.index("crawler.middlewares.ScopeMiddleware")
    for later in ("RobotsTxtMiddleware", "RetryMiddleware", "MetaRefreshMiddleware", "RedirectMiddleware"):
        assert scope < next(i for i, name in enumerate(order) if name.endswith(later)), later
    # Scrapy's own off-site filter lets dont_filter requests through; it is replaced.
    assert not any(name.endswith("offsite.OffsiteMiddleware") for name in order)
    assert settings.getdict("DOWNLOAD_HANDLERS")["file"] is None


def test_retried_and_redirected_requests_get_no_exemption():
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.exceptions import IgnoreRequest
    from scrapy.statscollectors import MemoryStatsCollector

    from crawler.middlewares import ScopeMiddleware

    from scrapy.settings import Settings

    crawler = SimpleNamespace(spider=SimpleNamespace(scope=LOCAL), settings=Settings())
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = ScopeMiddleware(crawler)
    retried = Request("http://127.0.0.1:8099/secret", dont_filter=True,
                      meta={"retry_times": 1, "redirect_urls": ["http://127.0.0.1:8123/a/"]})
    with pytest.raises(IgnoreRequest):
        middleware.process_request(retried)
    assert retried.meta["civic_refused"] == "port"
    assert middleware.process_request(Request("http://127.0.0.1:8123/a/", dont_filter=True)) is None
    with pytest.raises(IgnoreRequest):
        middleware.process_request(Request("http://[::1]:8123/"))
    assert crawler.stats.get_stats() == {"refused/port": 1, "refused/internal_address": 1}

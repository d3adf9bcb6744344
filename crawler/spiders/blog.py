"""The ``blog`` spider: finds every post of one blog by every route and routes pages to page objects."""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError

from crawler import discovery, run_stats, traps
from crawler.extraction_pool import ExtractionPool
from crawler.faults import body_problem, exception_reason, status_reason
from crawler.freshness import Freshness, parse_when
from crawler.frontier import Frontier
from crawler.items import AliasItem, GoneItem, Listing, NotAPost, Post, PostItem
from crawler.ledger import FailureLedger
from crawler.pages.evidence import says_post
from crawler.requisite_fetch import RequisiteFetcher
from crawler.rest_pairing import RestPairing, protected
from crawler.scope import SiteScope
from crawler.site_writer import SiteWriter
from storage.headers import content_type, first_values
from storage.urls import normalize_url, site_root

logger = logging.getLogger(__name__)

# Discovery first, so every route has named a post before its page is archived.
PRIORITY = {"robots": 100, "sitemap": 90, "rest_terms": 80, "rest": 70, "feed": 60,
            "listing_page": 50, "post": 0, "link": -10}
HTML_TYPES = ("text/html", "application/xhtml+xml")
NOT_WEB_LINKS = ("mailto:", "tel:", "sms:", "javascript:")


class BlogSpider(scrapy.Spider):
    """Crawl one blog: ``scrapy crawl blog -a url=https://blog.example/``."""

    name = "blog"

    def __init__(self, url: str | None = None, aliases: str = "", full: str | bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not url:
            raise ValueError("the blog spider needs a site: scrapy crawl blog -a url=https://blog.example/")
        self.site_url = site_root(url)
        self.alias_hosts = tuple(a for a in aliases.split(",") if a)
        self.full = str(full).lower() in ("1", "true", "yes")
        # Set when a route that lists every post (a sitemap, the unfiltered REST API) answered:
        # only then can a known post missing from all routes be checked for being gone.
        self.complete_listing = False
        self.verified_missing = False

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> BlogSpider:  # noqa: ANN001
        spider = super().from_crawler(crawler, *args, **kwargs)
        store = SiteWriter.for_crawler(crawler, spider.site_url,
                                       getattr(spider, "index_cache", None))
        spider.scope = SiteScope(spider.site_url, spider.alias_hosts + store.site_aliases,
                                 max_page=crawler.settings.getint("CIVIC_ARCHIVE_MAX_PAGE", 500))
        spider.allowed_domains = sorted({h.split(":")[0] for h in spider.scope.hosts})
        spider.freshness = Freshness(store.state, full=spider.full, reprobe_after=timedelta(
            days=crawler.settings.getfloat("CIVIC_ARCHIVE_REPROBE_DAYS", 30)))
        spider.frontier = Frontier(spider.freshness)
        # Shared by the sites one command crawls (crawler.process.run_crawls), else our own.
        spider.extraction = getattr(spider, "extraction_pool", None)
        spider.own_extraction = spider.extraction is None
        if spider.own_extraction:
            spider.extraction = ExtractionPool(
                crawler.settings.getint("CIVIC_ARCHIVE_EXTRACT_WORKERS"))
        spider.rest = RestPairing(spider.frontier.routes_of)
        spider.requisites = RequisiteFetcher.from_crawler(crawler, tuple(spider.scope.hosts))
        spider.max_link_hops = crawler.settings.getint("CIVIC_ARCHIVE_MAX_LINK_HOPS", 8)
        spider.max_chain = crawler.settings.getint("CIVIC_ARCHIVE_MAX_CHAIN", 5)
        spider.ledger = FailureLedger(store, spider.freshness, spider)
        crawler.signals.connect(spider._opened, signal=scrapy.signals.spider_opened)
        crawler.signals.connect(spider._closed, signal=scrapy.signals.spider_closed)
        crawler.signals.connect(spider._idle, signal=scrapy.signals.spider_idle)
        crawler.signals.connect(spider._dropped, signal=scrapy.signals.request_dropped)
        return spider

    def _opened(self, spider: scrapy.Spider) -> None:
        SiteWriter.for_crawler(self.crawler).start_run(self.crawler.stats)

    def _closed(self, spider: scrapy.Spider, reason: str) -> None:
        stats = self.crawler.stats.get_stats()
        status = {"finished": "finished", "shutdown": "interrupted"}.get(reason, "partial")
        if not self.frontier.archived and stats.get(run_stats.PAGES, 0) == 0:
            status = "failed"
        SiteWriter.for_crawler(self.crawler).finish_run(
            status, run_stats.storable(stats) | {run_stats.REASON: reason})
        if self.own_extraction:
            self.extraction.close()

    # --- start: every discovery route at once ------------------------------------------------

    async def start(self):  # noqa: ANN201 - Scrapy's async start
        root = self.site_url
        # Probes ask where blogs usually keep things: a soft-404 page there is no failure.
        probe = {"probe": True}
        # Scrapy's robots.txt rules are read from this answer too (SharedRobotsTxtMiddleware).
        yield self._request(urljoin(root, "/robots.txt"), self.parse_robots, "robots",
                            meta={"dont_obey_robotstxt": True, **probe})
        sitemaps = [normalize_url(root + path) for path in discovery.SITEMAP_PATHS]
        for path in discovery.SITEMAP_PATHS:
            if self.freshness.probe_needed(normalize_url(root + path), sitemaps):
                yield self._request(root + path, self.parse_sitemap, "sitemap", meta=probe)
            else:  # missing, or a redirect to another of them, last time: asked now and then
                self.crawler.stats.inc_value(run_stats.skipped_key("missing_last_time"))
        for kind, path in discovery.REST_TAXONOMIES.items():
            yield self._request(root + path.format(page=1), self.parse_rest_terms, "rest_terms",
                                meta={"rest_kind": kind, "page": 1, **probe})
        yield self._request(self._rest_posts_url(1), self.parse_rest_posts, "rest",
                            meta={"page": 1, **probe})
        for path in discovery.FEED_PATHS:
            yield self._request(root + path, self.parse_feed, "feed", meta={"page": 1, **probe})
        if self.freshness.state.posts and not self.full:
            # New comments change neither a post's date nor its sitemap entry; the comments
            # feed names the posts that have them.
            yield self._request(root + discovery.COMMENTS_FEED, self.parse_comments_feed, "feed",
                                meta=probe)
        yield self._request(root, self.parse_page, "listing_page", meta={"route": "listing"})
        for request in self._owed_requests():
            yield request

    def _owed_requests(self) -> Iterator[scrapy.Request]:
        """URLs whose last answer was a failure, asked again as they were asked then."""
        for key, owed in self.freshness.owed_due().items():
            callback = getattr(self, owed.callback, None)
            if not owed.callback.startswith("parse_") or not callable(callback) or self._skip(owed.url):
                continue
            kind = owed.kind if owed.kind in PRIORITY else "link"
            if kind in ("post", "link") and not self.frontier.claim(key):
                continue
            self.crawler.stats.inc_value("failures/asked_again")
            yield self._request(owed.url, callback, kind, meta=dict(owed.meta))

    def _request(self, url: str, callback: Any, kind: str, meta: dict | None = None,
                 **kwargs: Any) -> scrapy.Request:
        meta = {"handle_httpstatus_all": kind not in ("post", "link", "listing_page"),
                "civic_kind": kind, **(meta or {})}
        return scrapy.Request(url, callback=callback, priority=PRIORITY[kind], meta=meta,
                              errback=self.on_error, **kwargs)

    def on_error(self, failure: Any) -> Iterator[PostItem]:
        error, request = failure.value, failure.request
        if request.callback == self.parse_rest_terms:
            # No more names of this kind will come: pages waiting for them are merged now.
            yield from self.rest.add_terms(request.meta["rest_kind"], (), last=True)
        if isinstance(error, IgnoreRequest) and not isinstance(error, HttpError):
            # Refused (off-scope, robots.txt), not failed. A page of the site that redirects
            # off-scope gave no usable answer, though: it is owed like a failure.
            refusal = request.meta.get("civic_refused")
            if refusal and request.meta.get("redirect_urls"):
                self.ledger.failed(request, f"redirect_{refusal}")
            return
        self.crawler.stats.inc_value(run_stats.error_key(type(error).__name__))
        self.ledger.failed(request, exception_reason(error))

    def _dropped(self, request: scrapy.Request, spider: object = None) -> None:
        """A redirect to an address already asked for (say, one refused as off-scope) is
        dropped by the duplicate filter, with no errback: the page that redirected is owed."""
        refusal = self.scope.refusal(request.url)
        if refusal and request.meta.get("redirect_urls"):
            self.crawler.stats.inc_value(run_stats.refused_key(refusal))
            self.ledger.failed(request, f"redirect_{refusal}")

    def _route_answer(self, response: Response, parse: Callable[[bytes], Any], unreadable: str,
                      body_expected: bool = True) -> tuple[Any, list[scrapy.Request]]:
        """A discovery route's answer parsed, or ``None`` when there is nothing to use; with
        the in-run retries of a failed answer.

        A 5xx/429 left after retries, an empty or garbage body, or (where the blog named the
        URL) a 200 that does not parse is a failure, owed to the next run. A 404, or a page
        that is no feed where we only guessed the path (a probe), is a plain "none here".
        """
        problem = status_reason(response.status)
        if problem is None and body_expected and response.status == 200:
            problem = body_problem(response.body)
        if problem is None and response.status == 200:
            try:
                parsed = parse(response.body)
            except ValueError as exc:
                logger.info("%s: %s", response.url, exc)
                problem = None if response.meta.get("probe") else unreadable
            else:
                self.ledger.answered(response.request)
                return parsed, []
        if problem:
            return None, list(self.ledger.bad_answer(response, problem))
        self.ledger.answered(response.request)
        return None, []

    def _skip(self, url: str) -> bool:
        reason = self.scope.skip_reason(url)
        if reason:
            self.crawler.stats.inc_value(run_stats.skipped_key(reason))
        return reason is not None

    def follow_post(self, url: str, route: str, changed_at: datetime | None = None,
                    hops: int = 0, chain: int = 1) -> Iterator[scrapy.Request | AliasItem]:
        """Ask for a post's page, remembering which route named it (the frontier decides)."""
        if self._skip(url):
            return
        # Fetch the normal form: ?replytocom=, ?share= and tracking variants of a permalink
        # are the same page, and the duplicate filter only sees exact URLs.
        url = normalize_url(url)
        decision = self.frontier.decide(url, route, changed_at)
        if decision.skipped:
            self.crawler.stats.inc_value(run_stats.skipped_key(decision.skipped))
        if decision.alias:
            yield AliasItem(url=url, route=route)
        if decision.fetch:
            kind = "link" if route == "link" else "post"
            headers = self.freshness.conditional_headers(url) if decision.conditional else {}
            yield self._request(url, self.parse_page, kind, headers=headers,
                                dont_filter=decision.refetch,
                                meta={"route": route, "link_hops": hops, "shape_run": chain})

    # --- discovery routes ----------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        urls, retries = self._route_answer(  # an empty robots.txt is a fine one
            response, lambda body: discovery.robots_sitemaps(body.decode("utf-8", "replace")),
            "not_robots", body_expected=False)
        yield from retries
        for url in urls or ():
            if not self._skip(url):
                yield self._request(url, self.parse_sitemap, "sitemap")

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        entries, retries = self._route_answer(response, discovery.parse_sitemap, "not_a_sitemap")
        yield from retries
        if entries is None:
            if response.status != 200:
                self.crawler.stats.inc_value("discovery/sitemap_missing")
            return
        for url in entries.sitemaps:
            if "users" not in url.rsplit("/", 1)[-1] and not self._skip(url):
                yield self._request(url, self.parse_sitemap, "sitemap")
        self.complete_listing = self.complete_listing or bool(entries.pages)
        listed = discovery.sitemap_lists(response.url)
        for url, lastmod in entries.pages:
            self.frontier.note_listed(normalize_url(url), listed)
            yield from self.follow_post(url, "sitemap", parse_when(lastmod))

    def _feed_links(self, response: Response) -> tuple[list[str], list[scrapy.Request]]:
        """The item links of a feed response (none for an error page or a body that is no
        feed), and in-run retries of a failed answer."""
        links, retries = self._route_answer(response, discovery.feed_links, "not_a_feed")
        return links or [], retries

    def parse_feed(self, response: Response) -> Iterator[Any]:
        items, retries = self._route_answer(response, discovery.feed_items, "not_a_feed")
        yield from retries
        items = items or []
        for item in items:
            # The item's content is the body of last resort for a page read too short.
            late = self.rest.add_feed_item(normalize_url(item.link), item.content)
            if late is not None:
                self.crawler.stats.inc_value("pages/body_from_feed")
                yield late
        new = self.frontier.new_in_feed(normalize_url(item.link) for item in items)
        fetched = False
        for link in new:
            for out in self.follow_post(link, "feed"):
                fetched = fetched or isinstance(out, scrapy.Request)
                yield out
        page = response.meta["page"] + 1
        # WordPress pages its feeds with ?paged=N; other engines repeat page 1, so stop when
        # a page brings nothing new — and, recrawling, when it shows only known posts.
        if new and (fetched or self.freshness.rewalk) and page <= self.scope.max_page:
            base = response.url.split("?", 1)[0]
            yield self._request(f"{base}?paged={page}", self.parse_feed, "feed", meta={"page": page})

    def parse_comments_feed(self, response: Response) -> Iterator[scrapy.Request]:
        state = self.freshness.state
        links, retries = self._feed_links(response)
        yield from retries
        for link in links:
            key, comment = normalize_url(link), urlsplit(link).fragment
            if comment in state.comments:
                continue  # a comment the archive already holds
            if (key in state.posts and key not in self.frontier.archived
                    and self.frontier.claim(key)):
                self.crawler.stats.inc_value("pages/new_comments")
                yield self._request(key, self.parse_page, "post", meta={"route": "comments"})

    def _discovered_feeds(self, response: Response) -> Iterator[scrapy.Request]:
        """Feeds the home page announces (Blogger's /feeds/posts/default, Ghost's /rss/,
        Hugo's /index.xml…): other engines do not keep theirs at WordPress's /feed/."""
        for href in discovery.feed_hrefs(response.text):
            url = response.urljoin(href)
            if "comment" not in url.lower() and not self._skip(url):
                yield self._request(url, self.parse_feed, "feed", meta={"page": 1})

    def parse_rest_terms(self, response: Response) -> Iterator[scrapy.Request]:
        kind, page = response.meta["rest_kind"], response.meta["page"]
        items = yield from self._rest_page(response)
        more = bool(items) and page < discovery.rest_total_pages(first_values(response.headers))
        if more:
            yield self._request(self.site_url + discovery.REST_TAXONOMIES[kind].format(page=page + 1),
                                self.parse_rest_terms, "rest_terms",
                                meta={"rest_kind": kind, "page": page + 1})
        yield from self.rest.add_terms(kind, items, last=not more)

    def _rest_posts_url(self, page: int) -> str:
        url = self.site_url + discovery.REST_POSTS.format(page=page)
        since = None if self.full else self.freshness.state.modified_after()
        if since is not None:
            # Recrawling: ask only for posts changed since the newest change we hold.
            url += "&modified_after=" + since.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        return url

    def parse_rest_posts(self, response: Response) -> Iterator[Any]:
        items = yield from self._rest_page(response)
        if response.meta["page"] == 1:
            self.complete_listing = self.complete_listing or (
                bool(items) and "modified_after" not in response.url)
            for page in range(2, min(discovery.rest_total_pages(first_values(response.headers)),
                                     self.scope.max_page) + 1):
                yield self._request(self._rest_posts_url(page), self.parse_rest_posts, "rest",
                                    meta={"page": page})
        for item in items:
            link = item.get("link")
            if isinstance(link, str) and item.get("status", "publish") == "publish":
                key = normalize_url(link)
                late = self.rest.add_record(key, item)
                if late is not None:
                    yield late
                if key in self.frontier.not_posts and not protected(item):
                    yield self._rest_only_item(key, item)
                yield from self.follow_post(link, "rest", parse_when(item.get("modified_gmt")))

    def _rest_only_item(self, key: str, item: dict) -> PostItem:
        """A post whose page was fetched but not recognised as a post, from its REST record."""
        self.crawler.stats.inc_value("pages/post_from_rest")
        self.frontier.archived.add(key)
        return self.rest.from_record(key, item)

    def _rest_page(self, response: Response) -> Generator[scrapy.Request, None, list[dict]]:
        """The records of a REST collection page (yields in-run retries of a failed answer)."""
        items, retries = self._route_answer(response, discovery.rest_items, "not_json")
        yield from retries
        if response.status != 200:
            self.crawler.stats.inc_value("discovery/rest_unavailable")
        return items or []

    # --- pages ---------------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> list[Any]:
        """A page's requests and items. A coroutine that returns a list, not an async
        generator: Scrapy runs an async generator's every output through its own futures,
        which cost more on the reactor than the page's reading saves."""
        html = (any(t in content_type(response.headers, "text/html") for t in HTML_TYPES)
                and hasattr(response, "text"))
        # An empty or garbage 200 where a page was expected is a failed fetch, not a page:
        # asked again in this run while retries last, then owed to the next.
        problem = body_problem(response.body) if response.status == 200 and html else None
        if problem:
            return list(self.ledger.bad_answer(response, problem))
        self.ledger.answered(response.request)
        if response.status in (404, 410):
            self.crawler.stats.inc_value(f"pages/status_{response.status}")
            if normalize_url(response.url) in self.freshness.state.posts:
                return [GoneItem(url=response.url, status=response.status)]
            return []
        if response.status == 304:
            self.crawler.stats.inc_value("pages/not_modified")
            return []
        if not html:
            self.crawler.stats.inc_value(run_stats.skipped_key("non_html"))
            return []
        listed = self.frontier.listed_as(_keys(response))
        page = await self.extraction.extract(response.url, response.body,
                                             first_values(response.headers), listed)
        return list(self._read_page(response, page))

    def _read_page(self, response: Response, page: Post | Listing | NotAPost) -> Iterator[Any]:
        """Route a page by what the page objects made of it, then follow its links."""
        if normalize_url(response.url) == normalize_url(self.site_url):
            yield from self._discovered_feeds(response)
        links = _page_links(response)
        result = self._unless_trap(response, page, links)
        if isinstance(result, Post):
            yield self._post_item(response, result)
            yield from self.requisites.follow(response, result)
        elif isinstance(result, Listing):
            yield from self._read_listing(response, result)
        else:
            yield from self._not_a_post(response, result)
        # Links from a post start afresh; chains of pages that are not posts (calendars,
        # "next month" archives, endless page numbers) are cut after a few hops.
        hops = 1 if isinstance(result, Post) else response.meta.get("link_hops", 0) + 1
        if hops <= self.max_link_hops:
            yield from self._follow_links(response, links, hops)
        else:
            self.crawler.stats.inc_value(run_stats.skipped_key("link_hops"))

    def _read_listing(self, response: Response, listing: Listing) -> Iterator[Any]:
        """Every post a listing shows, and its next pages while they may show news."""
        self.crawler.stats.inc_value("pages/listing")
        yield from self._rest_fallback(response)
        fetched = False
        for url in listing.permalinks:
            for out in self.follow_post(urljoin(response.url, url), "listing"):
                fetched = fetched or isinstance(out, scrapy.Request)
                yield out
        # Recrawling, pagination stops at a page that shows only known, unchanged posts.
        for url in listing.next_pages if fetched or self.freshness.rewalk else ():
            if not self._skip(urljoin(response.url, url)):
                yield self._request(urljoin(response.url, url), self.parse_page,
                                    "listing_page", meta={"route": "listing"})

    def _not_a_post(self, response: Response, page: NotAPost) -> Iterator[PostItem]:
        self.crawler.stats.inc_value(run_stats.skipped_key("non_html") if page.not_html
                                     else f"pages/not_a_post/{page.reason}")
        yield from self._rest_fallback(response)

    def _rest_fallback(self, response: Response) -> Iterator[PostItem]:
        """A page the REST API lists as a published post but whose markup was not recognised
        as one is archived from the API's record instead of being lost: now if the record is
        here, or when it arrives."""
        keys = _keys(response)
        rest = self.rest.record(keys)
        if rest is not None and not protected(rest):
            yield self._rest_only_item(normalize_url(response.url), rest)
        else:
            self.frontier.not_posts.update(keys)

    def _unless_trap(self, response: Response, result: Post | Listing | NotAPost,
                     links: list[str]) -> Post | Listing | NotAPost:
        """A "post" only a link led to, in a chain of look-alike pages (crawler.traps), is
        a trap page unless the blog says it is a post (a route named it, or its markup)."""
        if not isinstance(result, Post) or response.meta.get("route") != "link":
            return result
        keys = _keys(response, result.canonical_url)
        named = self.frontier.named(keys) or self.rest.record(keys) is not None
        if named or not traps.in_chain(response.url, response.meta.get("shape_run", 1), links):
            return result
        if says_post(response.url, response.body, first_values(response.headers)):
            return result
        self.frontier.chain_pages.update(keys)
        return NotAPost(url=response.url, reason="url_chain")

    def _idle(self) -> None:
        """Once discovery is done, re-check known posts no route named: gone or still there."""
        if self.verified_missing or not self.complete_listing:
            return
        self.verified_missing = True
        state = self.freshness.state
        seen = {state.posts[k].post_id for k in self.frontier.routes if k in state.posts}
        missing = [url for post_id, url in state.live_posts().items() if post_id not in seen]
        for url in missing:
            self.crawler.engine.crawl(self._request(url, self.parse_page, "post",
                                                    meta={"route": "recheck"}, dont_filter=True))
        if missing:
            self.crawler.stats.set_value("pages/rechecked", len(missing))
            raise DontCloseSpider

    def _post_item(self, response: Response, post: Post) -> PostItem:
        keys = _keys(response, post.canonical_url)
        routes = self.frontier.routes_of(keys) or {response.meta.get("route", "link")}
        # The page's own addresses only: a canonical link may name another post (a story
        # republished at a new permalink names the original), whose page must still be read.
        self.frontier.archived.update(_keys(response))
        aliases = [(u, "redirect") for u in response.meta.get("redirect_urls", [])]
        if post.platform_id and post.platform == "wordpress":
            aliases.append((urljoin(self.site_url, f"?p={post.platform_id}"), "shortlink"))
        return self.rest.merge(post, keys, routes, aliases)

    def _follow_links(self, response: Response, links: list[str], hops: int) -> Iterator[Any]:
        # Every page repeats the same navigation, archive and tag links; each address is
        # looked at once per crawl, which keeps link following cheap on big blogs.
        parent_chain = response.meta.get("shape_run", 1)
        for url in links:
            if not self.frontier.first_sight(url):
                continue
            refusal = self.scope.refusal(url)
            # Links to other sites, mail and phone are normal; to this machine or file: not.
            if refusal not in (None, "offsite") and not url.startswith(NOT_WEB_LINKS):
                self.crawler.stats.inc_value(run_stats.skipped_key(f"offsite_{refusal}"))
            if not self.scope.on_site(url):
                continue
            chain = traps.chain_length(response.url, parent_chain, url)
            if chain > self.max_chain:
                self.crawler.stats.inc_value(run_stats.skipped_key("url_chain"))
                continue
            yield from self.follow_post(url, "link", hops=hops, chain=chain)


def _page_links(response: Response) -> list[str]:
    """The page's link targets, absolute, without fragments, in order, once each."""
    return list(dict.fromkeys(response.urljoin(href.strip()).split("#", 1)[0]
                              for href in response.xpath("//a/@href").getall()))


def _keys(response: Response, canonical: str | None = None) -> set[str]:
    """Every normal-form address a response answers for: itself, redirects, its canonical."""
    urls = [response.url, *response.meta.get("redirect_urls", []), canonical or ""]
    return {normalize_url(u) for u in urls if u}

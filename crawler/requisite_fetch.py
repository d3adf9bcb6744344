"""Fetching a post's page requisites during the crawl (the spider calls :meth:`follow`).

Each address is fetched once per crawl (and not again once stored), through the same
politeness as pages (robots.txt, delays, AutoThrottle), at lower priority than any page,
within a size limit per file and a budget per site. Every outcome is recorded on the post:
stored with its capture, or skipped with the reason; none stops the crawl.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import scrapy

from crawler import requisites
from crawler.site_writer import SiteWriter
from storage.headers import header
from storage.urls import normalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from crawler.items import Post

logger = logging.getLogger(__name__)

# Images in the post first, then what the page's look needs.
PRIORITY = {"image": -20, "stylesheet": -30, "script": -40, "font": -50}
KIND_SETTINGS = {"image": "CIVIC_ARCHIVE_REQUISITE_IMAGES",
                 "stylesheet": "CIVIC_ARCHIVE_REQUISITE_STYLESHEETS",
                 "script": "CIVIC_ARCHIVE_REQUISITE_SCRIPTS",
                 "font": "CIVIC_ARCHIVE_REQUISITE_FONTS"}
FAILURE_REASONS = {"DownloadCancelledError": "too_large", "IgnoreRequest": "robots",
                   "IgnoreRequestError": "robots"}


@dataclass
class _Outcome:
    status: str  # stored | skipped
    reason: str | None = None
    capture_id: int | None = None


@dataclass
class _Wanted:
    """A post's requisite rows (kept until the post is saved)."""

    post_urls: set[str]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


class RequisiteFetcher:
    """Per-crawl state: what was asked for, what came of it, bytes spent."""

    def __init__(self, crawler: Crawler, policy: requisites.HostPolicy, kinds: tuple[str, ...],
                 max_bytes: int, budget: int) -> None:
        self.crawler, self.policy, self.kinds = crawler, policy, kinds
        self.max_bytes, self.budget, self.spent = max_bytes, budget, 0
        self.outcomes: dict[str, _Outcome] = {}
        self.waiting: dict[str, list[_Wanted]] = defaultdict(list)
        self.unsaved: list[_Wanted] = []
        self._stored: dict[str, int] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, site_hosts: tuple[str, ...]) -> RequisiteFetcher:
        settings = crawler.settings
        kinds = tuple(k for k in requisites.KINDS if settings.getbool(KIND_SETTINGS[k]))
        extra = frozenset(h.lower() for h in settings.getlist("CIVIC_ARCHIVE_REQUISITE_HOSTS"))
        fetcher = cls(crawler, requisites.HostPolicy(frozenset(site_hosts), extra), kinds,
                      settings.getint("CIVIC_ARCHIVE_REQUISITE_MAX_BYTES"),
                      settings.getint("CIVIC_ARCHIVE_REQUISITE_BUDGET"))
        crawler.signals.connect(fetcher._flush_all, signal=scrapy.signals.spider_closed)
        return fetcher

    @property
    def archive(self) -> SiteWriter:
        return SiteWriter.for_crawler(self.crawler)

    def follow(self, response: Response, post: Post) -> Iterator[scrapy.Request]:
        """Requests for the requisites of the post on ``response`` not yet fetched."""
        if not self.kinds or not hasattr(response, "text"):
            return
        found = requisites.page_requisites(response.url, response.text, post.images,
                                           self.policy, self.kinds)
        wanted = _Wanted({normalize_url(u) for u in (response.url, post.canonical_url) if u})
        positions: dict[str, int] = defaultdict(int)
        for item in [*found.wanted, *found.skipped]:
            wanted.rows[item.url] = {"url": item.url, "kind": item.kind,
                                     "position": positions[item.kind]}
            positions[item.kind] += 1
        self._skipped(wanted, found.skipped)
        for requisite in found.wanted:
            yield from self._want(wanted, requisite)
        self.unsaved.append(wanted)
        self._flush()

    def _want(self, wanted: _Wanted, requisite: requisites.Requisite) -> Iterator[scrapy.Request]:
        url = requisite.url
        if url in self.outcomes:
            self._settle(wanted, url, self.outcomes[url])
            return
        stored = self.stored.get(url)
        if stored is not None:  # kept by an earlier crawl
            self._inc("reused")
            self._settle(wanted, url, _Outcome("stored", capture_id=stored))
            return
        first = url not in self.waiting
        self.waiting[url].append(wanted)
        if not first:
            return
        if self.spent >= self.budget:
            self._done(url, _Outcome("skipped", "budget"))
            return
        yield scrapy.Request(url, callback=self._fetched, errback=self._failed,
                             priority=PRIORITY[requisite.kind],
                             meta={"civic_skip_capture": True, "allow_offsite": True,
                                   "handle_httpstatus_all": True, "requisite_kind": requisite.kind,
                                   "download_maxsize": self.max_bytes})

    @property
    def stored(self) -> dict[str, int]:
        if self._stored is None:
            self._stored = self.archive.stored_requisites()
        return self._stored

    def _fetched(self, response: Response) -> Iterator[scrapy.Request]:
        kind, url = response.meta["requisite_kind"], response.request.url
        content_type = header(response.headers, "content-type") or ""
        if response.status != 200:
            outcome = _Outcome("skipped", f"status_{response.status}")
        elif not requisites.type_fits(kind, content_type):
            outcome = _Outcome("skipped", "wrong_type")
            logger.info("requisite %s is %s, not a %s: %s", url, content_type or "untyped", kind, url)
        elif self.spent + len(response.body) > self.budget:
            outcome = _Outcome("skipped", "budget")
        else:
            self.spent += len(response.body)
            outcome = _Outcome("stored", capture_id=self.archive.save_requisite(response.request, response))
        if outcome.status == "stored" and kind == "stylesheet" and hasattr(response, "text"):
            yield from self._from_stylesheet(url, response.text)
        self._done(url, outcome)

    def _from_stylesheet(self, css_url: str, css: str) -> Iterator[scrapy.Request]:
        """Fonts and imported stylesheets, credited to every post that uses the stylesheet."""
        found = requisites.stylesheet_requisites(css_url, css, self.policy, self.kinds)
        for wanted in self.waiting.get(css_url, []):
            for item in [*found.wanted, *found.skipped]:
                wanted.rows.setdefault(item.url, {"url": item.url, "kind": item.kind, "position": 0})
            self._skipped(wanted, found.skipped)
            for requisite in found.wanted:
                yield from self._want(wanted, requisite)

    def _skipped(self, wanted: _Wanted, skipped: list[requisites.Skipped]) -> None:
        for item in skipped:
            if item.url not in self.outcomes:
                self.outcomes[item.url] = _Outcome("skipped", item.reason)
                self._inc(f"skipped/{item.reason}")
            self._settle(wanted, item.url, self.outcomes[item.url])

    def _failed(self, failure: Any) -> None:
        name = type(failure.value).__name__
        self._done(failure.request.url, _Outcome("skipped", FAILURE_REASONS.get(name, name[:64])))

    def _done(self, url: str, outcome: _Outcome) -> None:
        self.outcomes[url] = outcome
        self._inc(f"stored/{self._kind(url)}" if outcome.status == "stored"
                  else f"skipped/{outcome.reason}")
        for wanted in self.waiting.pop(url, []):
            self._settle(wanted, url, outcome)
        self._flush()

    def _settle(self, wanted: _Wanted, url: str, outcome: _Outcome) -> None:
        wanted.rows[url].update(status=outcome.status, reason=outcome.reason,
                                capture_id=outcome.capture_id)

    def _kind(self, url: str) -> str:
        waiting = self.waiting.get(url)
        return waiting[0].rows[url]["kind"] if waiting else "other"

    def _inc(self, key: str) -> None:
        self.crawler.stats.inc_value(f"requisites/{key}")

    def _flush(self, final: bool = False) -> None:
        """Write the rows of every saved post whose requisites have all settled (at the
        end of the crawl: whatever has settled)."""
        keep = []
        for wanted in self.unsaved:
            settled = [r for r in wanted.rows.values() if "status" in r]
            if (len(settled) < len(wanted.rows) and not final) or not settled \
                    or not self.archive.link_requisites(wanted.post_urls, settled):
                keep.append(wanted)
        self.unsaved = keep

    def _flush_all(self, *_args: Any, **_kwargs: Any) -> None:
        self._flush(final=True)

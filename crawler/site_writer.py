"""The crawl's link to the archive: one short transaction per capture or item."""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any, NamedTuple

import dedupe
from crawler import matching, run_stats
from crawler.items import AliasItem, GoneItem, PostItem
from crawler.run_stats import Outcome
from storage import crawl_state, repo
from storage.crawl_state import SiteState, close_abandoned_runs, load_site_state
from storage.db import Archive, open_archive
from storage.headers import header_lists
from storage.models import Post, Site
from storage.urls import normalize_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class IndexCache:
    """The dedupe indexes of one crawl command, by archive and parameters.

    Sites crawled together (``crawl --all``) run in one process and share one index, so a
    story cross-posted on two of them is matched even when both copies are new in this run.
    The command that runs the crawls owns the cache (:func:`crawler.process.run_crawls`); it
    lives as long as that command.
    """

    def __init__(self) -> None:
        self._indexes: dict[tuple[str, str], dedupe.DedupeIndex] = {}

    def get(self, session: Any, archive_url: str, params: dedupe.Params) -> dedupe.DedupeIndex:
        """The index for this archive, loaded from the stored fingerprints on first use:
        every post is matched against the whole archive, so the index starts full."""
        key = (archive_url, params.fingerprint())
        if key not in self._indexes:
            self._indexes[key] = matching.load_index(session, params)
        return self._indexes[key]


# How many owed URLs a run's stats list by name (the count and reasons are always complete).
OWED_URLS_SHOWN = 50


def owed_summary(rows: list[Any]) -> dict[str, Any]:
    """Run stats for the URLs still owed when a run ends: how many, why, and which."""
    reasons = Counter(row.reason for row in rows)
    return {run_stats.OWED: len(rows), run_stats.OWED_REASONS: dict(sorted(reasons.items())),
            run_stats.OWED_URLS: {row.url: row.reason for row in rows[:OWED_URLS_SHOWN]}}


class SiteFacts(NamedTuple):
    """The archived site a crawl writes to."""

    id: int
    url: str
    aliases: tuple[str, ...]


class SiteWriter:
    """Writes one site's crawl into the archive; shared by the pipeline and the capture middleware.

    :param archive: the open archive.
    :param site_url: the site's root URL (registered on first crawl).
    """

    def __init__(self, archive: Archive, site: SiteFacts, state: SiteState,
                 index: dedupe.DedupeIndex) -> None:
        self.archive = archive
        self.site_id, self.site_url, self.site_aliases = site
        self.state = state
        self.index = index
        # The crawl's stats collector, from the moment the run starts (start_run).
        self.stats: StatsCollector | None = None
        self.known_urls = {url: known.post_id for url, known in state.posts.items()}
        self.run_id: int | None = None

    @classmethod
    def open(cls, archive: Archive, site_url: str, indexes: IndexCache | None = None,
             params: dedupe.Params | None = None) -> SiteWriter:
        """Register the site if it is new, and load what the crawl needs to know of it."""
        with archive.Session.begin() as session:
            index = (indexes or IndexCache()).get(session, archive.url, params or dedupe.Params())
            site = repo.get_or_add_site(session, site_url)
            facts = SiteFacts(site.id, site.url, tuple(site.aliases))
            state = load_site_state(session, site.id)
        return cls(archive, facts, state, index)

    @classmethod
    def for_crawler(cls, crawler: Crawler, site_url: str | None = None,
                    indexes: IndexCache | None = None) -> SiteWriter:
        """The one instance of a crawler, made by the spider from its settings and site URL
        (and the dedupe indexes of the command that runs it, where it shares them)."""
        existing = getattr(crawler, "site_writer", None)
        if existing is None:
            existing = cls.open(open_archive(crawler.settings.get("CIVIC_ARCHIVE_DB") or None),
                                site_url or crawler.spider.site_url, indexes)
            crawler.site_writer = existing  # type: ignore[attr-defined]
        return existing

    def start_run(self, stats: StatsCollector) -> None:
        """Record the run's start; the crawl counts what it stores into ``stats``."""
        self.stats = stats
        with self.archive.Session.begin() as session:
            abandoned = close_abandoned_runs(session, self.site_id)
            if abandoned:
                logger.warning("%s: %d earlier run(s) ended without finishing (killed); "
                               "this run picks up what they left", self.site_url, abandoned)
            self.run_id = repo.start_run(session, session.get_one(Site, self.site_id)).id

    def finish_run(self, status: str, stats: dict[str, Any]) -> None:
        with self.archive.Session.begin() as session:
            run = session.get_one(repo.CrawlRun, self.run_id)
            owed = owed_summary(crawl_state.owed_failures(session, self.site_id))
            repo.finish_run(session, run, status, {**stats, **owed})
        self.archive.dispose()

    def save_identity(self, name: str | None, description: str | None) -> None:
        """The blog's own name and description, as it states them (``--name`` still wins)."""
        with self.archive.Session.begin() as session:
            repo.set_site_identity(session, session.get_one(Site, self.site_id), name, description)

    def save_requisite(self, request: Request, response: Response) -> int:
        """Store a page requisite's response (its bytes once per digest); returns the capture id."""
        with self.archive.Session.begin() as session:
            capture = repo.record_requisite_capture(
                session, url=request.url, final_url=response.url, status=response.status,
                body=response.body, headers=header_lists(response.headers), site_id=self.site_id,
                run_id=self.run_id)
            session.flush()
            capture_id = capture.id
        self.stats.inc_value(run_stats.CAPTURES)
        return capture_id

    def link_requisites(self, post_urls: set[str], rows: list[dict[str, Any]]) -> bool:
        """Record a post's requisites; False while the post itself is not saved yet."""
        post_id = next((self.known_urls[u] for u in post_urls if u in self.known_urls), None)
        if post_id is None:
            return False
        with self.archive.Session.begin() as session:
            repo.set_post_requisites(session, session.get_one(Post, post_id), rows)
        return True

    def stored_requisites(self) -> dict[str, int]:
        with self.archive.Session() as session:
            return repo.stored_requisites(session, self.site_id)

    def record_failure(self, *, key: str, url: str, kind: str, callback: str, meta: dict,
                       reason: str) -> None:
        """File a URL whose answer was a failure as owed, in its own transaction."""
        with self.archive.Session.begin() as session:
            crawl_state.record_failure(session, self.site_id, self.run_id, key=key, url=url,
                                       kind=kind, callback=callback, meta=meta, reason=reason)

    def clear_failure(self, key: str) -> bool:
        """A URL owed from an earlier failure answered properly; ``True`` when it was owed."""
        with self.archive.Session.begin() as session:
            return crawl_state.clear_failure(session, self.site_id, key)

    def save_capture(self, request: Request, response: Response) -> None:
        headers = header_lists(response.headers)
        redirects = request.meta.get("redirect_urls") or [request.url]
        with self.archive.Session.begin() as session:
            repo.record_capture(session, url=redirects[0], final_url=response.url,
                                status=response.status, body=response.body, headers=headers,
                                site_id=self.site_id, run_id=self.run_id)
        self.stats.inc_value(run_stats.CAPTURES)

    def save(self, item: PostItem | AliasItem | GoneItem) -> Outcome:
        """Store one item in its own transaction; returns what happened (new, changed…)."""
        if isinstance(item, PostItem):
            outcome = self._save_post(item)
        elif isinstance(item, AliasItem):
            outcome = self._save_alias(item)
        else:
            outcome = self._save_gone(item)
        self.stats.inc_value(run_stats.outcome_key(outcome))
        return outcome

    def _save_post(self, item: PostItem) -> Outcome:
        routes = sorted(item.routes) or ["link"]
        aliases = [(item.post.url, r) for r in routes] + item.aliases
        with self.archive.Session.begin() as session:
            site = session.get_one(Site, self.site_id)
            site.platform = site.platform or item.post.platform
            result = matching.save_post(session, site, item.post, self.index,
                                        found_via=routes[0], aliases=aliases)
            if result.links is not None:
                self.stats.inc_value(run_stats.DUPLICATES, int(result.links.duplicates > 0))
                self.stats.inc_value(run_stats.RELATED, result.links.related)
            for url in [u.url for u in result.post.urls]:
                self.known_urls[url] = result.post.id
        return Outcome(result.outcome)

    def _save_alias(self, item: AliasItem) -> Outcome:
        post_id = self.known_urls.get(normalize_url(item.url))
        if post_id is None:
            return Outcome.ALIAS_UNKNOWN
        with self.archive.Session.begin() as session:
            repo.add_aliases(session, session.get_one(Post, post_id), [(item.url, item.route)])
        return Outcome.ALIAS

    def _save_gone(self, item: GoneItem) -> Outcome:
        post_id = self.known_urls.get(normalize_url(item.url))
        if post_id is None:
            return Outcome.GONE_UNKNOWN
        with self.archive.Session.begin() as session:
            repo.mark_gone(session, session.get_one(Post, post_id))
        return Outcome.GONE


"""Recrawl policy: which known addresses need fetching again. Pure, given the archive's state."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from urllib.parse import urljoin

from crawler.faults import runs_to_wait
from storage.crawl_state import OwedUrl, SiteState
from storage.urls import normalize_url


def parse_when(value: object) -> datetime | None:
    """A sitemap ``lastmod`` or REST ``modified_gmt`` as an aware datetime (UTC when no zone)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


class Freshness:
    """Decides, for an incremental crawl, whether an address must be fetched.

    :param state: what the archive knew when the crawl started.
    :param full: ``--full``: fetch everything again (conditional GETs still apply).
    """

    def __init__(self, state: SiteState, full: bool = False,
                 reprobe_after: timedelta = timedelta(days=30)) -> None:
        self.state = state
        self.full = full
        self.reprobe_after = reprobe_after
        # Listings are walked again in a full crawl, and after a run that did not finish:
        # pages it captured may never have had their links followed.
        self.rewalk = full or state.last_run_status not in (None, "finished")

    def owed_due(self) -> dict[str, OwedUrl]:
        """URLs that failed before and are asked for again this run (all of them with ``--full``)."""
        return {key: owed for key, owed in self.state.owed.items()
                if self.full or owed.runs_since >= runs_to_wait(owed.failures)}

    def waiting(self, key: str) -> bool:
        """A URL that keeps failing and sits this run out (backoff across runs)."""
        owed = self.state.owed.get(key)
        return owed is not None and not self.full and owed.runs_since < runs_to_wait(owed.failures)

    def post_needs_fetch(self, key: str, changed_at: datetime | None) -> bool:
        """A known post is fetched again when a route says it changed since we stored it,
        when it was gone (it may be back), or when its last fetch failed."""
        known = self.state.posts.get(key)
        if self.full or known is None or known.status != "live" or key in self.state.owed:
            return True
        if changed_at is None:
            return False
        return known.modified is None or changed_at > known.modified

    def page_needs_fetch(self, key: str) -> bool:
        """An address that is not a known post (listing, archive, static page): only fetched
        again in a full crawl, or when it failed last time (an error, an empty or garbage body)."""
        page = self.state.pages.get(key)
        return self.rewalk or page is None or page.status >= 400 or key in self.state.owed

    def probe_needed(self, key: str, others: Iterable[str] = (),
                     now: datetime | None = None) -> bool:
        """A guessed location (``sitemap.xml`` beside ``wp-sitemap.xml``) is asked again unless,
        less than ``reprobe_after`` ago, it answered 404/410 or redirected to one of ``others``
        (guessed too, so asked anyway: WordPress sends ``sitemap.xml`` to ``wp-sitemap.xml``).
        Always with ``--full``."""
        page = self.state.pages.get(key)
        if self.full or page is None:
            return True
        redirected = (300 <= page.status < 400 and page.location is not None
                      and normalize_url(urljoin(key, page.location)) in set(others))
        if page.status not in (404, 410) and not redirected:
            return True
        return (now or datetime.now(timezone.utc)) - page.fetched_at >= self.reprobe_after

    def conditional_headers(self, key: str) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` from the last capture, where it had them."""
        page = self.state.pages.get(key)
        if page is None or page.status != 200 or key in self.state.owed:
            return {}  # an owed URL's last 200 may be the garbage: ask for the whole page
        headers = {}
        if page.etag:
            headers["If-None-Match"] = page.etag
        if page.last_modified:
            headers["If-Modified-Since"] = page.last_modified
        return headers

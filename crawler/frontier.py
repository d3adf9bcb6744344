"""What the crawl has seen and asked for, and what to do with the next address. Pure.

The spider routes responses; the :class:`Frontier` decides. Given an address a route named
(the sitemap, a feed, the REST API, a listing, a link), it says whether to fetch it, record
the route as another way to the post, or skip it and why — from what this run has seen and
what the archive knew when the run began (:class:`crawler.freshness.Freshness`). It holds no
Scrapy objects and does no I/O, so every rule is tested on plain values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from crawler.freshness import Freshness

# Routes by which the blog itself names a post (a link alone does not).
NAMING_ROUTES = frozenset({"sitemap", "feed", "rest", "listing", "comments", "recheck"})


class Skip(StrEnum):
    """Why an address named by a route is not fetched (counted as ``skipped/<reason>``)."""

    UNCHANGED = "unchanged"  # a known post no route says changed
    OWED_BACKOFF = "owed_backoff"  # keeps failing: sits this run out
    KNOWN_PAGE = "known_page"  # captured before without becoming a post


@dataclass(frozen=True)
class Decision:
    """What to do with one named address; any combination of the three may hold."""

    fetch: bool = False
    #: Record the route as another way to the (archived or known) post.
    alias: bool = False
    skipped: Skip | None = None
    #: Fetch again although asked for before (a trap-chain page a route now names).
    refetch: bool = False
    #: Send ``If-None-Match``/``If-Modified-Since`` from the last capture.
    conditional: bool = False


class Frontier:
    """One site's crawl state for one run."""

    def __init__(self, freshness: Freshness) -> None:
        self.freshness = freshness
        #: Every route that named each address (normal form).
        self.routes: defaultdict[str, set[str]] = defaultdict(set)
        #: Addresses archived as posts in this run.
        self.archived: set[str] = set()
        #: Addresses asked for as posts or links.
        self.requested: set[str] = set()
        #: Addresses whose page was read and was not a post.
        self.not_posts: set[str] = set()
        #: Pages taken for trap-chain pages; a route naming one later gets it fetched again.
        self.chain_pages: set[str] = set()
        self._links_seen: set[str] = set()
        self._feed_seen: set[str] = set()
        self._listed: dict[str, set[str]] = defaultdict(set)

    def decide(self, key: str, route: str, changed_at: datetime | None = None) -> Decision:
        """What to do with ``key`` (a normalized URL) that ``route`` names.

        In an incremental crawl a known post is fetched only when a route says it changed
        (sitemap ``lastmod``, REST ``modified``); a known non-post page is not fetched again.
        """
        new_route = route not in self.routes[key]
        self.routes[key].add(route)
        known = self.freshness.state.posts.get(key)
        if key in self.archived or (known and not self.freshness.post_needs_fetch(key, changed_at)):
            unchanged = known and key not in self.archived and len(self.routes[key]) == 1
            return Decision(alias=new_route and (key in self.archived or route not in known.routes),
                            skipped=Skip.UNCHANGED if unchanged else None)
        refetch = key in self.chain_pages and route in NAMING_ROUTES
        if key in self.requested and not refetch:
            return Decision()  # already on its way; the page reads every route on arrival
        if self.freshness.waiting(key):
            return Decision(skipped=Skip.OWED_BACKOFF)
        if not known and not self.freshness.page_needs_fetch(key):
            return Decision(skipped=Skip.KNOWN_PAGE)
        self.requested.add(key)
        self.chain_pages.discard(key)
        return Decision(fetch=True, refetch=refetch, conditional=known is not None)

    def claim(self, key: str) -> bool:
        """Ask for ``key`` outside :meth:`decide` (an owed URL, a post with new comments):
        ``False`` when it was asked for already."""
        if key in self.requested:
            return False
        self.requested.add(key)
        return True

    def note_listed(self, key: str, kind: str | None) -> None:
        """A sitemap that lists only posts (``"post"``) or only pages (``"page"``) named ``key``."""
        if kind:
            self._listed[key].add(kind)

    def listed_as(self, keys: Iterable[str]) -> str | None:
        """What the blog's own lists call the page at ``keys``: ``"post"`` when a feed or a
        sitemap of posts names it, ``"page"`` when only a sitemap of pages does."""
        keys = list(keys)
        kinds = set().union(*(self._listed.get(k, set()) for k in keys))
        if "post" in kinds or "feed" in self.routes_of(keys):
            return "post"
        return "page" if "page" in kinds else None

    def routes_of(self, keys: Iterable[str]) -> set[str]:
        """Every route that named any of ``keys``."""
        return set().union(*(self.routes.get(k, set()) for k in keys))

    def named(self, keys: Iterable[str]) -> bool:
        """Whether the blog itself named any of ``keys`` as a post."""
        return any(self.routes.get(k, set()) & NAMING_ROUTES for k in keys)

    def first_sight(self, url: str) -> bool:
        """``True`` the first time a link to ``url`` is looked at in this run: every page
        repeats the same navigation, so each address is looked at once."""
        if url in self._links_seen:
            return False
        self._links_seen.add(url)
        return True

    def new_in_feed(self, keys: Iterable[str]) -> list[str]:
        """The feed items not seen on an earlier feed page (engines that ignore ``?paged=``
        repeat page 1)."""
        new = [k for k in dict.fromkeys(keys) if k not in self._feed_seen]
        self._feed_seen.update(new)
        return new

"""Pages paired with their WordPress REST records and feed items, in any order. Pure.

A WordPress post reaches the crawl twice: as its HTML page and as a record of the REST API
(``/wp-json/wp/v2/posts``), whose author and term IDs are named by other REST pages (users,
categories, tags). :func:`crawler.pages.merge.merge_post` merges a page with a record; this
module keeps what has arrived so far and merges again when a missing part comes, so the
archived post never depends on which answer came first. A feed item's content is the last
resort for a body the page object read empty or far too short, on any engine
(:func:`crawler.pages.merge.merge_feed_body`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from crawler import discovery
from crawler.items import Post, PostItem
from crawler.pages import extract_feed_body, extract_rest_post
from crawler.pages.merge import merge_feed_body, merge_post
from crawler.pages.rest import names_pending


# Only a body of fewer words than this is compared with its feed item (which replaces it when
# the item has over twice its words): longer bodies are kept, so most feed items are never
# parsed, and a short page waits for a feed item arriving after it.
KEEP_SHORT_WORDS = 300


def _short(post: Post) -> bool:
    return len(post.text.split()) < KEEP_SHORT_WORDS


def protected(record: dict) -> bool:
    """A password-protected post: its record holds no readable content."""
    content = record.get("content")
    return isinstance(content, dict) and bool(content.get("protected"))


class RestPairing:
    """One site's REST records and the pages waiting for them.

    :param routes_of: every route that named a set of addresses (the frontier's), so a post
        merged again keeps the routes found since.
    """

    def __init__(self, routes_of: Callable[[Iterable[str]], set[str]]) -> None:
        self._routes_of = routes_of
        self.records: dict[str, dict] = {}
        self.terms: dict[str, dict[int, dict]] = {kind: {} for kind in discovery.REST_TAXONOMIES}
        # Kinds whose REST pages are still on their way: until they are in, a page merged with
        # its record may lack names it will have later.
        self.loading: set[str] = set(discovery.REST_TAXONOMIES)
        # WordPress pages merged before their record (or its names) arrived: merged again then.
        self._waiting: dict[str, tuple[Post, PostItem]] = {}
        # Feed items' HTML, read into a body only for a page short enough to need it.
        self._feed_html: dict[str, str] = {}
        self._feed_bodies: dict[str, Post] = {}
        # Pages short enough that a feed item arriving later could still give a longer body.
        self._short: dict[str, tuple[Post, PostItem]] = {}

    def record(self, keys: Iterable[str]) -> dict | None:
        """The REST record of the post at any of these addresses, if the API listed it."""
        return next((self.records[k] for k in keys if k in self.records), None)

    def add_terms(self, kind: str, items: Iterable[dict], last: bool) -> Iterator[PostItem]:
        """Names of one REST page of ``kind`` (users, categories, tags); with ``last``, no
        more of that kind will come. Yields the posts that can now be merged."""
        for item in items:
            if isinstance(item.get("id"), int):
                self.terms[kind][item["id"]] = item
        if last:
            self.loading.discard(kind)
        yield from self._late_merges()

    def add_record(self, key: str, record: dict) -> PostItem | None:
        """A post's REST record; the post again if its page was archived before it."""
        self.records[key] = record
        return self._late(key, record)

    def add_feed_item(self, key: str, content_html: str) -> PostItem | None:
        """A feed item's content for the post at ``key``; the post again if its page was
        archived before with a body this content makes look short."""
        if not content_html.strip() or key in self._feed_html:
            return None
        self._feed_html[key] = content_html
        page, earlier = self._short.get(key, (None, None))
        if page is None:
            return None
        post = self._with_feed(earlier.post, [key])
        if post is earlier.post:
            return None
        for other in [k for k, v in self._short.items() if v[0] is page]:
            del self._short[other]
        return PostItem(post=post, routes=earlier.routes | self._routes_of([key]),
                        aliases=earlier.aliases)

    def merge(self, page: Post, keys: set[str], routes: set[str],
              aliases: list[tuple[str, str]]) -> PostItem:
        """The post a page shows, merged with its REST record and feed item where here."""
        rest = self.record(keys)
        post = self._with_feed(merge_post(
            page, extract_rest_post(rest, self.terms) if rest is not None else None), keys)
        item = PostItem(post=post, routes=routes, aliases=aliases)
        if post.platform == "wordpress" and (
                rest is None or names_pending(rest, self.terms, self.loading)):
            self._waiting.update(dict.fromkeys(keys, (page, item)))
        if _short(post) and not any(k in self._feed_html for k in keys):
            self._short.update(dict.fromkeys(keys, (page, item)))
        return item

    def _with_feed(self, post: Post, keys: Iterable[str]) -> Post:
        """``post`` with its feed item's body where its own is short and falls short of it."""
        key = next((k for k in keys if k in self._feed_html), None) if _short(post) else None
        if key is None:
            return post
        if key not in self._feed_bodies:
            self._feed_bodies[key] = extract_feed_body(key, self._feed_html[key])
        return merge_feed_body(post, self._feed_bodies[key])

    def from_record(self, key: str, record: dict) -> PostItem:
        """A post whose page was fetched but not recognised as a post, from its REST record."""
        post = merge_post(None, extract_rest_post(record, self.terms))
        post.url = key
        return PostItem(post=post, routes=self._routes_of([key]) | {"rest"})

    def _late_merges(self) -> Iterator[PostItem]:
        for key in [k for k in self._waiting if k in self.records]:
            late = self._late(key, self.records[key])
            if late is not None:
                yield late

    def _late(self, key: str, record: dict) -> PostItem | None:
        page, earlier = self._waiting.get(key, (None, None))
        if page is None or names_pending(record, self.terms, self.loading):
            return None
        for other in [k for k, v in self._waiting.items() if v[0] is page]:
            del self._waiting[other]
        if protected(record):
            return None
        post = self._with_feed(merge_post(page, extract_rest_post(record, self.terms)), [key])
        item = PostItem(post=post, routes=earlier.routes | self._routes_of([key]) | {"rest"},
                        aliases=earlier.aliases)
        for other in [k for k, v in self._short.items() if v[0] is page]:
            self._short[other] = (page, item)  # a feed item arriving later starts from this
        return item

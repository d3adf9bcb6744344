"""Pure parsers for the discovery routes: robots.txt, sitemaps, feeds and the REST API index."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree
from scrapy.utils.sitemap import Sitemap

from storage.headers import header

logger = logging.getLogger(__name__)

# Where blogs keep sitemaps when robots.txt does not say: WordPress core first.
SITEMAP_PATHS = ("wp-sitemap.xml", "sitemap_index.xml", "sitemap.xml")
FEED_PATHS = ("feed/",)
COMMENTS_FEED = "comments/feed/"
REST_POSTS = "wp-json/wp/v2/posts?per_page=100&page={page}"
REST_TAXONOMIES = {
    "users": "wp-json/wp/v2/users?per_page=100&page={page}",
    "categories": "wp-json/wp/v2/categories?per_page=100&page={page}",
    "tags": "wp-json/wp/v2/tags?per_page=100&page={page}",
}


def robots_sitemaps(body: str) -> list[str]:
    """The URLs of ``Sitemap:`` lines (case-insensitive, as crawlers read them)."""
    found = []
    for line in body.splitlines():
        name, sep, value = line.partition(":")
        if sep and name.strip().lower() == "sitemap" and value.strip():
            found.append(value.strip())
    return found


@dataclass
class SitemapEntries:
    sitemaps: list[str] = field(default_factory=list)
    pages: list[tuple[str, str | None]] = field(default_factory=list)  # (url, lastmod)


def parse_sitemap(body: bytes) -> SitemapEntries:
    """Child sitemaps of an index, or page URLs with ``lastmod`` of a urlset.

    :raises ValueError: when the body is not a sitemap.
    """
    try:
        sitemap = Sitemap(body)
    # An empty or unparseable body ends lxml's event stream before the root element.
    except (etree.XMLSyntaxError, ValueError, AttributeError, StopIteration) as exc:
        raise ValueError(f"not a sitemap: {exc}") from None
    if sitemap.type not in ("sitemapindex", "urlset"):
        raise ValueError(f"not a sitemap: root element {sitemap.type!r}")
    entries = SitemapEntries()
    for entry in sitemap:
        loc = entry.get("loc")
        if not loc:
            continue
        if sitemap.type == "sitemapindex":
            entries.sitemaps.append(loc)
        else:
            entries.pages.append((loc, entry.get("lastmod")))
    return entries


# Sitemap files that list one content type, as WordPress core (``wp-sitemap-posts-post-1.xml``,
# ``wp-sitemap-posts-page-1.xml``), Yoast and Rank Math (``post-sitemap.xml``,
# ``page-sitemap2.xml``) and other generators (``sitemap-posts.xml``, ``pages-sitemap.xml``)
# name them.
_CORE_SITEMAP = re.compile(r"-posts-([a-z0-9_]+)-\d+\.xml$")
_TYPED_SITEMAP = re.compile(r"^(post|page)s?[-_]sitemap\d*\.xml$|[-_]sitemap[-_](post|page)s?\d*\.xml$"
                            r"|^sitemap[-_](post|page)s?\d*\.xml$")


def sitemap_lists(url: str) -> str | None:
    """``"post"`` or ``"page"`` when the sitemap file's name says it lists only posts or only
    (static) pages; ``None`` for sitemaps of everything, of terms, or of other types."""
    name = url.rsplit("/", 1)[-1].split("?", 1)[0].lower()
    core = _CORE_SITEMAP.search(name)
    if core:
        return core.group(1) if core.group(1) in ("post", "page") else None
    typed = _TYPED_SITEMAP.search(name)
    return next((g for g in typed.groups() if g), None) if typed else None


def feed_links(body: bytes) -> list[str]:
    """Item links of an RSS 2.0 or Atom feed.

    :raises ValueError: when the body is not a feed.
    """
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not a feed: {exc}") from None
    if root is None:
        raise ValueError("not a feed: empty document")
    tag = etree.QName(root).localname
    if tag == "rss":
        return [link.strip() for link in root.xpath("/rss/channel/item/link/text()") if link.strip()]
    if tag == "feed":
        atom = {"a": "http://www.w3.org/2005/Atom"}
        links = root.xpath("a:entry/a:link[not(@rel) or @rel='alternate']/@href", namespaces=atom)
        return [str(link) for link in links]
    raise ValueError(f"not a feed: root element {tag!r}")


def feed_hrefs(html: str) -> list[str]:
    """The ``<link rel="alternate">`` RSS/Atom feeds a page announces (feed autodiscovery)."""
    try:
        root = etree.fromstring(html.encode("utf-8", "replace"), parser=etree.HTMLParser())
    except (etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    return [str(h) for h in root.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
        "[contains(@type, 'rss') or contains(@type, 'atom')]/@href")]


def rest_items(body: bytes) -> list[dict]:
    """The objects of a WordPress REST collection page.

    :raises ValueError: when the body is not a JSON list (an error object, an HTML page).
    """
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(data, list):
        raise ValueError(f"not a REST collection: {str(data)[:80]}")
    return [item for item in data if isinstance(item, dict)]


def rest_total_pages(headers: Mapping[str, str]) -> int:
    """The REST collection's page count (``X-WP-TotalPages``; Scrapy spells it
    ``X-Wp-Totalpages``, so looked up case-insensitively)."""
    try:
        return int(header(headers, "X-WP-TotalPages") or "1")
    except ValueError:
        return 1

"""Signals that tell a post from a listing or a static page on any engine.

A page is a **listing** when its address is an archive's (pagination, term, date, author,
search), when its JSON-LD calls it a collection, when it links to further pages of itself,
or when it shows repeated entry blocks that link to post-like permalinks. A page with none of
a post's marks (an Article in JSON-LD, ``og:type=article``, an ``h-entry`` with a date, a
publication date of its own, a dated permalink) is a **static page**.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .metadata import absolute

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from lxml.html import HtmlElement

# Path segments that name an archive, never a post: /tag/x/, /tags/x/, /category/x/,
# /categories/x/, /author/x/, /search/…, /label/x (Blogger), /archive(s)/ with a date or nothing.
_TERM_SEGMENTS = {"tag", "tags", "category", "categories", "topic", "topics", "label", "labels",
                  "author", "authors", "search", "series"}
_PAGE_N = re.compile(r"/page/?\d+/?$", re.IGNORECASE)
_PAGE_QUERY = re.compile(r"(?:^|&)(?:paged?|page_?no)=\d+", re.IGNORECASE)
_ARCHIVES = re.compile(r"^/(?:[\w-]+/)*archives?(?:/\d{4}(?:/\d{1,2}){0,2})?/?$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^/(?:[\w-]+/)*\d{4}(?:/\d{1,2}){0,2}/?$")
_STATIC_PREFIX = re.compile(r"^/pages?/(?!\d+/?$)[\w-]+", re.IGNORECASE)
LISTING_LD_TYPES = frozenset({"CollectionPage", "Blog", "ItemList", "SearchResultsPage",
                              "ProfilePage"})
# Class/id words of containers that list other posts beside the page's own content.
_WIDGET = re.compile(r"(?:^|[-_ ])(?:aside|sidebar|widgets?|related|recent|popular|footer|menu|nav|"
                     r"toc|breadcrumbs?)(?:$|[-_ ])", re.IGNORECASE)
_DATED_PERMALINK = re.compile(r"/(?:19|20)\d{2}/\d{1,2}/(?:\d{1,2}/)?[^/]*[a-z][^/]*", re.IGNORECASE)


def is_dated_permalink(url: str) -> bool:
    """``/2025/03/budget-night.html``: a year and month before a slug, as blog engines date posts."""
    return bool(_DATED_PERMALINK.search(urlsplit(url).path))


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def archive_reason(url: str) -> str | None:
    """Why an address is an archive's (``"pagination"``, ``"term archive"``…), else ``None``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if _PAGE_N.search(path) or _PAGE_QUERY.search(parts.query):
        return "pagination"
    segments = [s.lower() for s in _segments(url)]
    if any(s in _TERM_SEGMENTS for s in segments[:-1] or segments[:1]) and not _DATED_PERMALINK.search(path):
        return "term archive"
    if _ARCHIVES.match(path):
        return "archive"
    if _DATE_ONLY.match(path):
        return "date archive"
    if re.search(r"(?:^|&)s=", parts.query):
        return "search"
    return None


def is_static_path(url: str) -> bool:
    """``/pages/about/``: engines that keep static pages apart from posts by folder."""
    return bool(_STATIC_PREFIX.match(urlsplit(url).path))


def post_like(link: str, page_url: str) -> bool:
    """A link that may be a post's permalink: same site, not an archive, not the home page."""
    target, here = urlsplit(link), urlsplit(page_url)
    if target.netloc != here.netloc or not _segments(link):
        return False
    if archive_reason(link) or link.rstrip("/") == page_url.rstrip("/").split("#")[0]:
        return False
    last = _segments(link)[-1]
    return bool(re.search(r"[a-z]", last, re.IGNORECASE)) and not last.lower().endswith(
        (".xml", ".rss", ".atom", ".jpg", ".png", ".gif", ".pdf", ".css", ".js"))


def _block_key(el: HtmlElement) -> tuple:
    return (el.getparent(), el.tag, el.get("class") or "")


def entry_permalinks(root: HtmlElement, url: str, own: Callable[[HtmlElement], bool]) -> list[str]:
    """Permalinks of repeated entry blocks: siblings of one kind, each with its own post link.

    Siblings sharing a parent, tag and class that each hold a heading or title link to a
    distinct post-like address are a list of entries (Jekyll's ``ul.post-list``, Hexo's
    index cards, MkDocs' ``article.md-post``). Menus and widgets in foreign containers
    (``own`` is false) do not count.
    """
    groups: dict[tuple, list[str]] = defaultdict(list)
    for anchor in root.iter("a"):
        link = absolute(url, anchor.get("href"))
        if (not link or not post_like(link, url) or not _is_title_link(anchor) or not own(anchor)
                or _in_widget(anchor)):
            continue
        block = _entry_block(anchor)
        if block is not None:
            groups[_block_key(block)].append(link)
    best: list[str] = []
    for links in groups.values():
        distinct = list(dict.fromkeys(links))
        if len(distinct) >= 2 and len(distinct) > len(best):
            best = distinct
    return best


def _in_widget(anchor: HtmlElement) -> bool:
    return any(_WIDGET.search(f"{el.get('class') or ''} {el.get('id') or ''}")
               for el in anchor.iterancestors())


def _is_title_link(anchor: HtmlElement) -> bool:
    """A link that is an entry's title: in a heading, holding one, or classed as a title."""
    if any(a.tag in ("h1", "h2", "h3", "h4") for a in anchor.iterancestors()):
        return True
    if any(el.tag in ("h1", "h2", "h3", "h4") for el in anchor.iter()):
        return True
    return bool(re.search(r"title|post-link|entry-link", anchor.get("class") or "", re.IGNORECASE))


def _entry_block(anchor: HtmlElement) -> HtmlElement | None:
    """The nearest ancestor that has siblings of its own kind: the entry's block."""
    el = anchor
    for _ in range(8):
        parent = el.getparent()
        if parent is None:
            return None
        key = (el.tag, el.get("class") or "")
        if sum(1 for s in parent if (s.tag, s.get("class") or "") == key) >= 2:
            return el
        el = parent
    return None


def ld_types(objects: Iterable[dict]) -> set[str]:
    found: set[str] = set()
    for obj in objects:
        kind = obj.get("@type")
        found.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
    return found


def pagination_links(root: HtmlElement, url: str) -> list[str]:
    """Links (and ``<link rel=next/prev>``) to other numbered pages of this page's listing."""
    found = []
    for el in root.iter("a", "link"):
        href = absolute(url, el.get("href"))
        if href and href != url and archive_reason(href) == "pagination":
            found.append(href)
        elif href and el.tag == "link" and set((el.get("rel") or "").lower().split()) & {"next", "prev"} \
                and archive_reason(href) in ("pagination",):
            found.append(href)
    return list(dict.fromkeys(found))

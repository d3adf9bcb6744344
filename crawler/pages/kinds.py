"""Signals that tell a post from a listing or a static page on any engine.

A page is a **listing** when its address is an archive's (pagination, term, date, author,
search), when its JSON-LD calls it a collection, when it links to further pages of itself,
or when most of its text is repeated entry blocks that link to post-like permalinks. A page that has no
date of its own and says it is no article (``og:type=website``, a ``WebPage`` JSON-LD, a
documentation generator, a ``/pages/`` address, a microformats2 page that is no ``h-entry``) is a
**static page**.
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
# ``?paged=N`` is WordPress's listing pagination; ``?page=N`` is as often an article's own pages.
_PAGE_QUERY = re.compile(r"(?:^|&)paged=\d+", re.IGNORECASE)
_ARCHIVES = re.compile(r"^/(?:[\w-]+/)*archives?(?:/\d{4}(?:/\d{1,2}){0,2})?/?$", re.IGNORECASE)
_DATE_ONLY = re.compile(r"^/(?:[\w-]+/)*(?:19|20)\d{2}(?:/(?:0?[1-9]|1[0-2]))?(?:/(?:0?[1-9]|[12]\d|3[01]))?/?$")
_STATIC_PREFIX = re.compile(r"^/pages?/(?!\d+/?$)[\w-]+", re.IGNORECASE)
ENTRIES_MIN_SHARE = 0.3  # repeated entries holding less of the page's text are not its content
LISTING_LD_TYPES = frozenset({"CollectionPage", "Blog", "ItemList", "SearchResultsPage",
                              "ProfilePage"})
# Class/id words of containers that list other posts beside the page's own content.
_WIDGET = re.compile(r"(?:^|[-_ ])(?:aside|sidebar|widgets?|related|recent|popular|footer|menu|nav|"
                     r"toc|breadcrumbs?)(?:$|[-_ ])", re.IGNORECASE)
STATIC_LD_TYPES = frozenset({"WebPage", "AboutPage", "ContactPage", "FAQPage", "CheckoutPage"})
# Documentation generators: their pages are documentation; a blog plugin's posts carry dates.
DOCS_GENERATOR = re.compile(r"\b(mkdocs|sphinx|docusaurus|gitbook|vuepress|vitepress|docfx|jsdoc)\b",
                            re.IGNORECASE)
# Microformats2 root classes (h-card, h-feed…); the classes that mark an entry or one of its
# properties (a ``p-author h-card`` byline belongs to an entry even when no element says h-entry);
# and property classes, which make a root a nested value rather than the page's own item.
_MF2_ROOT = re.compile(r"(?:^|\s)h-(?:card|entry|feed|event|cite|review|recipe|product|adr|geo)(?:\s|$)")
_ENTRY_MARK = re.compile(r"(?:^|\s)(?:h-entry|hentry|p-author|dt-published|e-content)(?:\s|$)")
_MF2_PROPERTY = re.compile(r"(?:^|\s)(?:p|u|dt|e)-[a-z]")
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


def microformats_without_entry(root: HtmlElement, own: Callable[[HtmlElement], bool]) -> bool:
    """The page speaks microformats2 (a top-level ``h-card``, an ``h-feed``…) but marks no entry.

    Sites that publish microformats mark every post as an ``h-entry`` (hAtom ``hentry`` on older
    themes), since that is how feed readers and webmentions find posts; a page of such a site
    that is no entry, and has none of an entry's properties, is one of its pages. Entries in
    foreign containers (a sidebar's recent posts) are not the page's own; a root that is a
    property (a ``p-author h-card``) says nothing about the site.
    """
    speaks = False
    for el in root.iter():
        classes = el.get("class") if isinstance(el.tag, str) else None
        if not classes:
            continue
        if _ENTRY_MARK.search(classes) and own(el):
            return False
        speaks = speaks or bool(_MF2_ROOT.search(classes) and not _MF2_PROPERTY.search(classes))
    return speaks


def ld_types(objects: Iterable[dict]) -> set[str]:
    found: set[str] = set()
    for obj in objects:
        kind = obj.get("@type")
        found.update(kind if isinstance(kind, list) else [kind] if isinstance(kind, str) else [])
    return found


def website_ld_for(objects: Iterable[dict], url: str) -> bool:
    """A ``WebSite`` JSON-LD whose ``url`` is this page and not the site's root.

    Sites describe themselves with a ``WebSite`` at their root on every page; one that
    names this very page calls the page part of the site, not an article.
    """
    page = url.split("#")[0].rstrip("/")
    if not _segments(url):
        return False
    return any("WebSite" in ld_types([obj]) and isinstance(obj.get("url"), str)
               and obj["url"].split("#")[0].rstrip("/") == page for obj in objects)


def listing_base(url: str) -> str:
    """A listing address without its page number: ``/tags/x/page/2/`` → ``/tags/x/``."""
    parts = urlsplit(url)
    path = re.sub(r"/page/?\d+/?$", "/", parts.path or "/", flags=re.IGNORECASE)
    return f"{parts.netloc}{path.rstrip('/') or '/'}"


def pagination_links(root: HtmlElement, url: str) -> list[str]:
    """Links (``<a>`` or ``<link rel=next/prev>``) to other numbered pages of this very page.

    A link to ``/page/2/`` counts only from the listing it continues (``/`` or ``/page/3/``):
    an article linking to the home page's second page is not paginated itself.
    """
    base = listing_base(url)
    found = []
    for el in root.iter("a", "link"):
        href = absolute(url, el.get("href"))
        if href and href != url and archive_reason(href) == "pagination" and listing_base(href) == base:
            found.append(href)
    return list(dict.fromkeys(found))


def entries_share(root: HtmlElement, links: list[str], url: str) -> float:
    """Share of the page's text held by the blocks of its repeated entries.

    A listing is mostly its entries; an article with two linked headings (a "related" pair,
    a site's section links) is mostly its own prose.
    """
    wanted = set(links)
    blocks = {}
    for anchor in root.iter("a"):
        if absolute(url, anchor.get("href")) in wanted and _is_title_link(anchor):
            block = _entry_block(anchor)
            if block is not None:
                blocks[block] = None
    outer = [b for b in blocks if not any(a in blocks for a in b.iterancestors())]
    entry_text = sum(len(" ".join(" ".join(b.itertext()).split())) for b in outer)
    body = root.find("body")
    total = len(" ".join(" ".join((body if body is not None else root).itertext()).split()))
    return entry_text / total if total else 0.0

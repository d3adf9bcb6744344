"""Listing pages: the permalinks of the posts they show and their pagination links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..items import Listing
from . import selectors as S
from .furniture import css, outermost
from .metadata import absolute, first_match
from .text import node_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def post_blocks(root: HtmlElement) -> list[HtmlElement]:
    """Post blocks of the first item selector that matches, outermost only."""
    for selector in S.LISTING_ITEMS:
        found = outermost(css(selector)(root))
        if found:
            return found
    return []


def permalink(block: HtmlElement, url: str) -> str | None:
    """A post block's own address: its title link, else its ``rel=bookmark`` link."""
    link = first_match(block, S.PERMALINK)
    return absolute(url, link.get("href")) if link is not None else None


def permalinks(root: HtmlElement, url: str) -> list[str]:
    """Distinct permalinks of the post blocks on the page, in page order."""
    found = (permalink(block, url) for block in post_blocks(root))
    return list(dict.fromkeys(link for link in found if link and link != url))


def _pagination_anchors(root: HtmlElement) -> list[HtmlElement]:
    """Links that lead to further pages of the same listing."""
    anchors = [el for selector in S.NEXT_PAGE for el in css(selector)(root)]
    anchors.extend(a for a in root.iter("a")
                   if S.PAGE_URL.search(a.get("href") or "") or S.NEXT_PAGE_TEXT.match(node_text(a)))
    return anchors


def next_pages(root: HtmlElement, url: str) -> list[str]:
    """Pagination addresses (rel=next, "Older posts", ``/page/N/``, ``?paged=N``), in order."""
    found = (absolute(url, el.get("href")) for el in _pagination_anchors(root))
    return list(dict.fromkeys(link for link in found if link and link != url))


def extract_listing(root: HtmlElement, url: str) -> Listing:
    """The :class:`Listing` item for a home, archive, search or author page."""
    return Listing(url=url, permalinks=permalinks(root, url), next_pages=next_pages(root, url))

"""Whether a page's own markup says it is an article (not merely a page with some text)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawler.pages import page_for
from crawler.pages.decode import parse_html, to_text

if TYPE_CHECKING:
    from collections.abc import Mapping

# Microformats and theme classes that mark one entry: hAtom/h-entry, WordPress's post classes.
_ENTRY = ("//article[contains(concat(' ', normalize-space(@class), ' '), ' hentry ')"
          " or contains(concat(' ', normalize-space(@class), ' '), ' h-entry ')"
          " or contains(concat(' ', normalize-space(@class), ' '), ' type-post ')]")


def says_post(url: str, body: bytes | str, headers: Mapping[str, str] | None = None) -> bool:
    """JSON-LD article types, ``og:type=article``, ``article:published_time``, a platform
    post ID or an h-entry/hentry article: evidence that the blog itself calls this a post."""
    root = parse_html(to_text(body, headers, url), url)
    if root is None:
        return False
    page = page_for(url, root)
    meta = page.meta
    return bool(page.ld or meta.get("og:type", "").lower() == "article"
                or meta.get("article:published_time") or page.platform_id() or root.xpath(_ENTRY))

"""Page objects: (url, html) → Post | Listing | NotAPost, offline and pure.

``extract`` never raises: undecodable, empty or non-HTML bodies come back as ``NotAPost``
with a reason, and unexpected errors are logged with the URL.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..items import Listing, NotAPost, Post
from storage.headers import header

from .decode import parse_html, to_text
from .generic import GenericPage
from .rest import extract_rest_post
from .sanitize import html_sanitize
from .wordpress import WordPressPage, is_wordpress

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lxml.html import HtmlElement

__all__ = ["GenericPage", "WordPressPage", "article_text", "detect_platform", "extract",
           "extract_rest_post", "html_sanitize", "page_for"]

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/octet-stream")


def detect_platform(html: str | bytes | HtmlElement) -> str:
    """``"wordpress"`` (generator meta, wp-json link, wp-content assets) or ``"generic"``."""
    root = html if hasattr(html, "iter") else parse_html(to_text(html))
    return "wordpress" if root is not None and is_wordpress(root) else "generic"


def page_for(url: str, root: HtmlElement) -> GenericPage:
    """The page object for a parsed page: WordPress when it looks like WordPress."""
    return WordPressPage(url, root) if is_wordpress(root) else GenericPage(url, root)


def article_text(url: str, body: bytes | str, headers: Mapping[str, str] | None = None) -> str:
    """The main text of any page, as ``Post.text`` would have it, even for a listing.

    This is what the extraction benchmark measures; "" when there is no text. Never raises.
    """
    try:
        root = parse_html(to_text(body, headers, url), url)
        return page_for(url, root).text() if root is not None else ""
    except Exception:  # one bad page must not stop a run; the URL says which
        logger.exception("article extraction failed for %s", url)
        return ""


def _not_html_reason(body: bytes | str | None, headers: Mapping[str, str] | None) -> str | None:
    """Why a response cannot be an HTML page, or ``None`` when it may be one."""
    content_type = (header(headers, "content-type") or "").split(";")[0].strip().lower()
    if content_type and not content_type.startswith(_HTML_TYPES):
        return f"not HTML (content-type {content_type})"
    if not body or not body.strip():
        return "empty body"
    head = body[:1024]
    if isinstance(head, bytes) and (head.startswith(b"%PDF") or b"\x00" in head):
        return "not HTML (binary body)"
    return None


def extract(url: str, body: bytes | str, headers: Mapping[str, str] | None = None,
            listed_as: str | None = None) -> Post | Listing | NotAPost:
    """Classify and extract one page. Pure: no network, settings or database; never raises.

    :param listed_as: ``"post"`` when a route that lists only posts (a feed, a sitemap of
        posts) named this URL: a page the markup alone would call static is then a post;
        ``"page"`` when only a sitemap of pages did: a page the markup would call a post is
        then a static page. Listings, protected posts and pages without content stay what
        they are; WordPress's body classes are exact and win.
    """
    reason = _not_html_reason(body, headers)
    if reason:
        return NotAPost(url=url, reason=reason, not_html=True)
    try:
        root = parse_html(to_text(body, headers, url), url)
        if root is None or root.find("body") is None:
            return NotAPost(url=url, reason="no HTML document")
        return page_for(url, root).to_item(listed_as)
    except Exception as exc:  # one bad page must not stop a crawl; the URL says which
        logger.exception("extraction failed for %s", url)
        return NotAPost(url=url, reason=f"extraction error: {type(exc).__name__}")

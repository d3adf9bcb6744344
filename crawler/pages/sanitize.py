"""Sanitized body HTML: no scripts, styles, handlers, tracking pixels or foreign iframes."""

from __future__ import annotations

import copy
import html as html_lib
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import lxml.html
import nh3

from . import selectors as S
from .furniture import drop
from .metadata import absolute

if TYPE_CHECKING:
    from lxml.html import HtmlElement

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "iframe", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "audio", "video", "source",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"}, "abbr": {"title"}, "blockquote": {"cite"}, "q": {"cite"},
    "img": {"src", "alt", "title", "width", "height", "srcset"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}, "time": {"datetime"},
    "video": {"src", "controls", "poster", "width", "height"}, "audio": {"src", "controls"},
    "source": {"src", "type"},
}
_PLACEHOLDER = re.compile(r"^data:|placeholder|lazy|blank\.gif|spacer", re.IGNORECASE)


def _fix_lazy_image(img: HtmlElement) -> None:
    """Lazy-loading plugins keep the real address in ``data-src``; use it."""
    src = img.get("src", "")
    if not src or _PLACEHOLDER.search(src):
        real = next((img.get(a) for a in S.LAZY_SRC if img.get(a)), None)
        if real:
            img.set("src", real)
    srcset = next((img.get(a) for a in S.LAZY_SRCSET if img.get(a)), None)
    if srcset:
        img.set("srcset", srcset)


def _is_pixel(img: HtmlElement) -> bool:
    """A 1×1 (or 0×0) image or one served by a stats host: tracking, not content."""
    sizes = [img.get("width", ""), img.get("height", "")]
    if any(s.strip().rstrip("px") in ("0", "1") for s in sizes):
        return True
    src = img.get("src", "")
    return not src or src.startswith("data:") or any(host in src for host in S.PIXEL_HOSTS)


def _allowed_embed(src: str | None) -> bool:
    host = urlsplit(src or "").hostname or ""
    return any(host == h or host.endswith("." + h) for h in S.EMBED_HOSTS)


def prepare_media(node: HtmlElement, base_url: str) -> HtmlElement:
    """Resolve lazy images and relative URLs; drop pixels and foreign iframes (in place)."""
    for img in list(node.iter("img")):
        _fix_lazy_image(img)
        if _is_pixel(img):
            drop(img)
    if base_url:
        node.make_links_absolute(base_url, resolve_base_href=False, handle_failures="ignore")
    for frame in list(node.iter("iframe")):
        if not _allowed_embed(frame.get("src")):
            drop(frame)
    for el in list(node.iter("div", "span", "p")):
        if el is not node and len(el) == 0 and not (el.text or "").strip():
            if el.text and el.tag == "span":  # a space between two words, kept as one
                el.tail = " " + (el.tail or "")
            drop(el)  # spacers such as <div style="clear: both"></div>
    return node


_WRAPPERS = frozenset({"div", "section", "article", "main"})


def inner_html(node: HtmlElement) -> str:
    """Markup inside ``node``, descending through wrappers that hold a single element."""
    while (len(node) == 1 and not (node.text or "").strip() and node[0].tag in _WRAPPERS
           and not (node[0].tail or "").strip()):
        node = node[0]
    parts = [html_lib.escape(node.text or "", quote=False)]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in node)
    return "".join(parts)


def html_sanitize(fragment: HtmlElement | str, base_url: str = "") -> str:
    """Sanitized HTML of a content node or fragment, safe to store and display."""
    if isinstance(fragment, str):
        if not fragment.strip():
            return ""
        fragment = lxml.html.fragment_fromstring(fragment, create_parent="div")
    else:
        fragment = copy.deepcopy(fragment)
    prepare_media(fragment, base_url)
    raw = inner_html(fragment)
    cleaned = nh3.clean(raw, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        clean_content_tags={"script", "style", "noscript", "template", "svg"},
                        url_schemes={"http", "https", "mailto"}, link_rel=None)
    return cleaned.strip()


def links_and_images(node: HtmlElement, base_url: str) -> tuple[list[str], list[str]]:
    """Absolute http(s) links and image addresses in a prepared content node, in order."""
    links = (absolute(base_url, a.get("href")) for a in node.iter("a"))
    images = (absolute(base_url, img.get("src")) for img in node.iter("img"))
    return (list(dict.fromkeys(u for u in links if u)), list(dict.fromkeys(u for u in images if u)))

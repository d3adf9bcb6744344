"""Reader comments as separate records, with threading from nested reply lists."""

from __future__ import annotations

import copy
import logging
import re
from typing import TYPE_CHECKING

from ..items import Comment
from . import selectors as S
from .dates import parse_datetime
from .furniture import css, strip_furniture_text, strip_junk, strip_known
from .metadata import first_match, first_text
from .text import blocks

if TYPE_CHECKING:
    from datetime import tzinfo

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

# WordPress: li#comment-12 (li#li-comment-12 in Twenty Ten/Eleven); Blogger: li#c5550001.
_COMMENT_ID = re.compile(r"^(?:li-)?(comment-\d+)$|^(c\d+)$")


def comment_id(el: HtmlElement) -> str | None:
    """The platform's comment ID (``comment-12``, Blogger ``c5550001``) of a comment item."""
    for node in (el, *el.iterchildren()):
        match = _COMMENT_ID.match(node.get("id") or "")
        if match:
            return match.group(1) or match.group(2)
    return None


def _parent(el: HtmlElement, items: set) -> HtmlElement | None:
    """The comment this one replies to: the nearest enclosing comment item."""
    return next((a for a in el.iterancestors() if a in items), None)


def _own_part(el: HtmlElement) -> HtmlElement:
    """A copy of a comment item without its nested replies (``ul.children``)."""
    own = copy.deepcopy(el)
    for nested in css(".children, .comment-replies, .comment-thread-children")(own):
        nested.drop_tree()
    return own


def comment_text(own: HtmlElement) -> str:
    """The comment's words: content block, minus like/reply widgets and meta lines.

    Mutates ``own`` (a copy made by :func:`_own_part`), so read other fields first.
    """
    body = first_match(own, S.COMMENT_TEXT, own)
    strip_junk(body)
    strip_known(body, [*S.COMMENT_FURNITURE, *S.FURNITURE])
    strip_furniture_text(body)
    lines = [b.text for b in blocks(body) if not S.COMMENT_LINE_FURNITURE.match(b.text)]
    return "\n\n".join(lines)


def comment_published(own: HtmlElement) -> str | None:
    """The comment's datetime attribute, else its visible date text."""
    for selector in S.COMMENT_TIME:
        for el in css(selector)(own):
            value = el.get("datetime") or el.get("title") or el.text_content()
            if value and value.strip():
                return value
    return None


def extract_comments(root: HtmlElement, url: str = "", default_tz: tzinfo | None = None) -> list[Comment]:
    """Every comment on the page in document order; replies carry ``parent_id``."""
    items = next((found for sel in S.COMMENT_ITEMS if (found := css(sel)(root))), [])
    item_set = set(items)
    out = []
    for el in items:
        own = _own_part(el)
        author = first_text(own, S.COMMENT_AUTHOR)
        published = parse_datetime(comment_published(own), default_tz)
        text = comment_text(own)
        if not text:
            continue
        parent = _parent(el, item_set)
        out.append(Comment(text=text, author=author, published=published,
                           platform_id=comment_id(el),
                           parent_id=comment_id(parent) if parent is not None else None))
    logger.debug("%d comments at %s", len(out), url)
    return out

"""Remove page furniture (navigation, sharing, likes, related posts, comments…) from a tree."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from lxml.cssselect import CSSSelector

from . import selectors as S
from .text import BLOCK_TAGS, loose_text, normalize_space

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_FURNITURE_TEXT = [
    (re.compile(pattern, re.IGNORECASE | re.DOTALL), needs_links)
    for pattern, needs_links in S.FURNITURE_TEXT
]
_PROTECTED = frozenset({"html", "body", "main"})


@lru_cache(maxsize=256)
def css(selector: str) -> CSSSelector:
    """Compiled CSS selector (compiling costs more than matching)."""
    return CSSSelector(selector)


_SIMPLE = re.compile(r"^([.#]?)([\w-]+)$")


class SelectorSet:
    """Many selectors matched in one pass over the tree.

    Plain ``.class``, ``#id`` and ``tag`` selectors are checked with set lookups (CSS class
    tests compiled to XPath cost ~10 ms a page when there are dozens); others use lxml.
    """

    def __init__(self, selectors: Iterable[str]) -> None:
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.tags: set[str] = set()
        others = []
        for selector in selectors:
            match = _SIMPLE.match(selector.strip())
            if not match:
                others.append(selector)
                continue
            kind, name = match.groups()
            {".": self.classes, "#": self.ids, "": self.tags}[kind].add(name)
        self.others = css(", ".join(others)) if others else None

    def matches(self, el: HtmlElement) -> bool:
        if el.tag in self.tags or el.get("id") in self.ids:
            return True
        return bool(self.classes) and not self.classes.isdisjoint((el.get("class") or "").split())

    def __call__(self, root: HtmlElement) -> list[HtmlElement]:
        """Matching elements in document order."""
        found = {el for el in root.iter() if isinstance(el.tag, str) and self.matches(el)}
        if self.others is not None:
            found.update(self.others(root))
        return [el for el in root.iter() if el in found]


@lru_cache(maxsize=64)
def _selector_set(selectors: tuple[str, ...]) -> SelectorSet:
    return SelectorSet(selectors)


def select_all(root: HtmlElement, selectors: Iterable[str]) -> list[HtmlElement]:
    """Every element matched by any of ``selectors``, in document order, without duplicates."""
    return _selector_set(tuple(selectors))(root)


def outermost(nodes: Iterable[HtmlElement]) -> list[HtmlElement]:
    """The nodes not nested inside another node of the list, in the given order."""
    nodes = list(nodes)
    chosen = set(nodes)
    return [n for n in nodes if not any(a in chosen for a in n.iterancestors())]


def drop(el: HtmlElement) -> None:
    """Remove an element but keep its tail text (which belongs to the parent)."""
    if el.getparent() is not None:
        el.drop_tree()


def strip_junk(root: HtmlElement) -> None:
    """Scripts, styles, media and form controls: never prose."""
    for el in list(root.iter(*S.JUNK_TAGS)):
        if el is not root:
            drop(el)


def strip_hidden(root: HtmlElement) -> None:
    """Elements a reader never sees (``hidden``, ``display:none``)."""
    for el in list(root.iter()):
        if el is root or not isinstance(el.tag, str):
            continue
        style = el.get("style")
        if el.get("hidden") is not None or (style and _HIDDEN_STYLE.search(style)):
            drop(el)


def strip_known(root: HtmlElement, selectors: Iterable[str] = S.FURNITURE) -> None:
    """Furniture recognised by name: Jetpack, Sharedaddy, comment areas, meta footers."""
    for el in select_all(root, selectors):
        if el is not root and el.tag not in _PROTECTED and not _holds_body(el):
            drop(el)


def _holds_body(el: HtmlElement) -> bool:
    """True when a missing end tag made a furniture element swallow the post's body."""
    return bool(select_all(el, [s for s in S.GENERIC_BODY if " " not in s]))


_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


SLUG_MIN_WORDS = 3
_SLUG_GAP = re.compile(r"[\W_]+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _slug(text: str) -> str:
    return _SLUG_GAP.sub("-", text.casefold()).strip("-")


def is_heading_slug(el: HtmlElement, value: str) -> bool:
    """An id spelled from the element's own heading (``<div class="section"
    id="sharing-your-work"><h2>Sharing your work</h2>``, as Sphinx, MediaWiki and Markdown
    engines write them): it names a topic of the text, not the element's role on the page."""
    slug = _slug(value)
    if slug.count("-") < SLUG_MIN_WORDS - 1:
        return False  # "comments", "related-posts": one or two words name a role
    heading = next(el.iter(*_HEADINGS), None)
    title = _slug(heading.text_content()) if heading is not None else ""
    return bool(title) and (title.startswith(slug) or slug.endswith(title))


def _class_words(el: HtmlElement) -> str:
    """Class and id words, camelCase split, without term classes, state modifiers and ids
    that are heading slugs."""
    element_id = el.get("id") or ""
    words = (el.get("class") or "").split()
    if element_id and not is_heading_slug(el, element_id):
        words += element_id.split()
    text = " ".join(_CAMEL.sub(r"\1-\2", w) for w in words if not S.TERM_CLASS.match(w))
    return S.STATE_WORDS.sub(" ", text)


# A reader comment's parts ("comment-body", "commentbody", "comment-content") name content
# words too; they are comments all the same, and never the post's body.
_COMMENT_PART = re.compile(r"(?:^|[-_ ])comment", re.IGNORECASE)


def looks_like_boilerplate(el: HtmlElement) -> bool:
    """Class or id says "share", "related", "sidebar"… and nothing says "content"."""
    if el.tag in _PROTECTED:
        return False
    if S.COMMENT_ITEM_ID.match(el.get("id") or ""):
        return True
    if el.tag == "article":
        return False
    words = _class_words(el)
    if not words:
        return False
    if S.BOILERPLATE_STRONG.search(words) or _COMMENT_PART.search(words):
        return True
    if S.CAPTION_CLASS.search(words):
        return el.tag != "figure" and next(el.iter("img", "picture", "video"), None) is None
    return bool(S.BOILERPLATE_WEAK.search(words)) and not S.CONTENT_CLASS.search(words)


def in_running_text(el: HtmlElement) -> bool:
    """An inline element with words right before or after it: part of a sentence.

    A company name linked with ``class="companyRollover"`` or a ``<span class="tooltip">``
    inside a paragraph is prose, whatever its class says.
    """
    if el.tag in BLOCK_TAGS:
        return False
    if (el.tail or "").strip():
        return True
    previous = el.getprevious()
    before = previous.tail if previous is not None else el.getparent().text
    return bool((before or "").strip())


def _weak_matches(root: HtmlElement) -> list[HtmlElement]:
    """Structural furniture tags and boilerplate-looking class names, outermost first."""
    return [el for el in root.iter() if el is not root and isinstance(el.tag, str)
            and (el.tag in S.FURNITURE_TAGS or looks_like_boilerplate(el))
            and not in_running_text(el)]


def _own_prose(root: HtmlElement) -> dict[HtmlElement, int]:
    """Per block element, the length of the text written straight into it, when prose-long.

    Counting loose text, not only ``<p>``, matters for layouts that write paragraphs as
    ``<div>`` and ``<br>`` runs (Blogger's classic templates, old tables). Text inside
    navigation and link-heavy runs (menus of teasers) is not prose.
    """
    own = {}
    skip = set()
    for el in root.iter(*BLOCK_TAGS):
        if el in skip or el.tag == "nav":
            skip.update(el.iter(*BLOCK_TAGS))
            continue
        length = len(loose_text(el))
        if length >= S.PROSE_MIN and _inline_link_chars(el) < length / 2:
            own[el] = length
    return own


def _inline_link_chars(el: HtmlElement) -> int:
    """Characters of link text among an element's inline children (menus are not prose)."""
    return sum(len(normalize_space(a.text_content())) for child in el
               if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS
               for a in child.iter("a"))


def prose_chars(el: HtmlElement, own: dict[HtmlElement, int] | None = None) -> int:
    """Characters in the paragraphs of an element that are long enough to be prose."""
    own = _own_prose(el) if own is None else own
    return sum(own.get(block, 0) for block in el.iter(*BLOCK_TAGS))


def strip_boilerplate(root: HtmlElement) -> None:
    """Likely furniture in layouts we do not know, unless it holds much of the page's prose.

    The guard keeps wrappers such as ``<form id="aspnetForm">`` or a theme's
    ``<div class="container penci_sidebar">`` that happen to enclose the article.
    """
    own = _own_prose(root)
    text_limit = S.FURNITURE_MAX_SHARE * len(normalize_space(root.text_content()))
    prose_limit = S.FURNITURE_MAX_PROSE_SHARE * prose_chars(root, own)
    for el in _weak_matches(root):
        if el.getparent() is None or len(normalize_space(el.text_content())) > text_limit:
            continue
        if not prose_limit or prose_chars(el, own) <= prose_limit:
            drop(el)


_WORD = re.compile(r"\w+")


def is_dateline(text: str) -> bool:
    """A short line of nothing but a date, a time and words like "Updated"."""
    words = _WORD.findall(text)
    return (0 < len(text) <= S.DATELINE_MAX and any(w.isdigit() for w in words)
            and S.DATELINE_ANCHOR.search(text) is not None
            and all(S.DATELINE_WORDS.fullmatch(w) for w in words))


def is_furniture_text(el: HtmlElement, text: str) -> bool:
    """A short block whose whole text is a sharing/like/meta/embed-help line."""
    if not text or len(text) > S.FURNITURE_TEXT_MAX:
        return False
    if is_dateline(text):
        return True
    for pattern, needs_links in _FURNITURE_TEXT:
        if pattern.fullmatch(text) and (not needs_links or _link_share(el, text) >= 0.25):
            return True
    return False


def _link_share(el: HtmlElement, text: str) -> float:
    linked = sum(len(normalize_space(a.text_content())) for a in el.iter("a"))
    return linked / len(text)


def strip_furniture_text(root: HtmlElement) -> None:
    """Blocks inside a content node whose whole text is furniture (outermost such block)."""
    for el in list(root.iter(*BLOCK_TAGS, "span")):
        if el is root or el.getparent() is None:
            continue
        if is_furniture_text(el, normalize_space(el.text_content())):
            drop(el)


def clean_content(node: HtmlElement) -> HtmlElement:
    """Strip junk and furniture from a content fragment such as REST ``content.rendered``."""
    strip_junk(node)
    strip_hidden(node)
    strip_known(node)
    strip_furniture_text(node)
    return node


def comments_heading(root: HtmlElement) -> HtmlElement | None:
    """The first heading inside ``root`` that opens a comment or trackback section."""
    for heading in root.iter(*_HEADINGS):
        text = normalize_space(heading.text_content()).rstrip(":").strip()
        if text and len(text) <= 250 and S.COMMENTS_HEADING.fullmatch(text):
            return heading
    return None


def _chars_before(root: HtmlElement, mark: HtmlElement) -> int:
    """Characters of text inside ``root`` that come before ``mark`` in document order."""
    ancestors = set(mark.iterancestors())
    count = 0
    for el in root.iter():
        if el is mark:
            break
        count += len((el.text or "").strip()) if isinstance(el.tag, str) else 0
        if el not in ancestors:
            count += len((el.tail or "").strip())
    return count


def _cut_from(root: HtmlElement, mark: HtmlElement) -> None:
    """Remove ``mark`` and everything after it inside ``root``."""
    el = mark
    while el is not root and el.getparent() is not None:
        parent = el.getparent()
        for sibling in list(el.itersiblings()):
            parent.remove(sibling)  # with its tail: text after a comment is the comment's
        el.tail = None
        el = parent
    mark.getparent().remove(mark)


def cut_comment_section(root: HtmlElement) -> bool:
    """Drop a comment section printed inside the content node, from its heading to the end.

    Returns whether the node opens with such a heading (it holds comments, not the post).
    """
    heading = comments_heading(root)
    if heading is None:
        return False
    if _chars_before(root, heading) < S.COMMENTS_HEADING_AFTER:
        return True
    _cut_from(root, heading)
    return False

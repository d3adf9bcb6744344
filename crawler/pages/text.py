"""Turn an HTML subtree into paragraphs of clean text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Never prose: scripts, media and form controls (media stays in the HTML body, not the text).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "video", "audio", "map", "source", "track", "button", "input", "select", "textarea",
    "label", "dialog", "head", "title",
})
_CELLS = frozenset({"td", "th"})  # a table row reads as one line, cells separated by " | "
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2028\u2029]+")
# Characters a reader never sees that would split words in stored text and search: soft
# hyphen, zero-width space/non-joiner/joiner, word joiner, BOM (also as a zero-width no-break
# space inside text). They are deleted, not turned into spaces: they sit inside words.
INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # a regex beats str.translate


def strip_invisible(text: str) -> str:
    """``text`` without invisible formatting characters."""
    return INVISIBLE.sub("", text)
_BREAK = "\x00"  # a <br> inside a paragraph survives whitespace collapsing as this mark


@dataclass
class Block:
    """One paragraph-level run of text; ``link_chars`` counts characters inside links."""

    text: str
    tag: str
    link_chars: int = 0

    @property
    def link_density(self) -> float:
        return self.link_chars / len(self.text) if self.text else 0.0


class _Collector:
    """Accumulates inline text and cuts it into blocks at block-level boundaries."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.link_chars = 0
        self.tags: list[str] = []

    def add(self, text: str | None, in_link: bool) -> None:
        if text:
            self.parts.append(text)
            if in_link:
                self.link_chars += len(text.strip())

    def flush(self) -> None:
        text = _SPACE.sub(" ", strip_invisible("".join(self.parts))).replace(f" {_BREAK}", _BREAK)
        text = "\n".join(line.strip() for line in text.split(_BREAK) if line.strip())
        if text:
            tag = self.tags[-1] if self.tags else "p"
            self.blocks.append(Block(text, tag, min(self.link_chars, len(text))))
        self.parts, self.link_chars = [], 0


def _tag(el: etree._Element) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def blocks(node: HtmlElement) -> list[Block]:
    """Paragraph blocks of ``node`` in document order, whitespace collapsed (kept in ``pre``)."""
    out = _Collector()
    links = pre = 0

    def add(text: str | None) -> None:
        out.add(text.replace("\n", _BREAK) if pre and text else text, links > 0)

    walker = etree.iterwalk(node, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start" and (tag in SKIP_TAGS or not tag):
            walker.skip_subtree()
            continue
        if event == "start":
            _open(out, el, tag)
            links += tag == "a"
            pre += tag == "pre"
            add(el.text)
            continue
        if tag not in SKIP_TAGS and tag:
            links -= tag == "a"
            pre -= tag == "pre"
            if tag in BLOCK_TAGS and tag not in _CELLS:
                out.flush()
                out.tags.pop()
        if el is not node:
            add(el.tail)
    out.flush()
    return out.blocks


def _open(out: _Collector, el: etree._Element, tag: str) -> None:
    """Start of an element: new block, line break or table-cell separator."""
    if tag in _CELLS:
        if el.getprevious() is not None:
            out.parts.append(" | ")
    elif tag in BLOCK_TAGS:
        out.flush()
        out.tags.append(tag)
    elif tag == "br":
        out.parts.append(_BREAK)


def join_blocks(items: Iterable[Block]) -> str:
    """Paragraphs separated by a blank line, as ``Post.text`` wants."""
    return "\n\n".join(block.text for block in items)


def normalize_space(text: str | None) -> str:
    """Collapse every run of whitespace (including NBSP) to one space and strip."""
    return _SPACE.sub(" ", strip_invisible(text or "")).strip()


def mostly_letters(text: str, share: float = 0.6) -> bool:
    """Whether letters make up ``share`` of the visible characters (prose, not addresses)."""
    visible = sum(not ch.isspace() for ch in text)
    return visible > 0 and sum(ch.isalpha() for ch in text) >= share * visible


def loose_text(el: HtmlElement) -> str:
    """Text written straight into a container between its block children (no ``<p>``)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and child.tag not in BLOCK_TAGS:
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return normalize_space(" ".join(parts))


def node_text(node: HtmlElement) -> str:
    """All text of a node with whitespace collapsed."""
    return normalize_space(node.text_content())

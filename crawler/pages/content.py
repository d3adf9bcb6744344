"""Locate an article's main content: known selectors, then readability-style scoring,
with trafilatura's body as a second candidate (see ``second_opinion``).

Measured with ``python tests/benchmarks/bench_extraction.py`` on the three shared sets; the
figures and the reasons for the combination are in README ("How pages are read").
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from . import furniture, second_opinion
from . import selectors as S
from .scoring import best_nodes
from .text import Block, blocks, mostly_letters, node_text, normalize_space

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml.html import HtmlElement

MIN_SELECTOR_TEXT = 200  # a known container with less text than this is probably a teaser


def by_selectors(root: HtmlElement, selectors: Sequence[str],
                 min_text: int = MIN_SELECTOR_TEXT) -> list[HtmlElement]:
    """Nodes of the first selector whose matches hold enough text (split bodies are joined)."""
    for selector in selectors:
        nodes = furniture.outermost(furniture.css(selector)(root))
        if nodes and sum(len(node_text(n)) for n in nodes) >= min_text:
            return nodes
    return []


def prepare(root: HtmlElement) -> HtmlElement:
    """A cleaned copy of the document for scoring: no scripts, hidden parts or furniture."""
    doc = copy.deepcopy(root)
    furniture.strip_junk(doc)
    furniture.strip_hidden(doc)
    furniture.strip_known(doc)
    furniture.strip_boilerplate(doc)
    return doc


def _fallback(doc: HtmlElement) -> list[HtmlElement]:
    """For pages too short to score: the single ``article``, else ``main``, else ``body``."""
    articles = furniture.css("article")(doc)
    for candidates in (articles if len(articles) == 1 else [], doc.iter("main"), doc.iter("body")):
        for node in candidates:
            return [node]
    return []


def own_nodes(root: HtmlElement, selectors: Sequence[str] = S.GENERIC_BODY,
              min_text: int = MIN_SELECTOR_TEXT) -> tuple[list[HtmlElement], bool]:
    """Our own content nodes (known selectors, else scoring, in a cleaned document copy), and
    whether a known selector found them."""
    doc = prepare(root)
    nodes = by_selectors(doc, selectors, min_text)
    known = bool(nodes)
    nodes = nodes or best_nodes(doc) or _fallback(doc)
    kept = [node for node in nodes if not furniture.cut_comment_section(node)]
    nodes = kept or nodes  # a node that opens with a comment heading is another part's comments
    for node in nodes:
        furniture.strip_furniture_text(node)
    return nodes, known


# A body found by a known selector needs no second opinion when it reads as a whole article:
# this many words in this many prose paragraphs, and little of it linked. On the shared
# benchmark sets a third to a half of the pages pass and none of them scored better with
# trafilatura's body (the second candidate only ever replaced such bodies when it held the
# post and ours did not, which a known container with this much prose never was).
CONFIDENT_WORDS = 100
CONFIDENT_PROSE = 3
CONFIDENT_LINK_DENSITY = 0.2


def is_confident(items: Sequence[Block]) -> bool:
    """Whether our body blocks read as a whole article (see ``CONFIDENT_*``)."""
    chars = sum(len(b.text) for b in items)
    return (sum(len(b.text.split()) for b in items) >= CONFIDENT_WORDS
            and sum(1 for b in items if second_opinion.is_prose(b)) >= CONFIDENT_PROSE
            and sum(b.link_chars for b in items) <= CONFIDENT_LINK_DENSITY * chars)


def main_nodes(root: HtmlElement, selectors: Sequence[str] = S.GENERIC_BODY,
               min_text: int = MIN_SELECTOR_TEXT) -> list[HtmlElement]:
    """Content nodes: ours, or trafilatura's where ours is empty or disagrees with it.

    trafilatura is not run when a known selector found a confident body (it costs more than
    our own extraction and would not be chosen).
    """
    nodes, known = own_nodes(root, selectors, min_text)
    ours = content_blocks(nodes)
    if known and is_confident(ours):
        return nodes
    other = second_opinion.trafilatura_body(root)
    if other is not None and second_opinion.prefer_other(ours, content_blocks([other])):
        furniture.strip_furniture_text(other)
        return [other]
    return nodes


def page_titles(root: HtmlElement) -> set[str]:
    """Texts a title may take on the page: ``<title>``, og:title and the first ``<h1>``.

    Later ``<h1>`` elements are section headings on some engines (Medium writes every
    heading of a post as one), so they stay in the body unless they repeat a title.
    """
    titles = {node_text(el) for el in root.iter("title")}
    titles.update(node_text(el) for el in [next(root.iter("h1"), None)] if el is not None)
    titles.update(el.get("content", "") for el in furniture.css("meta[property='og:title']")(root))
    return {normalize_space(t).casefold() for t in titles if t}


def is_title_or_caption(block: Block, titles: set[str]) -> bool:
    """The repeated title and figure captions, which are not part of the body text."""
    return block.tag == "figcaption" or block.text.casefold() in titles


def is_link_list(block: Block) -> bool:
    """A block that is mostly links: a list of related posts, tags or shares."""
    if block.tag == "li":
        return block.link_density >= 1 and len(block.text) <= 40
    return (block.link_density > 0.5 and len(block.text) < 400) or block.link_density > 0.75


# A content node whose prose is mostly a list of links is a post made of links (a reading
# list, a round-up): its list items are kept when dropping them would leave less than this
# share. A single run of links (a calendar, a tag cloud) is no such list.
LINK_POST_KEEP = 0.5
LINK_POST_ITEMS = 3


def content_blocks(nodes: Sequence[HtmlElement], titles: set[str] = frozenset()) -> list[Block]:
    """Kept paragraph blocks of the content nodes, in order."""
    found = [b for node in nodes for b in blocks(node) if not is_title_or_caption(b, titles)]
    kept = [b for b in found if not is_link_list(b)]
    items = [b for b in found if b.tag == "li" and mostly_letters(b.text)]
    if (len(items) >= LINK_POST_ITEMS
            and sum(len(b.text) for b in kept) < LINK_POST_KEEP * sum(len(b.text) for b in found)):
        return [b for b in found if b in kept or b in items]
    return kept


# A page body with less than this share of the words of the post's feed or REST content has
# lost part of the post (a script-built body, a page builder we misread): that content wins.
SHORT_BODY_SHARE = 0.5


def falls_short(text: str, reference: str) -> bool:
    """Whether extracted ``text`` is empty or far shorter than the post's ``reference`` content."""
    wanted = len(reference.split())
    return wanted > 0 and len(text.split()) < SHORT_BODY_SHARE * wanted

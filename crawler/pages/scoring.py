"""Readability-style scoring: find the container holding most of a page's prose."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .furniture import outermost
from .text import BLOCK_TAGS, loose_text, normalize_space

if TYPE_CHECKING:
    from collections.abc import Iterator

    from lxml.html import HtmlElement

_PARAGRAPH_TAGS = ("p", "pre", "td", "blockquote", "div", "h2", "h3", "dd")
_TAG_WEIGHT = {"div": 5, "article": 8, "section": 3, "main": 3, "pre": 3, "td": 3,
               "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "dl": -3, "li": -3,
               "h1": -5, "h2": -5, "h3": -5, "th": -5}
_POSITIVE = re.compile(r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story",
                       re.IGNORECASE)
_NEGATIVE = re.compile(
    r"hidden|banner|combx|comment|com-|contact|foot|footer|footnote|masthead|media|meta|"
    r"outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|"
    r"tool|widget|caption|byline|author|newsletter", re.IGNORECASE)
MIN_PARAGRAPH = 25


def class_weight(el: HtmlElement) -> int:
    """+25 for content-ish class/id words, −25 for boilerplate-ish ones (per attribute)."""
    weight = 0
    for value in (el.get("class"), el.get("id")):
        if value:
            weight += 25 * bool(_POSITIVE.search(value)) - 25 * bool(_NEGATIVE.search(value))
    return weight


def _is_paragraph(el: HtmlElement) -> bool:
    """A ``p``-like element; a ``div`` counts only when it holds no block children."""
    if el.tag != "div":
        return True
    return not any(isinstance(child.tag, str) and child.tag in BLOCK_TAGS for child in el)


def link_density(el: HtmlElement, text_len: int | None = None) -> float:
    """Share of an element's text that sits inside links."""
    total = text_len if text_len is not None else len(normalize_space(el.text_content()))
    if not total:
        return 0.0
    linked = sum(len(normalize_space(a.text_content())) for a in el.iter("a"))
    return min(1.0, linked / total)


def paragraph_score(text: str) -> float:
    """Longer paragraphs with commas read as prose."""
    return 1 + text.count(",") + text.count("\u3001") + min(len(text) // 100, 3)


def _paragraphs(root: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """(first ancestor to credit, text) for every paragraph, real or loose."""
    for el in root.iter(*_PARAGRAPH_TAGS, "section", "article", "main", "body"):
        if el.tag in _PARAGRAPH_TAGS and _is_paragraph(el):
            yield el.getparent(), normalize_space(el.text_content())
        else:
            yield el, loose_text(el)


def score_candidates(root: HtmlElement) -> dict[HtmlElement, float]:
    """Scores for ancestors of prose paragraphs, discounted by their link density."""
    scores: dict[HtmlElement, float] = {}
    for parent, text in _paragraphs(root):
        if len(text) < MIN_PARAGRAPH or parent is None:
            continue
        gain = paragraph_score(text)
        for level, ancestor in enumerate(_lineage(parent, 3)):
            if ancestor not in scores:
                scores[ancestor] = _TAG_WEIGHT.get(ancestor.tag, 0) + class_weight(ancestor)
            scores[ancestor] += gain / (1 if level == 0 else 2 if level == 1 else level * 3)
    return {el: score * (1 - link_density(el)) for el, score in scores.items()}


def _lineage(el: HtmlElement, count: int) -> list[HtmlElement]:
    """The element and its ancestors, ``count`` elements in all."""
    out = [el]
    for ancestor in el.iterancestors():
        if len(out) >= count:
            break
        out.append(ancestor)
    return out


def _sibling_fits(sibling: HtmlElement, threshold: float, scores: dict, top: HtmlElement) -> bool:
    """Readability's sibling rule: well-scored siblings or prose paragraphs join the top node."""
    if len(sibling.findall(".//article")) >= 2:
        return False  # a list of other posts ("You may also like"), however wordy
    bonus = 0.2 * scores[top] if sibling.get("class") and sibling.get("class") == top.get("class") else 0
    if scores.get(sibling, 0) + bonus >= threshold:
        return True
    if sibling.tag != "p":
        return False
    text = normalize_space(sibling.text_content())
    density = link_density(sibling, len(text))
    return (len(text) > 80 and density < 0.25) or (0 < len(text) <= 80 and density == 0
                                                     and re.search(r"\.( |$)", text) is not None)


def _with_siblings(top: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """The top node plus the siblings that belong with it, in document order."""
    parent = top.getparent()
    if parent is None:
        return [top]
    threshold = max(10.0, scores[top] * 0.2)
    return [sib for sib in parent if sib is top or (isinstance(sib.tag, str)
                                                     and _sibling_fits(sib, threshold, scores, top))]


def _split_parts(top: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """Other well-scored nodes with the top node's tag and class: a body split by figures/ads."""
    cls = top.get("class")
    if not cls:
        return []
    threshold = max(10.0, scores[top] * 0.1)
    return [el for el, score in scores.items() if el is not top and el.tag == top.tag
            and el.get("class") == cls
            and (score >= threshold or (score >= 10.0 and _same_place(el, top)))]


def _same_place(el: HtmlElement, top: HtmlElement) -> bool:
    """Whether ``el`` sits where ``top`` does: the same tags and classes up to the ancestor
    they share (the sections of a body cut by rules or headings, each in its own wrapper)."""
    for mine, theirs in zip(el.iterancestors(), top.iterancestors()):
        if mine is theirs:
            return True
        if mine.tag != theirs.tag or mine.get("class") != theirs.get("class"):
            return False
    return False


# Readability.js's rule for bodies cut into sections: when this many of the next-best
# candidates score nearly as well as the top one and share an ancestor with it, the ancestor
# holds the body (a Wikipedia article's sections, a manual's chapters).
_ALTERNATIVES = 3
_ALTERNATIVE_SHARE = 0.75


def _common_ancestor(top: HtmlElement, scores: dict[HtmlElement, float]) -> HtmlElement:
    """The top candidate, or the ancestor it shares with several near-equal candidates."""
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[1:5]
    close = [el for el in ranked if scores[top] and scores[el] / scores[top] >= _ALTERNATIVE_SHARE]
    if len(close) < _ALTERNATIVES:
        return top
    for ancestor in top.iterancestors():
        if ancestor.tag == "body":
            break
        if sum(1 for el in close if ancestor in el.iterancestors()) >= _ALTERNATIVES:
            scores[ancestor] = max(scores.get(ancestor, 0.0), scores[top])
            return ancestor
    return top


_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr")


def _outside_data_table(top: HtmlElement, scores: dict[HtmlElement, float]) -> HtmlElement:
    """The container of a data table that scored as the top candidate.

    A table with header cells (``<th>``) is part of an article — a list of films, a results
    table — and its rows of text cells outscore the prose around it; layout tables, which
    hold whole pages in old templates, have no header cells.
    """
    if top.tag not in _TABLE_PARTS:
        return top
    table = top if top.tag == "table" else next(top.iterancestors("table"), None)
    if table is None or next(table.iter("th"), None) is None:
        return top
    parent = table.getparent()
    if parent is None or parent.tag in ("body", "html", "td"):
        return top
    scores[parent] = max(scores.get(parent, 0.0), scores[top])
    return parent


def best_nodes(root: HtmlElement) -> list[HtmlElement]:
    """The top-scoring container with its siblings and split-off parts, in document order."""
    scores = score_candidates(root)
    if not scores:
        return []
    top = _outside_data_table(max(scores, key=scores.__getitem__), scores)
    top = _common_ancestor(top, scores)
    nodes = _with_siblings(top, scores) + _split_parts(top, scores)
    order = {el: i for i, el in enumerate(root.iter())}
    return outermost(sorted(dict.fromkeys(nodes), key=order.__getitem__))


"""Categories and tags told apart by what the page says about each term.

A term is a link (or a labelled span) in the post's own element, or in a post-metadata
container beside it. Each one is filed by the first of these that speaks:

1. ``rel`` with ``category`` (WordPress writes ``rel="category tag"`` on category links);
2. class or id words of the term or its nearest containers: ``categor…`` → category,
   ``tag``/``label``/``keyword`` → tag (``cat-links``, ``post-category``, ``md-tag``);
3. the label printed before it: "Filed under", "Categories", "Posted in", "In" → category;
   "Tagged", "Tags", "Labels" → tag;
4. the archive address it links to: ``/category/``, ``/categories/`` → category;
   ``/tag/``, ``/tags/``, ``/label/`` → tag;
5. ``rel="tag"`` alone, or microformats' ``p-category`` (which marks tags and categories
   alike, so it decides nothing earlier) → tag.

A "tags: a, b" line without links inside the article is read as tags.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .text import normalize_space

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml.html import HtmlElement

CATEGORY, TAG = "category", "tag"
_CLASS_WORDS = [
    (re.compile(r"categor|(?:^|[-_ ])cats?(?:$|[-_ ])|(?:^|[-_ ])section(?:$|[-_ ])", re.I), CATEGORY),
    (re.compile(r"(?:^|[-_ ])(?:tags?|tagged|labels?|keywords?|hashtags?)(?:$|[-_ ])", re.I), TAG),
]
# Words that name a term's value, not its role ("tag-budget", "category-news" on WordPress),
# and microformats' ``p-category``, which marks tags and categories alike.
_VALUE_CLASS = re.compile(r"^(?:(?:tag|category|categories|post_tag|label)-|[pu]-category$)", re.I)
_MICROFORMAT_TERM = re.compile(r"(?:^|\s)[pu]-category(?:\s|$)")
_LABELS = [
    (re.compile(r"^\W*(?:filed under|categor(?:y|ies)|posted in|published in|in)\W*$", re.I), CATEGORY),
    (re.compile(r"^\W*(?:tagged(?: with| as)?|tags?|labels?|keywords?|topics?)\W*$", re.I), TAG),
]
_PATHS = [
    (re.compile(r"/(?:category|categories)/", re.I), CATEGORY),
    (re.compile(r"/(?:tag|tags|label|labels)/", re.I), TAG),
]
_TAG_LINE = re.compile(r"^(?:tags|tagged(?: with)?|labels|keywords)\s*:\s*(.{1,300})$", re.I)
_META_CONTAINER = re.compile(r"(?:^|[-_ ])(?:meta|metadata|post-meta|entry-meta|taxonomy|terms)(?:$|[-_ ])", re.I)
# Containers of site-wide term lists (category widgets, tag clouds), never one post's terms.
_WIDGET = re.compile(r"(?:^|[-_ ])(?:widgets?|cloud|related|recent)(?:$|[-_ ])", re.I)
# Link-less elements count only when their class says tag (MkDocs' ``span.md-tag``).
_TAG_SPAN = re.compile(r"(?:^|[-_ ])(?:tags?|hashtags?)(?:$|[-_ ])", re.I)
MAX_TERM = 60
_DEPTH = 4  # containers above a term whose class words count


def _classes(el: HtmlElement) -> str:
    words = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return " ".join(w for w in words if not _VALUE_CLASS.match(w))


def _by_class(el: HtmlElement, stop: HtmlElement) -> str | None:
    node: HtmlElement | None = el
    for _ in range(_DEPTH):
        if node is None or node is stop:
            return None
        words = _classes(node)
        for pattern, kind in _CLASS_WORDS:
            if pattern.search(words):
                return kind
        node = node.getparent()
    return None


def _label_before(el: HtmlElement) -> str:
    """Text printed before a term in its line, other links' text aside (``Tags: a, b,``)."""
    node = el
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            return ""
        parts = [parent.text or ""]
        for sibling in parent:
            if sibling is node:
                break
            if sibling.tag != "a":
                parts.append(sibling.text_content() or "")
            parts.append(sibling.tail or "")
        text = normalize_space(" ".join(parts))
        if text:
            return text[-40:]
        node = parent
    return ""


def classify(el: HtmlElement, stop: HtmlElement) -> str | None:
    """``"category"``, ``"tag"`` or ``None`` (not a term) for one candidate element."""
    rel = set((el.get("rel") or "").lower().split())
    if "category" in rel:
        return CATEGORY
    kind = _by_class(el, stop)
    if kind:
        return kind
    label = _label_before(el)
    for pattern, kind in _LABELS:
        if label and pattern.search(label):
            return kind
    path = unquote(urlsplit(el.get("href") or "").path)
    for pattern, kind in _PATHS:
        if pattern.search(path):
            return kind
    if "tag" in rel or _MICROFORMAT_TERM.search(el.get("class") or ""):
        return TAG  # rel=tag alone, or an h-entry's p-category: microformats' usual sense
    return None


def _term_text(el: HtmlElement) -> str:
    text = normalize_space(el.text_content()).strip(",;·|").strip()
    return text.lstrip("#").strip() if len(text) <= MAX_TERM else ""


def _in_widget(el: HtmlElement, container: HtmlElement) -> bool:
    """Inside a site-wide term list (tag cloud, category widget) within the container."""
    for ancestor in el.iterancestors():
        if ancestor is container:
            return False
        if _WIDGET.search(_classes(ancestor)):
            return True
    return False


def _candidates(container: HtmlElement) -> list[HtmlElement]:
    """Links, and link-less elements whose own class names a term (``span.md-tag``)."""
    found = [a for a in container.iter("a") if a.get("href")]
    for el in container.iter():
        if el.tag != "a" and isinstance(el.tag, str) and not any(True for _ in el.iter("a")) \
                and len(el) == 0 and _TAG_SPAN.search(_classes(el)) \
                and not normalize_space(el.text_content()).endswith(":"):
            found.append(el)
    return found


def _meta_containers(root: HtmlElement, scope: HtmlElement) -> list[HtmlElement]:
    """Post-metadata containers outside the post's element (MkDocs puts them in its sidebar)."""
    if scope is root:
        return []
    return [el for el in root.iter() if isinstance(el.tag, str) and _META_CONTAINER.search(_classes(el))
            and not any(_WIDGET.search(_classes(a)) for a in el.iterancestors())
            and scope not in el.iterancestors() and el is not scope]


def visible_terms(root: HtmlElement, scope: HtmlElement,
                  own: Callable[[HtmlElement], bool]) -> tuple[list[str], list[str]]:
    """(categories, tags) the page shows for its post, in page order."""
    found: dict[str, list[str]] = {CATEGORY: [], TAG: []}
    for container in [scope, *_meta_containers(root, scope)]:
        filled = {kind for kind, values in found.items() if values}  # the post's element first
        stop = container.getparent() if container.getparent() is not None else container
        for el in _candidates(container):
            if not own(el) or _in_widget(el, container):
                continue
            kind = classify(el, stop)
            text = _term_text(el) if kind and kind not in filled else ""
            if text and text not in found[kind]:
                found[kind].append(text)
    if not found[TAG]:
        found[TAG] = tag_lines(scope)
    return found[CATEGORY], found[TAG]


def tag_lines(scope: HtmlElement) -> list[str]:
    """Tags from a "tags: a, b" line without links inside the article."""
    for el in scope.iter("p", "div", "span", "li"):
        if any(True for _ in el.iter("a")) or len(el) > 2:
            continue
        match = _TAG_LINE.match(normalize_space(el.text_content()))
        if match:
            terms = (normalize_space(t).lstrip("#") for t in re.split(r"[,;]", match.group(1)))
            return list(dict.fromkeys(t for t in terms if t and len(t) <= MAX_TERM))
    return []


def merge(shown: list[str], meta: list[str], other_kind: list[str]) -> list[str]:
    """The page's terms of one kind, then metadata's (themes show a primary tag only), minus
    any term the page files under the other kind: the page says what each term is."""
    other = {t.casefold() for t in other_kind}
    seen = {t.casefold() for t in shown}
    extra = [t for t in meta if t.casefold() not in other and t.casefold() not in seen]
    return list(dict.fromkeys([*shown, *extra]))

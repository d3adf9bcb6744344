"""A second candidate body from trafilatura, and the rule that chooses between it and ours.

Our extractor (known selectors, then scoring) is the more precise of the two where it finds
the right container; trafilatura more often finds *a* body on layouts we do not know. When
ours comes out empty, or shares almost nothing with trafilatura's (one of the two has picked a
teaser list or a sidebar box), trafilatura's is taken. Measured on the three shared
benchmark sets (see README, "How pages are read").
"""

from __future__ import annotations

import copy
import logging
import re
from collections import Counter
from typing import TYPE_CHECKING

import lxml.html
import trafilatura

from .text import join_blocks, mostly_letters

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml.html import HtmlElement

    from .text import Block

logger = logging.getLogger(__name__)

# Below this share of our shingles found in trafilatura's body, the two disagree about which
# part of the page is the post; the threshold held on both halves of every set (0.1–0.4 all
# scored within 0.001 of each other on the larger set).
AGREEMENT_MIN = 0.2
# ...unless most of the other body lies inside ours: then both found the post, and ours kept
# more of it (trafilatura drops short paragraphs and the parts of a body split by headings).
# Any value from 0.5 to 0.9 scored the same on every set.
CONTAINED_MIN = 0.5
_TOKEN = re.compile(r"\w+")


def shingle_counts(text: str, k: int = 4) -> Counter:
    """Multiset of k-word shingles, the unit both candidates are compared in."""
    tokens = _TOKEN.findall(text.casefold())
    return Counter(tuple(tokens[i:i + k]) for i in range(max(0, len(tokens) - k + 1)))


def agreement(ours: str, theirs: str) -> float:
    """Share of our shingles that the other body also has (1.0 when ours has none to test)."""
    mine = shingle_counts(ours)
    total = sum(mine.values())
    return sum((mine & shingle_counts(theirs)).values()) / total if total else 1.0


def trafilatura_body(root: HtmlElement) -> HtmlElement | None:
    """trafilatura's main content as a ``div`` of HTML blocks, comments left out; ``None`` if none."""
    try:
        html = trafilatura.extract(copy.deepcopy(root), output_format="html", include_comments=False,
                                   include_links=True, include_images=True)
    except Exception:  # a library failure on one page leaves us with our own candidate
        logger.exception("trafilatura failed on a page")
        return None
    if not html:
        return None
    body = lxml.html.document_fromstring(html).find("body")
    if body is None or not body.text_content().strip():
        return None
    body.tag = "div"
    return body


PROSE_MIN = 40  # a candidate without one unlinked block this long holds no prose


def is_prose(block: Block) -> bool:
    """Long enough, mostly unlinked, and mostly letters (not a dump of addresses or numbers)."""
    if len(block.text) < PROSE_MIN or block.link_density >= 0.5:
        return False
    return mostly_letters(block.text)


def has_prose(items: Sequence[Block]) -> bool:
    return any(is_prose(b) for b in items)


def prefer_other(ours: Sequence[Block], theirs: Sequence[Block]) -> bool:
    """Whether the other candidate should replace ours: ours without prose, or the two disagree
    (neither holds most of the other)."""
    if not has_prose(theirs):
        return False
    if not has_prose(ours):
        return True
    mine, other = join_blocks(ours), join_blocks(theirs)
    return agreement(mine, other) < AGREEMENT_MIN and agreement(other, mine) < CONTAINED_MIN

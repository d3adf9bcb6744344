"""Is a fetched page another address of an archived post, or a post of its own? (pure)

A page's ``rel=canonical`` may name another post: an AMP, print or ``?p=`` form names the
post it shows, but a story republished at a new permalink (a later date, "(republished)" in
the title) names the original too. Only the first is an alias; the second is a post of its
own, which dedupe then clusters with the original (the earliest published is canonical).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

__all__ = ["Identity", "claimed_only", "plain_same_text", "same_post"]

#: The route recorded for an address only named by some page's ``rel=canonical``.
CLAIM = "canonical"


@dataclass(frozen=True)
class Identity:
    """What tells one post from another: its platform ID, publication time and body."""

    platform_id: str | None
    published: datetime | None
    text: str


def plain_same_text(a: str, b: str) -> bool:
    """The same words, whatever their case, Unicode form and spacing."""
    def words(text: str) -> list[str]:
        return unicodedata.normalize("NFKC", text).casefold().split()
    return words(a) == words(b)


def same_post(known: Identity, page: Identity,
              same_text: Callable[[str, str], bool] = plain_same_text) -> bool:
    """True if ``page`` shows the post ``known``: the same platform ID when both have one;
    else the same body by ``same_text`` and the same publication time when both give one.

    The crawl passes the matcher's own comparison (furniture aside, see
    :func:`crawler.matching.same_text`): storage does not know how dedupe normalizes text.
    """
    if known.platform_id and page.platform_id:
        return known.platform_id == page.platform_id
    if known.published and page.published and known.published != page.published:
        return False
    return same_text(known.text, page.text)


def claimed_only(found_via: str | None) -> bool:
    """True if an address was only ever named by a canonical link (never fetched, listed
    or linked to as the post itself): ``found_via`` as stored, routes joined by commas."""
    routes = set(filter(None, (found_via or "").split(",")))
    return routes <= {CLAIM}

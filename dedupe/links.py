"""An archive's links kept in memory and grown post by post, in any order, to one result.

:func:`add_post` is the incremental procedure the archive follows (``storage.stories`` does
the same steps with stored rows): match the new post, apply the :class:`~dedupe.Revision`
of any compilation it completes, index it, and match again every post holding text the new
post made boilerplate. Each pair's latest decision replaces the earlier one, so the links,
and the clusters made from them, do not depend on the order posts arrived in.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from dedupe.cluster import Edge
from dedupe.fingerprint import Fingerprint, fingerprint
from dedupe.index import DedupeIndex
from dedupe.match import Match, Revision, match_and_revise

__all__ = ["Links", "add_post"]


class Links:
    """Verified links by pair of posts; a pair's latest decision wins."""

    def __init__(self) -> None:
        self._by_pair: dict[frozenset, tuple[Hashable, Match]] = {}
        self._of_post: dict[Hashable, set[frozenset]] = {}

    def _put(self, key: Hashable, m: Match) -> None:
        pair = frozenset((key, m.key))
        self._by_pair[pair] = (key, m)
        for member in pair:
            self._of_post.setdefault(member, set()).add(pair)

    def set_post(self, key: Hashable, matches: Iterable[Match]) -> None:
        """Replace every link of ``key`` with ``matches`` (from matching ``key`` now)."""
        for pair in self._of_post.pop(key, set()):
            self._by_pair.pop(pair, None)
            for member in pair - {key}:
                self._of_post.get(member, set()).discard(pair)
        for m in matches:
            self._put(key, m)

    def revise(self, revisions: Iterable[Revision]) -> None:
        """Apply links that a new post changed between archived posts."""
        for revision in revisions:
            self._put(revision.container, revision.match)

    def edges(self) -> list[Edge]:
        """The duplicate links, as edges for :func:`dedupe.cluster`."""
        return [Edge.from_match(key, m) for key, m in self._by_pair.values() if m.is_duplicate]

    def related(self) -> dict[frozenset, Match]:
        """The text-reuse links by pair (the match as seen from one of the two posts)."""
        return {pair: m for pair, (_, m) in self._by_pair.items() if not m.is_duplicate}


def add_post(index: DedupeIndex, links: Links, key: Hashable, text: str,
             get_text: Callable[[Hashable], str | None],
             fp: Fingerprint | None = None) -> list[Hashable]:
    """Match a new post, record its links, index it, and re-match what it changed.

    Args:
        index: The archive's index (``key`` not in it yet).
        links: The archive's links, updated in place.
        key: The new post's key.
        text: Its body.
        get_text: Loads an archived post's body by key (the new one included, once added).
        fp: ``fingerprint(text, index.params)``, if already made.

    Returns:
        The archived posts matched again because the new post made some of their text
        boilerplate (usually none).
    """
    fp = fp or fingerprint(text, index.params)
    found, revisions = match_and_revise(fp, text, index, get_text, exclude=key)
    links.set_post(key, found)
    links.revise(revisions)
    # The new post itself is among them: it was matched before its text counted as such.
    holders = index.holders(index.add(key, fp))
    for holder in holders:
        relink(index, links, holder, get_text)
    return holders


def relink(index: DedupeIndex, links: Links, key: Hashable,
           get_text: Callable[[Hashable], str | None]) -> None:
    """Match an indexed post again and replace its links (its text is unchanged)."""
    text = get_text(key)
    if text is None:
        return
    found, revisions = match_and_revise(fingerprint(text, index.params), text, index, get_text,
                                        exclude=key)
    links.set_post(key, found)
    links.revise(revisions)

"""Classify a post against the archive: exact duplicate, near duplicate or related."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from dedupe.document import Document, analyze
from dedupe.fingerprint import Fingerprint, fingerprint_document
from dedupe.index import DedupeIndex
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.verify import Comparison, compare, covered_words, covers_both, member

__all__ = ["Match", "Revision", "as_related", "classify", "compilation_parts", "decide",
           "decide_all", "is_compilation_part", "match", "match_and_revise",
           "needs_container_check", "new_inside", "other_inside", "pair_boilerplate",
           "sentence_share"]

Kind = Literal["exact", "near", "related"]
Method = Literal["exact", "jaccard", "containment", "excerpt", "coverage", "paragraphs",
                 "sentences"]
_KIND_ORDER = {"exact": 0, "near": 1, "related": 2}


@dataclass(frozen=True)
class Match:
    """One verified link between the new post and an archived one.

    Attributes:
        key: The archived post's key.
        kind: ``"exact"`` (same normalized text), ``"near"`` (same story, edited) or
            ``"related"`` (text reuse; never merged into a cluster).
        method: What decided: ``"exact"``, ``"jaccard"`` (shingle Jaccard ≥ threshold),
            ``"containment"`` (the shorter post wholly inside the longer), ``"excerpt"`` (the
            shorter post is the longer one's opening, as a listing excerpt is),
            ``"coverage"`` (aligned paragraphs hold most of both posts), ``"paragraphs"``
            (a share of paragraph text reused) or ``"sentences"`` (sentences shared).
        similarity: The deciding score: 1.0, the Jaccard, the containment (for both
            containment and excerpt), :attr:`coverage`, ``shared_fraction`` or
            :func:`sentence_share` respectively.
        shared_fraction: The larger of ``new_reused`` and ``other_reused``.
        new_reused: Share of the new post's paragraph text found in the archived one.
        other_reused: Share of the archived post's paragraph text found in the new one.
        jaccard: Shingle Jaccard similarity of the two texts.
        new_in_other: Share of the new post's shingles found in the archived one.
        other_in_new: Share of the archived post's shingles found in the new one.
        new_covered: Share of the new post's paragraph text aligned with the archived one.
        other_covered: Share of the archived post's paragraph text aligned with the new one.
        sentences: Sentences both posts hold (normalized words; see
            :func:`dedupe.verify.shared_sentences`).
    """

    key: Hashable
    kind: Kind
    method: Method
    similarity: float
    shared_fraction: float
    new_reused: float = 0.0
    other_reused: float = 0.0
    jaccard: float = 0.0
    new_in_other: float = 0.0
    other_in_new: float = 0.0
    new_covered: float = 0.0
    other_covered: float = 0.0
    sentences: tuple[str, ...] = ()

    @property
    def coverage(self) -> float:
        """How much of both posts is shared: the smaller covered share."""
        return min(self.new_covered, self.other_covered)

    @property
    def is_duplicate(self) -> bool:
        """True for exact and near duplicates (the links that form clusters)."""
        return self.kind != "related"


def decide(c: Comparison, params: Params | None = None, key: Hashable = None) -> Match | None:
    """Classify a :class:`Comparison`; ``None`` if the texts are unrelated.

    Rules, first that applies: equal normalized text → exact; Jaccard ≥
    ``jaccard_threshold`` → near (jaccard); the smaller text's shingles ≥
    ``containment_threshold`` inside the larger, and the smaller is at least
    ``containment_min_ratio`` of the larger → near (containment), or is the larger one's
    opening with at most ``excerpt_max_words`` words → near (excerpt); the paragraphs
    aligned between the texts hold at least ``coverage_threshold`` of *both*, both have
    ``coverage_min_words`` words and ``coverage_min_containment`` of their shingles in the
    other → near (coverage); either text's reused paragraph share ≥ ``related_threshold``, with at least
    ``related_min_shingles`` shingles in common → related (paragraphs); at least
    ``sentence_min_shared`` shared sentences with ``related_min_shingles`` words or more,
    and at least ``sentence_related_share`` of the shorter text → related (sentences).
    """
    params = params or DEFAULT_PARAMS
    if c.a_words == 0 or c.b_words == 0:
        return None
    if c.exact:
        return Match(key, "exact", "exact", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
    scores = {"shared_fraction": c.shared_fraction, "new_reused": c.a_reused,
              "other_reused": c.b_reused, "jaccard": c.jaccard, "new_in_other": c.a_in_b,
              "other_in_new": c.b_in_a, "new_covered": c.a_covered,
              "other_covered": c.b_covered, "sentences": c.sentences}
    if c.jaccard >= params.jaccard_threshold:
        return Match(key, "near", "jaccard", c.jaccard, **scores)
    if c.contained >= params.containment_threshold:
        if c.size_ratio >= params.containment_min_ratio:
            return Match(key, "near", "containment", c.contained, **scores)
        if c.lead and c.smaller_words <= params.excerpt_max_words:
            return Match(key, "near", "excerpt", c.contained, **scores)
    if covers_both(c.a_covered, c.b_covered, c.a_in_b, c.b_in_a, min(c.a_words, c.b_words),
                   params):
        return Match(key, "near", "coverage", c.coverage, **scores)
    if (c.shared_fraction >= params.related_threshold
            and c.shared_shingles >= params.related_min_shingles):
        return Match(key, "related", "paragraphs", c.shared_fraction, **scores)
    share = sentence_share(c)
    if (len(c.sentences) >= params.sentence_min_shared
            and c.sentence_words >= params.related_min_shingles
            and share >= params.sentence_related_share):
        return Match(key, "related", "sentences", share, **scores)
    return None


def sentence_share(c: Comparison) -> float:
    """Words of the shared sentences over the shorter text's words."""
    shorter = min(c.a_words, c.b_words)
    return min(1.0, c.sentence_words / shorter) if shorter else 0.0


def classify(new: Document, other: Document, params: Params | None = None,
             key: Hashable = None) -> Match | None:
    """Compare two analysed texts and classify the result (see :func:`decide`)."""
    params = params or DEFAULT_PARAMS
    return decide(compare(new, other, params), params, key)


@dataclass(frozen=True)
class Revision:
    """A link between two archived posts that a new post changes.

    The new post showed ``container`` to be a compilation (a digest quoting two or more
    stories), so its link to ``match.key`` — recorded as a duplicate when the other parts
    were not yet archived — is text reuse. Apply it as if ``container`` were the new post
    matched now: whatever order posts arrive in, the links end up the same.
    """

    container: Hashable
    match: Match


def match(
    fp: Fingerprint,
    text: str,
    index: DedupeIndex,
    get_text: Callable[[Hashable], str | None],
    *,
    exclude: Hashable | None = None,
) -> list[Match]:
    """Find the archived posts that ``text`` duplicates or reuses (see
    :func:`match_and_revise`, which also says which archived links the post changes)."""
    return match_and_revise(fp, text, index, get_text, exclude=exclude)[0]


def match_and_revise(
    fp: Fingerprint,
    text: str,
    index: DedupeIndex,
    get_text: Callable[[Hashable], str | None],
    *,
    exclude: Hashable | None = None,
) -> tuple[list[Match], list[Revision]]:
    """Find the archived posts that ``text`` duplicates or reuses.

    The index proposes candidates (same normalized hash, LSH bands, shared paragraph
    anchors); each is verified on its real text before it is reported, so LSH false
    positives never link posts. Compilations (digests of whole posts) are related to the
    posts they contain, not duplicates of them (see :func:`decide_all`); when the new post is
    wholly inside a larger archived post, that post is checked the same way against its own
    candidates.

    Args:
        fp: Fingerprint of ``text`` (from :func:`dedupe.fingerprint`, or
            ``Fingerprint.from_stored``).
        text: The post body ``fp`` was made from; analysed again only when ``fp`` carries
            no analysis (a fingerprint rebuilt from stored bytes).
        index: The archive's index (the post itself need not be indexed yet).
        get_text: Loads an archived post's body by key; may return ``None`` for a post
            that no longer exists (it is skipped).
        exclude: Key never to match — the post's own key, so an edited post is a new
            version of itself and never its own duplicate.

    Returns:
        Matches ordered exact, near, related, most similar first within each kind; and the
        :class:`Revision` of each archived link the new post changes (a container it
        completes as a compilation: the container's links to its other parts).

    Raises:
        ValueError: If ``fp`` was made with other params than the index, or (for a
            stored fingerprint) is not the fingerprint of ``text``.
    """
    params = index.params
    if fp.params_fingerprint != params.fingerprint():
        raise ValueError(
            f"fingerprint made with {fp.params_fingerprint!r}, index uses {params.fingerprint()!r}"
        )
    new = fp.document if fp.document is not None else analyze(text, params)
    if new.norm_hash != fp.norm_hash:
        raise ValueError("fp is not the fingerprint of text (normalized hashes differ)")
    load = _Loader(get_text, index)
    boilerplate = index.boilerplate(fp.paragraph_hashes)
    compared = _compare_with(new, index.candidates(fp, exclude=exclude), load, index,
                             boilerplate)
    comparisons = {key: c for key, _, c in compared}
    found, revisions = [], []
    for m in decide_all(new, compared, params):
        if needs_container_check(m, comparisons[m.key], params):
            container = load(m.key)
            container_fp = fingerprint_document(container, params)
            candidates = [c for c in index.candidates(container_fp, exclude=m.key)
                          if c.key != exclude]
            around_boilerplate = index.boilerplate(container_fp.paragraph_hashes)
            around = _compare_with(container, candidates, load, index, around_boilerplate)
            around.append((_NEW, new, compare(container, new, params, pair_boilerplate(
                index, around_boilerplate, new))))
            # Near parts made related (none unless the container is a compilation).
            parts = compilation_parts(container, around, params)
            if any(part.key is _NEW for part in parts):
                m = as_related(m)
            revisions += [Revision(m.key, part) for part in parts if part.key is not _NEW]
        found.append(m)
    return found, revisions


_NEW = object()


class _Loader:
    """Loads archived texts once per ``match`` call; analyses them unless the index kept
    their analysis (:meth:`DedupeIndex.document`), and leaves it the new ones."""

    def __init__(self, get_text: Callable[[Hashable], str | None], index: DedupeIndex) -> None:
        self.get_text, self.index, self.docs = get_text, index, {}

    def __call__(self, key: Hashable) -> Document | None:
        if key not in self.docs:
            text, doc = self.get_text(key), None
            if text is not None:
                doc = self.index.document(key, text)
                if doc is None:
                    doc = analyze(text, self.index.params)
                    self.index.keep_document(key, doc, text)
            self.docs[key] = doc
        return self.docs[key]


def _compare_with(doc: Document, candidates: list, load: _Loader, index: DedupeIndex,
                  boilerplate: np.ndarray) -> list[tuple[Hashable, Document, Comparison]]:
    compared = []
    for candidate in candidates:
        other = load(candidate.key)
        if other is not None:
            pair = pair_boilerplate(index, boilerplate, other)
            compared.append((candidate.key, other, compare(doc, other, index.params, pair)))
    return compared


def pair_boilerplate(index: DedupeIndex, own: np.ndarray, other: Document) -> np.ndarray:
    """Boilerplate anchors of a pair: ``own`` (one post's, from
    :meth:`DedupeIndex.boilerplate`) and the other post's. Both posts' count, so a pair is
    measured alike whichever of the two arrived last."""
    theirs = index.boilerplate(other.anchors(index.params.anchor_words))
    return np.union1d(own, theirs) if len(theirs) else own


def as_related(m: Match) -> Match:
    """The same link recorded as text reuse (for a part of a compilation)."""
    return replace(m, kind="related", method="paragraphs", similarity=m.shared_fraction)


def decide_all(new: Document, compared: list[tuple[Hashable, Document, Comparison]],
               params: Params | None = None) -> list[Match]:
    """Classify a new post's comparisons with all its candidates, together.

    Each comparison is decided alone (:func:`decide`), then a compilation rule looks at them
    together: a post wholly containing two or more archived posts that lie side by side in
    it (different stories, not versions of one), each at least
    ``params.compilation_min_share`` of its size, is a digest of other stories — it reuses
    each of them but is none of them, so its duplicate links become related (except to a
    post it lies inside: a copy of the digest itself).

    Args:
        new: The new post's document.
        compared: ``(key, document, comparison)`` per candidate, where ``comparison`` is
            ``compare(new, document)``.

    Returns:
        Matches ordered exact, near, related; most similar first within each kind.
    """
    return _decide_all(new, compared, params or DEFAULT_PARAMS)[0]


def _decide_all(new: Document, compared: list[tuple[Hashable, Document, Comparison]],
                params: Params) -> tuple[list[Match], set[Hashable]]:
    """:func:`decide_all`, and the keys whose duplicate links the compilation rule made
    related."""
    verified = [(m, doc, c) for key, doc, c in compared
                if (m := decide(c, params, key)) is not None]
    parts = [doc for m, doc, c in verified
             if not c.exact and other_inside(c, params)
             and c.size_ratio >= params.compilation_min_share]
    found = [m for m, _, _ in verified]
    changed: set[Hashable] = set()
    if len(parts) >= 2 and _side_by_side(new, parts, params):
        changed = {m.key for m, _, c in verified
                   if m.kind == "near" and not new_inside(c, params)}
        found = [as_related(m) if m.key in changed else m for m in found]
    found.sort(key=lambda m: (_KIND_ORDER[m.kind], -m.similarity))
    return found, changed


def other_inside(c: Comparison, params: Params) -> bool:
    """True if the other text of ``c`` lies (almost) wholly inside the new one: its
    shingles reach ``containment_threshold``, or its aligned paragraphs do and most of its
    shingles are there too (an edited copy; a post with a few quoted sentences in each
    paragraph aligns wholly but is not inside)."""
    return ((not c.a_smaller and c.b_in_a >= params.containment_threshold)
            or (c.b_covered > c.a_covered and c.b_covered >= params.containment_threshold
                and c.b_in_a >= _PARTS_OVERLAP))


def new_inside(c: Comparison, params: Params) -> bool:
    """True if the new text of ``c`` lies (almost) wholly inside the other one."""
    return ((c.a_smaller and c.a_in_b >= params.containment_threshold)
            or (c.a_covered > c.b_covered and c.a_covered >= params.containment_threshold
                and c.a_in_b >= _PARTS_OVERLAP))


def needs_container_check(m: Match, c: Comparison, params: Params) -> bool:
    """True if the other post of ``m`` might be a compilation that decides ``m``: ``m``
    is a duplicate link and the other post does not lie inside the new one (were it a
    digest, ``m`` would be text reuse: see :func:`decide_all`), or the new post lies
    inside a larger post (the new post may be the part that completes the compilation,
    itself only related, and the container's other links are revised whatever ``m`` is).
    Checking exactly the pairs the other post's own view would change keeps a pair's
    decision the same whichever of the two arrived last."""
    if m.kind == "near" and not other_inside(c, params):
        return True
    return new_inside(c, params) and c.size_ratio <= 1.0 - params.compilation_min_share


def compilation_parts(container: Document,
                      around: list[tuple[Hashable, Document, Comparison]], params: Params
                      ) -> list[Match]:
    """Seen from a container post, its links that the compilation rule makes related (when
    the container is a compilation; else none).

    Args:
        container: The container's document.
        around: The container's comparisons with its candidates (``compare(container,
            other)``).
    """
    decisions, changed = _decide_all(container, around, params)
    return [m for m in decisions if m.key in changed]


def is_compilation_part(container: Document,
                        around: list[tuple[Hashable, Document, Comparison]], key: Hashable,
                        params: Params) -> bool:
    """True if, seen from a container post that is a compilation, the link to ``key`` is
    text reuse because of it."""
    return any(m.key == key for m in compilation_parts(container, around, params))


def _side_by_side(container: Document, parts: list[Document], params: Params) -> bool:
    """True if some two of the parts lie side by side in the container: the container's
    words each one covers (:func:`dedupe.verify.covered_words`) overlap in less than
    ``_PARTS_OVERLAP`` of the smaller part's. A digest's stories sit one after the other;
    versions of one story (a heavy rewrite and a cut copy, say) cover the same words, even
    when they fail every duplicate rule between themselves."""
    k = params.shingle_size
    masks = [covered_words(container, member(container.shingles, part.unique), k)
             for part in parts]
    sizes = [int(np.count_nonzero(mask)) for mask in masks]
    for i, first in enumerate(masks):
        for j in range(i + 1, len(masks)):
            both = int(np.count_nonzero(first & masks[j]))
            if both < _PARTS_OVERLAP * min(sizes[i], sizes[j]):
                return True
    return False


#: Two parts of a compilation share less than this share of the smaller one's shingles.
_PARTS_OVERLAP = 0.5

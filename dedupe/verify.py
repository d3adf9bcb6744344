"""Exact similarity measures on real shingle sets (never on MinHash estimates)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dedupe.document import Document
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.shingle import fold_hashes, word_hashes

__all__ = ["Comparison", "compare", "containment", "covered_words", "covers_both", "jaccard",
           "member", "reused_fraction", "reused_words", "shared_sentences"]

#: Extra shingles allowed before an excerpt's text starts in the longer post (a new title
#: line, a dateline).
_LEAD_SLACK = 16


def member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Boolean mask: which of ``values`` are in the sorted array ``sorted_set``."""
    if len(sorted_set) == 0 or len(values) == 0:
        return np.zeros(len(values), dtype=bool)
    positions = np.searchsorted(sorted_set, values)
    np.minimum(positions, len(sorted_set) - 1, out=positions)
    return sorted_set[positions] == values


def _intersection(a: Document, b: Document) -> int:
    return int(np.count_nonzero(member(a.unique, b.unique)))


def jaccard(a: Document, b: Document) -> float:
    """Jaccard similarity of the two shingle sets (1.0 for two empty texts)."""
    size_a, size_b = len(a.unique), len(b.unique)
    if size_a == 0 and size_b == 0:
        return 1.0
    shared = _intersection(a, b)
    return shared / (size_a + size_b - shared)


def containment(a: Document, b: Document) -> float:
    """Share of ``a``'s shingles found in ``b`` (0.0 if ``a`` has none)."""
    return _intersection(a, b) / len(a.unique) if len(a.unique) else 0.0


def reused_words(a: Document, b: Document, params: Params | None = None,
                 boilerplate: np.ndarray | None = None) -> tuple[int, int]:
    """Words of ``a``'s paragraphs that ``b`` reuses, and words of all eligible paragraphs.

    A paragraph of ``a`` with at least ``params.min_paragraph_words`` words is reused when
    at least ``params.paragraph_reuse_threshold`` of the shingles lying wholly inside it
    occur anywhere in ``b``, so light edits and reordering still count. Shorter paragraphs,
    and boilerplate ones (whose head or tail anchor is in the sorted array ``boilerplate``),
    count on neither side.
    """
    return _reused_words(a, member(a.shingles, b.unique), params or DEFAULT_PARAMS,
                         boilerplate)


def _reused_words(a: Document, hits: np.ndarray, params: Params,
                  boilerplate: np.ndarray | None) -> tuple[int, int]:
    """:func:`reused_words`, given which of ``a``'s shingles (by position) the other text has."""
    reused, _, total = _paragraph_shares(a, hits, params, boilerplate)
    return reused, total


class _Spans(NamedTuple):
    """A document's eligible paragraphs, as :func:`_paragraph_shares` measures them."""

    starts: np.ndarray  # first word (and first shingle) of each eligible paragraph
    ends: np.ndarray    # end of the shingles lying wholly inside it
    sizes: np.ndarray   # its words
    total: int          # words of all eligible paragraphs
    low: np.ndarray     # per word: the first shingle holding it...
    high: np.ndarray    # ... and one past the last (as prefix-sum indices)


def _eligible_paragraphs(a: Document, params: Params, boilerplate: np.ndarray | None
                         ) -> _Spans:
    """Where the shingles wholly inside each of ``a``'s eligible paragraphs start and end,
    the paragraphs' word counts, their total, and which shingles hold each word. Kept on
    the document for the last params and boilerplate seen: a new post is compared with
    each of its candidates."""
    k, min_words = params.shingle_size, params.min_paragraph_words
    has_boilerplate = boilerplate is not None and len(boilerplate) > 0
    key = (k, min_words, params.anchor_words,
           boilerplate.tobytes() if has_boilerplate else None)
    cached = a._paragraph_cache
    if cached is not None and cached[0] == key:
        return cached[1]
    starts = a.bounds[:-1]
    sizes = a.bounds[1:] - starts
    eligible = sizes >= max(min_words, k)
    if has_boilerplate and eligible.any():
        heads, tails = a.paragraph_anchors(params.anchor_words)
        eligible &= ~(member(heads, boilerplate) | member(tails, boilerplate))
    starts, sizes = starts[eligible], sizes[eligible]
    low, high = _holding_shingles(a.word_count, len(a.shingles), k)
    spans = _Spans(starts, starts + sizes - (k - 1), sizes, int(sizes.sum()), low, high)
    a._paragraph_cache = (key, spans)
    return spans


def _holding_shingles(words: int, shingles: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """For each word, the range ``low:high`` of the shingle positions holding it."""
    j = np.arange(words)
    return np.maximum(j - (k - 1), 0), np.minimum(j, shingles - 1) + 1


def _prefix_sums(hits: np.ndarray) -> np.ndarray:
    sums = np.empty(len(hits) + 1, dtype=np.intp)
    sums[0] = 0
    np.cumsum(hits, out=sums[1:])
    return sums


def covered_words(a: Document, hits: np.ndarray, k: int) -> np.ndarray:
    """Which of ``a``'s words some shingle found in the other text holds (``hits``: per
    shingle position of ``a``, whether the other text has it; ``k``: words per shingle)."""
    sums = _prefix_sums(hits)
    low, high = _holding_shingles(a.word_count, len(hits), k)
    return sums[high] > sums[low]


def _paragraph_shares(a: Document, hits: np.ndarray, params: Params,
                      boilerplate: np.ndarray | None) -> tuple[int, int, int]:
    """Words of ``a``'s reused paragraphs (see :func:`reused_words`), of its aligned
    paragraphs, and of all its eligible paragraphs; ``hits``: which of ``a``'s shingles
    (by position) the other text has. One prefix sum of ``hits`` serves both measures.

    A word is covered when some shingle holding it occurs in the other text, so one reworded
    word uncovers only itself (it breaks ``k`` shingles, but its neighbours stay covered by
    the shingles either side). A paragraph is aligned when at least
    ``params.paragraph_cover_threshold`` of its words are covered: a paragraph with a few
    words changed still counts as shared, where chance five-word phrases cover little.
    """
    spans = _eligible_paragraphs(a, params, boilerplate)
    if spans.total == 0:
        return 0, 0, 0
    sums = _prefix_sums(hits)
    found = sums[spans.ends] - sums[spans.starts]
    reused = found >= params.paragraph_reuse_threshold * (spans.ends - spans.starts)
    covered = _prefix_sums(sums[spans.high] > sums[spans.low])
    found = covered[spans.starts + spans.sizes] - covered[spans.starts]
    aligned = found >= params.paragraph_cover_threshold * spans.sizes
    return int(spans.sizes[reused].sum()), int(spans.sizes[aligned].sum()), spans.total


def shared_sentences(a: Document, b: Document, params: Params | None = None,
                     boilerplate: np.ndarray | None = None) -> list[str]:
    """Sentences of at least ``params.sentence_min_words`` words found in both texts (as
    normalized words), longest first. Shorter ones ("Read more", sign-offs) never count,
    nor do sentences whose opening words are a boilerplate anchor (the sorted array
    ``boilerplate``: a site footer's sentences, repeated in many posts)."""
    params = params or DEFAULT_PARAMS
    mine, theirs = a.sentences(params.sentence_min_words), b.sentences(params.sentence_min_words)
    if len(mine) > len(theirs):
        mine, theirs = theirs, mine
    found = [s for s in mine if s in theirs]
    if found and boilerplate is not None and len(boilerplate):
        heads = _head_hashes(found, [mine[s] for s in found], params.anchor_words)
        found = [s for s, common in zip(found, member(heads, boilerplate)) if not common]
    return sorted(found, key=lambda s: (-mine[s], s))


def _head_hashes(sentences: list[str], sizes: list[int], anchor_words: int) -> np.ndarray:
    """The anchor of each sentence's first ``anchor_words`` words (0 if it has fewer), all
    hashed in one pass."""
    values, _ = word_hashes("\n".join(sentences).encode("utf-8"))
    starts = np.zeros(len(sizes), dtype=np.intp)
    np.cumsum(sizes[:-1], out=starts[1:])
    long_enough = np.asarray(sizes) >= anchor_words
    heads = np.zeros(len(sizes), dtype=np.uint64)
    if long_enough.any():
        heads[long_enough] = fold_hashes(values, starts[long_enough], anchor_words)
    return heads


def reused_fraction(a: Document, b: Document, params: Params | None = None) -> float:
    """Share of ``a``'s paragraph text (by words) that ``b`` reuses (see :func:`reused_words`)."""
    reused, total = reused_words(a, b, params)
    return reused / total if total else 0.0


@dataclass(frozen=True)
class Comparison:
    """How two texts overlap.

    Attributes:
        exact: Equal normalized text (then every score is 1.0).
        jaccard: Jaccard similarity of the shingle sets.
        a_in_b: Share of ``a``'s shingles found in ``b``.
        b_in_a: Share of ``b``'s shingles found in ``a``.
        a_reused: :func:`reused_fraction` of ``a`` in ``b``.
        b_reused: :func:`reused_fraction` of ``b`` in ``a``.
        a_reused_words: Words of ``a``'s reused paragraphs.
        b_reused_words: Words of ``b``'s reused paragraphs.
        shared_shingles: Distinct shingles the two texts have in common.
        size_ratio: Smaller shingle-set size over the larger one.
        lead: The smaller text is the larger one's opening (as an excerpt is).
        a_words: Words in ``a``.
        b_words: Words in ``b``.
        a_covered: Share of ``a``'s paragraph text (by words) in paragraphs aligned with
            ``b`` (a tolerant match: see :func:`_paragraph_shares`).
        b_covered: The same for ``b`` in ``a``.
        sentences: :func:`shared_sentences`, measured only when the texts share two
            sentences' worth of shingles and no duplicate measure (Jaccard, containment,
            coverage) is past its threshold (else empty).
    """

    exact: bool
    jaccard: float
    a_in_b: float
    b_in_a: float
    a_reused: float
    b_reused: float
    a_reused_words: int
    b_reused_words: int
    shared_shingles: int
    size_ratio: float
    lead: bool
    a_words: int
    b_words: int
    a_covered: float = 0.0
    b_covered: float = 0.0
    sentences: tuple[str, ...] = ()

    @property
    def coverage(self) -> float:
        """The smaller of the two covered shares: how much of *both* texts is shared."""
        return min(self.a_covered, self.b_covered)

    @property
    def sentence_words(self) -> int:
        """Words in the shared sentences."""
        return sum(s.count(" ") + 1 for s in self.sentences)

    @property
    def a_smaller(self) -> bool:
        """``a`` has the smaller shingle set (judged by containment; ties count as ``a``)."""
        return self.a_in_b >= self.b_in_a

    @property
    def contained(self) -> float:
        """Share of the smaller text's shingles found in the larger one."""
        return max(self.a_in_b, self.b_in_a)

    @property
    def smaller_words(self) -> int:
        """Words in the smaller text."""
        return self.a_words if self.a_smaller else self.b_words

    @property
    def shared_fraction(self) -> float:
        """The larger of the two reused fractions."""
        return max(self.a_reused, self.b_reused)


def _sentence_floor(params: Params, shorter_words: int) -> int:
    """Below this many shared shingles the sentence rule of :func:`dedupe.match.decide`
    cannot hold, so sentences are not split: it needs ``sentence_min_shared`` sentences
    holding ``related_min_shingles`` words and ``sentence_related_share`` of the shorter
    text, and a shared sentence of ``m`` words holds ``m - k + 1`` shared shingles (fewest
    per word in the shortest sentences; sentences repeating each other's phrases aside)."""
    m, k = params.sentence_min_words, params.shingle_size
    per_word = max(1, m - k + 1) / m
    words = max(params.sentence_min_shared * m, params.related_min_shingles,
                params.sentence_related_share * shorter_words)
    return max(1, int(words * per_word))


def covers_both(a_covered: float, b_covered: float, a_in_b: float, b_in_a: float,
                min_words: int, params: Params) -> bool:
    """The coverage rule of :func:`dedupe.match.decide`: the paragraphs aligned between
    two texts hold at least ``coverage_threshold`` of both, or (an edited copy cut short:
    the tolerant form of the containment rule) ``containment_threshold`` of one and
    ``containment_min_ratio`` of the other; both texts have ``coverage_min_words`` words
    (``min_words``: the shorter one's) and ``coverage_min_containment`` of their
    shingles in the other."""
    inner, outer = max(a_covered, b_covered), min(a_covered, b_covered)
    return ((outer >= params.coverage_threshold
             or (inner >= params.containment_threshold
                 and outer >= params.containment_min_ratio))
            and min_words >= params.coverage_min_words
            and min(a_in_b, b_in_a) >= params.coverage_min_containment)


def _duplicate_measures(jaccard_: float, a_in_b: float, b_in_a: float, a_covered: float,
                        b_covered: float, size_ratio: float, smaller_words: int,
                        params: Params) -> bool:
    """True if the Jaccard, containment or coverage rule of :func:`dedupe.match.decide`
    already makes the texts duplicates: sentences then decide nothing, so they are not
    looked for (a story's versions share most of theirs)."""
    contained = max(a_in_b, b_in_a) >= params.containment_threshold
    return (jaccard_ >= params.jaccard_threshold
            or (contained and size_ratio >= params.containment_min_ratio)
            or covers_both(a_covered, b_covered, a_in_b, b_in_a, smaller_words, params))


def compare(a: Document, b: Document, params: Params | None = None,
            boilerplate: np.ndarray | None = None) -> Comparison:
    """Measure every kind of overlap between two analysed texts.

    Args:
        a: The new text.
        b: The other text.
        params: Thresholds used by the paragraph measures.
        boilerplate: Sorted anchors of boilerplate paragraphs (campaign footers, standard
            disclaimers), left out of the reused fractions; see
            :meth:`dedupe.DedupeIndex.boilerplate`.
    """
    params = params or DEFAULT_PARAMS
    words = {"a_words": a.word_count, "b_words": b.word_count}
    if a.norm_hash == b.norm_hash:
        return Comparison(True, 1.0, 1.0, 1.0, 1.0, 1.0, a.word_count, b.word_count,
                          len(a.unique), 1.0, True, **words, a_covered=1.0, b_covered=1.0)
    unique_a, inverse_a = a.shingle_index()
    unique_b, inverse_b = b.shingle_index()
    size_a, size_b = len(unique_a), len(unique_b)
    # One binary search of a's distinct shingles in b's answers both directions: a's i-th
    # distinct shingle is b's ``at[i]``-th exactly where ``a_in_b[i]``.
    if size_a and size_b:
        at = np.searchsorted(unique_b, unique_a)
        np.minimum(at, size_b - 1, out=at)
        a_in_b = unique_b[at] == unique_a
    else:
        at, a_in_b = np.zeros(size_a, dtype=np.intp), np.zeros(size_a, dtype=bool)
    matched = at[a_in_b]
    b_in_a = np.zeros(size_b, dtype=bool)
    b_in_a[matched] = True
    shared = len(matched)
    union = size_a + size_b - shared
    a_hits, b_hits = a_in_b[inverse_a], b_in_a[inverse_b]
    if shared:
        a_reused, a_covered, a_total = _paragraph_shares(a, a_hits, params, boilerplate)
        b_reused, b_covered, b_total = _paragraph_shares(b, b_hits, params, boilerplate)
    else:  # nothing shared (an LSH false positive): nothing reused or covered
        a_reused = a_covered = a_total = b_reused = b_covered = b_total = 0
    jaccard_ = shared / union if union else 0.0
    a_cov = a_covered / a_total if a_total else 0.0
    b_cov = b_covered / b_total if b_total else 0.0
    sentences = ()
    ratio = min(size_a, size_b) / max(size_a, size_b) if union else 0.0
    shorter = min(a.word_count, b.word_count)
    if shared >= _sentence_floor(params, shorter) and not _duplicate_measures(
            jaccard_, shared / size_a, shared / size_b, a_cov, b_cov, ratio, shorter, params):
        sentences = tuple(shared_sentences(a, b, params, boilerplate))
    # Is the smaller text (almost) the larger one's opening, as an excerpt is? At least
    # containment_threshold of its shingles must occur among the larger text's first ones
    # (as many, plus _LEAD_SLACK): mark the larger text's distinct shingles found there,
    # then count the smaller text's shingles among them.
    a_short = size_a <= size_b
    short_hits, short_inverse = (a_hits, inverse_a) if a_short else (b_hits, inverse_b)
    count = len(short_inverse)
    need = params.containment_threshold * count
    lead = False
    # Shingles found anywhere in the larger text bound those found in its opening.
    if count and np.count_nonzero(short_hits) >= need:
        limit = count + _LEAD_SLACK
        if a_short:
            opening = np.zeros(size_b, dtype=bool)
            opening[inverse_b[:limit]] = True
            in_opening = a_in_b & opening[at]
        else:
            opening = np.zeros(size_a, dtype=bool)
            opening[inverse_a[:limit]] = True
            in_opening = np.zeros(size_b, dtype=bool)
            in_opening[matched] = opening[a_in_b]
        lead = bool(np.count_nonzero(in_opening[short_inverse]) >= need)
    return Comparison(
        exact=False,
        jaccard=jaccard_,
        a_in_b=shared / size_a if size_a else 0.0,
        b_in_a=shared / size_b if size_b else 0.0,
        a_reused=a_reused / a_total if a_total else 0.0,
        b_reused=b_reused / b_total if b_total else 0.0,
        a_reused_words=a_reused,
        b_reused_words=b_reused,
        shared_shingles=shared,
        size_ratio=ratio,
        lead=lead,
        **words,
        a_covered=a_cov,
        b_covered=b_cov,
        sentences=sentences,
    )

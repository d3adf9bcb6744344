"""Why two posts were linked: the deciding measure, its value and threshold, and how their
paragraphs align (for ``dupes show``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dedupe.document import Document, analyze
from dedupe.match import decide, sentence_share
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.verify import Comparison, compare, covered_words, member

__all__ = ["AlignedParagraph", "Explanation", "align_paragraphs", "explain"]

#: The measure each method is decided by, and the parameter holding its threshold.
_MEASURES = {
    "exact": ("exact", None),
    "jaccard": ("Jaccard", "jaccard_threshold"),
    "containment": ("containment", "containment_threshold"),
    "excerpt": ("containment", "containment_threshold"),
    "coverage": ("coverage", "coverage_threshold"),
    "paragraphs": ("paragraph reuse", "related_threshold"),
    "sentences": ("shared sentences", "sentence_related_share"),
}


@dataclass(frozen=True)
class AlignedParagraph:
    """One paragraph of the first text and its best counterpart in the second.

    Attributes:
        a: Index of the paragraph in the first text (among its lines, title included).
        b: Index of the paragraph of the second text holding most of its shared shingles
            (``None`` if it shares none).
        covered: Share of its words covered by shingles the second text holds.
        aligned: ``covered`` reaches ``params.paragraph_cover_threshold``.
        text: The paragraph (normalized).
    """

    a: int
    b: int | None
    covered: float
    aligned: bool
    text: str


@dataclass(frozen=True)
class Explanation:
    """A decision between two texts, spelled out.

    Attributes:
        kind: ``"exact"``, ``"near"``, ``"related"`` or ``"none"``.
        method: The deciding method (see :class:`dedupe.Match`), ``"none"`` if unlinked.
        measure: The measure that decided ("exact", "Jaccard", "containment", "coverage",
            "paragraph reuse", "shared sentences").
        value: Its value.
        threshold: The threshold it reached (``None`` for exact).
        measures: Every measure, by name (Jaccard, containment, coverage of each side…).
        paragraphs: How the first text's paragraphs align with the second's.
        sentences: Sentences both texts hold (normalized).
    """

    kind: str
    method: str
    measure: str
    value: float
    threshold: float | None
    measures: dict[str, float] = field(default_factory=dict)
    paragraphs: list[AlignedParagraph] = field(default_factory=list)
    sentences: tuple[str, ...] = ()


def align_paragraphs(a: Document, b: Document, params: Params | None = None
                     ) -> list[AlignedParagraph]:
    """Align each paragraph of ``a`` (of at least ``params.min_paragraph_words`` words) with
    the paragraph of ``b`` where most of its shared shingles occur.

    Words count as covered as in the coverage rule: some shingle holding them occurs in
    ``b``, so a few reworded words leave a paragraph aligned.
    """
    params = params or DEFAULT_PARAMS
    k = params.shingle_size
    lines = a.normalized.split("\n")
    if not len(a.shingles) or not len(b.shingles):
        return []
    hits = member(a.shingles, b.unique)
    covered = covered_words(a, hits, k)
    # Where each of b's distinct shingles first occurs, and so in which paragraph.
    unique_b, first_b = np.unique(b.shingles, return_index=True)
    at = np.minimum(np.searchsorted(unique_b, a.shingles), len(unique_b) - 1)
    b_paragraph = np.searchsorted(b.bounds, first_b[at], side="right") - 1
    found = []
    for i, (start, end) in enumerate(zip(a.bounds[:-1].tolist(), a.bounds[1:].tolist())):
        if end - start < params.min_paragraph_words:
            continue
        share = float(covered[start:end].mean())
        inside = hits[start:max(start, end - k + 1)]
        targets = b_paragraph[start:start + len(inside)][inside]
        best = int(np.bincount(targets).argmax()) if len(targets) else None
        found.append(AlignedParagraph(i, best, share, share >= params.paragraph_cover_threshold,
                                      lines[i] if i < len(lines) else ""))
    return found


def _measures(c: Comparison) -> dict[str, float]:
    return {"jaccard": c.jaccard, "containment": c.contained, "coverage": c.coverage,
            "covered_first": c.a_covered, "covered_second": c.b_covered,
            "reused_first": c.a_reused, "reused_second": c.b_reused,
            "size_ratio": c.size_ratio, "sentence_share": sentence_share(c)}


def explain(text: str, other: str, params: Params | None = None) -> Explanation:
    """Explain how ``text`` and ``other`` compare, as :func:`dedupe.match` decides a pair on
    its own (the digest rule, which looks at other posts too, is not applied here)."""
    params = params or DEFAULT_PARAMS
    a, b = analyze(text, params), analyze(other, params)
    c = compare(a, b, params)
    m = decide(c, params)
    aligned = align_paragraphs(a, b, params)
    if m is None:
        return Explanation("none", "none", "coverage", c.coverage, params.coverage_threshold,
                           _measures(c), aligned, c.sentences)
    measure, threshold_name = _MEASURES[m.method]
    if m.method == "coverage" and m.similarity < params.coverage_threshold:
        # The cut-copy form: one post aligned wholly, the other past the containment ratio.
        measure, threshold_name = "coverage of the longer (a cut copy)", "containment_min_ratio"
    threshold = getattr(params, threshold_name) if threshold_name else None
    return Explanation(m.kind, m.method, measure, m.similarity, threshold, _measures(c),
                       aligned, c.sentences)

"""One text analysed for matching: normalized form, word and shingle hashes, paragraphs."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from dedupe.normalize import normalize
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.shingle import (
    distinct,
    fold_hashes,
    sentence_starts,
    shingle_hashes,
    word_hashes,
    words,
)

__all__ = ["Document", "analyze", "norm_hash", "sentence_heads"]

_NEWLINE = ord("\n")
#: A sentence ends at ., ! or ? (with any closing quotes or brackets) before a space, or at
#: a line end; "Cllr." or "St." split a sentence early, which only makes the pieces shorter.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n")


def norm_hash(normalized: str) -> str:
    """Hash of normalized text: BLAKE2b-128 of its UTF-8 bytes, as 32 lowercase hex digits."""
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=16).hexdigest()


class Document:
    """A text prepared for comparison (transient; nothing here is stored).

    Attributes:
        normalized: ``normalize(text)``.
        norm_hash: :func:`norm_hash` of ``normalized``.
        words: uint64 hash of each word, in order.
        bounds: word offsets of the paragraphs: paragraph ``i`` holds words
            ``bounds[i]:bounds[i + 1]``.
        shingles: uint64 hash of each word k-gram, in order; shingle ``j`` starts at word
            ``j``, so it belongs to the paragraph holding word ``j``. Shingles run across
            paragraph breaks, so where a copy breaks its paragraphs does not matter.
    """

    __slots__ = ("_anchor_cache", "_inverse", "_paragraph_cache", "_sentence_cache", "_unique",
                 "bounds", "norm_hash", "normalized", "sentence_starts", "shingles", "words")

    def __init__(self, normalized: str, params: Params) -> None:
        self.normalized = normalized
        self.norm_hash = norm_hash(normalized)
        data = normalized.encode("utf-8")
        self.words, starts = word_hashes(data)
        newlines = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == _NEWLINE)
        # Paragraph i + 1 starts at the first word after newline i (no word starts on one).
        bounds = np.empty(len(newlines) + 2, dtype=np.intp)
        bounds[0], bounds[-1] = 0, len(starts)
        bounds[1:-1] = np.searchsorted(starts, newlines)
        self.bounds = bounds
        self.sentence_starts = sentence_starts(data, starts)
        self.shingles = shingle_hashes(self.words, params.shingle_size)
        self._clear_caches()

    @classmethod
    def from_parts(cls, normalized: str, norm_hash: str, words: np.ndarray,
                   bounds: np.ndarray, shingles: np.ndarray,
                   sentence_starts: np.ndarray) -> Document:
        """A document whose arrays were computed elsewhere (by :mod:`dedupe.batch`, for many
        texts at once); they must equal what ``Document(normalized, params)`` computes."""
        doc = cls.__new__(cls)
        doc.normalized, doc.norm_hash = normalized, norm_hash
        doc.words, doc.bounds, doc.shingles = words, bounds, shingles
        doc.sentence_starts = sentence_starts
        doc._clear_caches()
        return doc

    def _clear_caches(self) -> None:
        self._unique: np.ndarray | None = None
        self._inverse: np.ndarray | None = None
        self._anchor_cache: tuple[int, np.ndarray, np.ndarray] | None = None
        # Owned by dedupe.verify: the eligible paragraphs for the last params compared with.
        self._paragraph_cache: tuple | None = None
        self._sentence_cache: tuple[int, dict[str, int]] | None = None

    def sentences(self, min_words: int) -> dict[str, int]:
        """Distinct sentences of at least ``min_words`` words, as their words joined by single
        spaces (so punctuation does not matter), each with its word count. Kept for the last
        ``min_words`` asked for; computed only when sentence reuse is measured."""
        cached = self._sentence_cache
        if cached is not None and cached[0] == min_words:
            return cached[1]
        found: dict[str, int] = {}
        for piece in _SENTENCE_END.split(self.normalized):
            tokens = words(piece)
            if len(tokens) >= min_words:
                found.setdefault(" ".join(tokens), len(tokens))
        self._sentence_cache = (min_words, found)
        return found

    @property
    def word_count(self) -> int:
        """Number of words."""
        return len(self.words)

    @property
    def unique(self) -> np.ndarray:
        """Sorted distinct shingle hashes (the shingle set)."""
        if self._unique is None:
            self._unique = distinct(self.shingles)
        return self._unique

    def shingle_index(self) -> tuple[np.ndarray, np.ndarray]:
        """``(unique, inverse)``: the sorted distinct shingles and the position in ``unique``
        of each shingle (``unique[inverse] == shingles``).

        A comparison tests membership once per pair of distinct sets and maps the answer
        onto shingle positions with ``inverse``, instead of a binary search per position.
        """
        if self._inverse is None:
            self._inverse = np.searchsorted(self.unique, self.shingles)
        return self._unique, self._inverse

    def paragraph_words(self) -> np.ndarray:
        """Number of words in each paragraph."""
        return np.diff(self.bounds)

    def paragraph_anchors(self, anchor_words: int) -> tuple[np.ndarray, np.ndarray]:
        """Hashes of the first and of the last ``anchor_words`` words of each paragraph
        (0 for paragraphs with fewer words). Kept for the last ``anchor_words`` asked for:
        a new post is checked for boilerplate against every candidate. Read-only."""
        cached = self._anchor_cache
        if cached is not None and cached[0] == anchor_words:
            return cached[1], cached[2]
        heads, tails = self._paragraph_anchors(anchor_words)
        heads.flags.writeable = tails.flags.writeable = False
        self._anchor_cache = (anchor_words, heads, tails)
        return heads, tails

    def _paragraph_anchors(self, anchor_words: int) -> tuple[np.ndarray, np.ndarray]:
        starts, ends = self.bounds[:-1], self.bounds[1:]
        long_enough = (ends - starts) >= anchor_words
        heads = np.zeros(len(starts), dtype=np.uint64)
        tails = np.zeros(len(starts), dtype=np.uint64)
        if long_enough.any():
            heads[long_enough] = fold_hashes(self.words, starts[long_enough], anchor_words)
            tails[long_enough] = fold_hashes(self.words, ends[long_enough] - anchor_words,
                                             anchor_words)
        return heads, tails

    def anchors(self, anchor_words: int) -> np.ndarray:
        """Sorted distinct hashes of the first and last ``anchor_words`` words of each
        paragraph with at least that many words, of the first ``anchor_words`` words of each
        sentence inside a paragraph (when the paragraph holds that many from there on), and
        of the text's first ``anchor_words`` words (its lead, which runs across a short
        title line into the body)."""
        starts, ends = self.bounds[:-1], self.bounds[1:]
        long_enough = (ends - starts) >= anchor_words
        lead = np.zeros(1 if self.word_count >= anchor_words else 0, dtype=starts.dtype)
        heads = sentence_heads(self.sentence_starts, self.bounds, anchor_words)
        positions = np.concatenate([starts[long_enough], ends[long_enough] - anchor_words,
                                    heads, lead])
        if len(positions) == 0:
            return np.zeros(0, dtype=np.uint64)
        return distinct(fold_hashes(self.words, positions, anchor_words))


def sentence_heads(sentences: np.ndarray, bounds: np.ndarray, anchor_words: int) -> np.ndarray:
    """The sentence starts followed by at least ``anchor_words`` words of their paragraph
    (``bounds``: word offsets of the paragraphs, as :attr:`Document.bounds`)."""
    if len(sentences) == 0:
        return sentences
    paragraph_end = bounds[np.searchsorted(bounds, sentences, side="right")]
    return sentences[sentences + anchor_words <= paragraph_end]


def analyze(text: str, params: Params | None = None) -> Document:
    """Normalize and analyse raw text."""
    return Document(normalize(text), params or DEFAULT_PARAMS)

"""Fingerprint many posts at once: one numpy pass over all their words and shingles.

:func:`fingerprint_many` gives exactly ``[fingerprint(t, params) for t in texts]`` (same
hashes, signatures, anchors and documents), several times faster: per text, only
normalization and a BLAKE2b hash run in Python; the rest runs once per chunk of texts.

The normalized texts of a chunk are joined with ``"\\n"``, which is never part of a word
and always ends a paragraph, so over the joined bytes:

* word hashes are those of each text alone (a word's hash does not depend on where it
  starts), and paragraphs never run from one text into the next;
* shingle hashes are computed for every run of k words, and each text keeps those starting
  and ending inside it (a text of 1 to k-1 words gets its one short shingle apart);
* paragraph anchors are hashed for all texts together, then sorted and deduplicated per text
  with one ``np.lexsort``;
* signatures are computed for all texts together by :func:`dedupe.signature.signature_values`.

Chunks hold about ``_CHUNK_BYTES`` of text, which bounds the memory used and the power
tables :func:`dedupe.shingle.word_hashes` keeps (a longer text is a chunk of its own).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import pairwise

import numpy as np
from datasketch import LeanMinHash

from dedupe.document import Document, sentence_heads
from dedupe.fingerprint import Fingerprint
from dedupe.normalize import normalize
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.shingle import fold_hashes, sentence_starts, shingle_hashes, word_hashes
from dedupe.signature import signature_values

__all__ = ["analyze_many", "fingerprint_many"]

_CHUNK_BYTES = 256 * 1024
_NEWLINE = ord("\n")
_EMPTY = np.zeros(0, dtype=np.uint64)


class _Chunk:
    """Normalized texts joined and analysed together; per-text results are sliced out."""

    def __init__(self, normalized: list[str], params: Params) -> None:
        self.normalized = normalized
        self.params = params
        self.data = [text.encode("utf-8") for text in normalized]
        joined = b"\n".join(self.data)
        sizes = np.fromiter((len(d) + 1 for d in self.data), dtype=np.intp, count=len(self.data))
        byte_starts = np.zeros(len(self.data) + 1, dtype=np.intp)
        np.cumsum(sizes, out=byte_starts[1:])
        self.words, starts = word_hashes(joined)
        # Words of text i: word_bounds[i]:word_bounds[i + 1].
        self.word_bounds = np.searchsorted(starts, byte_starts)
        newlines = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == _NEWLINE)
        # Paragraph p of the joined text holds words para_bounds[p]:para_bounds[p + 1]; text
        # i has paragraphs first_para[i] to first_para[i + 1] - 1 (the joining newline ends
        # a text's last paragraph).
        self.para_bounds = np.searchsorted(np.searchsorted(newlines, starts),
                                           np.arange(len(newlines) + 2))
        self.first_para = np.searchsorted(newlines, byte_starts)
        self.first_para[-1] = len(newlines) + 1
        # Sentences never run across the joining newlines, so they are each text's own.
        self.sentences = sentence_starts(joined, starts)
        self.sentence_cuts = np.searchsorted(self.sentences, self.word_bounds)
        self.shingles = self._shingles()

    def _shingles(self) -> list[np.ndarray]:
        """Each text's shingle hashes, as :func:`shingle_hashes` gives them for it alone."""
        k = self.params.shingle_size
        every = shingle_hashes(self.words, k) if len(self.words) >= k else _EMPTY
        bounds = self.word_bounds.tolist()
        out = []
        for low, high in pairwise(bounds):
            if high - low >= k:
                out.append(every[low:high - k + 1].copy())
            elif high > low:
                out.append(shingle_hashes(self.words[low:high], k))
            else:
                out.append(_EMPTY)
        return out

    def documents(self) -> list[Document]:
        bounds = self.word_bounds.tolist()
        paras = self.first_para.tolist()
        cuts = self.sentence_cuts.tolist()
        docs = []
        for i, text in enumerate(self.normalized):
            low, high = bounds[i], bounds[i + 1]
            docs.append(Document.from_parts(
                text,
                hashlib.blake2b(self.data[i], digest_size=16).hexdigest(),
                self.words[low:high].copy(),
                self.para_bounds[paras[i]:paras[i + 1] + 1] - low,
                self.shingles[i],
                self.sentences[cuts[i]:cuts[i + 1]] - low,
            ))
        return docs

    def anchors(self) -> list[np.ndarray]:
        """Each text's paragraph anchors, as :meth:`Document.anchors` gives them."""
        n = self.params.anchor_words
        para_starts, para_ends = self.para_bounds[:-1], self.para_bounds[1:]
        long_enough = (para_ends - para_starts) >= n
        text_of_para = np.searchsorted(self.first_para, np.arange(len(para_starts)), "right") - 1
        firsts, counts = self.word_bounds[:-1], np.diff(self.word_bounds)
        leads = counts >= n
        heads = sentence_heads(self.sentences, self.para_bounds, n)
        positions = np.concatenate([para_starts[long_enough], para_ends[long_enough] - n,
                                    heads, firsts[leads]])
        owners = np.concatenate([text_of_para[long_enough], text_of_para[long_enough],
                                 np.searchsorted(self.word_bounds, heads, "right") - 1,
                                 np.flatnonzero(leads)])
        values = fold_hashes(self.words, positions, n) if len(positions) else _EMPTY
        order = np.lexsort((values, owners))
        values, owners = values[order], owners[order]
        # Sorted by text, then value: a value equal to its predecessor in the same text is
        # a repeat.
        keep = np.ones(len(values), dtype=bool)
        keep[1:] = (values[1:] != values[:-1]) | (owners[1:] != owners[:-1])
        values, owners = values[keep], owners[keep]
        cuts = np.searchsorted(owners, np.arange(len(self.data) + 1)).tolist()
        return [values[low:high].copy() for low, high in pairwise(cuts)]

    def signatures(self) -> np.ndarray:
        lengths = np.fromiter((len(s) for s in self.shingles), dtype=np.intp,
                              count=len(self.shingles))
        joined = np.concatenate(self.shingles) if self.shingles else _EMPTY
        return signature_values(joined, lengths, self.params)


def _chunks(texts: Iterable[str]) -> Iterator[list[str]]:
    """Normalized texts in chunks of about ``_CHUNK_BYTES`` (counted in characters)."""
    chunk: list[str] = []
    size = 0
    for text in texts:
        normalized = normalize(text)
        chunk.append(normalized)
        size += len(normalized) + 1
        if size >= _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def analyze_many(texts: Iterable[str], params: Params | None = None) -> list[Document]:
    """``[analyze(t, params) for t in texts]``, computed a chunk of texts at a time."""
    params = params or DEFAULT_PARAMS
    return [doc for chunk in _chunks(texts) for doc in _Chunk(chunk, params).documents()]


def fingerprint_many(texts: Iterable[str], params: Params | None = None) -> list[Fingerprint]:
    """Fingerprint many post bodies; equal to ``[fingerprint(t, params) for t in texts]``.

    Args:
        texts: Post bodies (paragraphs separated by line breaks).
        params: Dedupe parameters; defaults to ``Params()``.

    Example:
        >>> fps = fingerprint_many(["Harrow council meets on Tuesday.", "Pinner library."])
        >>> [fp.word_count for fp in fps]
        [5, 2]
    """
    params = params or DEFAULT_PARAMS
    label = params.fingerprint()
    found = []
    for normalized in _chunks(texts):
        chunk = _Chunk(normalized, params)
        rows = chunk.signatures()
        for doc, anchors, row in zip(chunk.documents(), chunk.anchors(), rows):
            found.append(Fingerprint(
                norm_hash=doc.norm_hash,
                signature=LeanMinHash(seed=params.seed, hashvalues=row, scheme=params.scheme),
                word_count=doc.word_count,
                paragraph_hashes=anchors,
                params_fingerprint=label,
                document=doc,
            ))
    return found

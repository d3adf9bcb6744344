"""Words and word k-gram shingles of normalized text, hashed with numpy.

Tokens are maximal runs of ASCII letters and digits and of non-ASCII characters, joined by
an apostrophe between two such characters ("children's" is one word). They are found and
hashed over the UTF-8 bytes in a few vectorized passes, with no Python loop per word:

* word hash: a polynomial hash of the word's bytes modulo 2**64 (from prefix sums), mixed
  with the word length and the MurmurHash3 64-bit finalizer;
* shingle hash: the k word hashes folded with a 64-bit multiply-xor, then finalized.

Hashes are stable across processes, platforms and Python versions (unlike ``hash()``), so
they can be stored. :func:`words` gives the same tokens as strings, for tests and tools.
"""

from __future__ import annotations

import re

import numpy as np

__all__ = ["distinct", "fmix64", "fold_hashes", "hash_words", "sentence_starts",
           "shingle_hashes", "shingles", "word_hashes", "words"]

_U64 = np.uint64
_BASE = 0x9E3779B97F4A7C15
_BASE_INV = pow(_BASE, -1, 2**64)
_FOLD_MUL = _U64(0xC2B2AE3D27D4EB4F)
_LEN_MUL = _U64(0x165667B19E3779F9)
_FMIX = (_U64(33), _U64(0xFF51AFD7ED558CCD), _U64(0xC4CEB9FE1A85EC53))

_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[ord("0"):ord("9") + 1] = True
_WORD_BYTE[ord("a"):ord("z") + 1] = True
_WORD_BYTE[ord("A"):ord("Z") + 1] = True
_WORD_BYTE[0x80:] = True
_APOSTROPHE = ord("'")

_WORD_CHARS = r"(?:[0-9A-Za-z]|[^\x00-\x7f])+"
_WORD_RE = re.compile(rf"{_WORD_CHARS}(?:'{_WORD_CHARS})*")

_powers: np.ndarray = np.ones(1, dtype=_U64)
_inverse_powers: np.ndarray = np.ones(1, dtype=_U64)


def _geometric(base: int, n: int) -> np.ndarray:
    out = np.full(n, base, dtype=_U64)
    out[0] = 1
    return np.cumprod(out, dtype=_U64)


def _powers_upto(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Return BASE**i and BASE**-i (mod 2**64) for i < n, cached and grown by doubling."""
    global _powers, _inverse_powers
    if len(_powers) < n:
        size = max(n, 2 * len(_powers), 4096)
        _powers, _inverse_powers = _geometric(_BASE, size), _geometric(_BASE_INV, size)
    return _powers[:n], _inverse_powers[:n]


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finalizer, a bijective avalanche mix (returns a new array)."""
    shift, m1, m2 = _FMIX
    h = values ^ (values >> shift)
    h *= m1
    h ^= h >> shift
    h *= m2
    h ^= h >> shift
    return h


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values, as ``np.unique(values)`` gives them.

    Sorting and dropping repeats is about ten times faster than ``np.unique`` on the few
    hundred to few thousand hashes of a post (numpy 2's ``np.unique`` hashes its input).
    """
    values = np.sort(values)
    if len(values) > 1:
        keep = np.empty(len(values), dtype=bool)
        keep[0] = True
        np.not_equal(values[1:], values[:-1], out=keep[1:])
        values = values[keep]
    return values


def _word_mask(data: np.ndarray) -> np.ndarray:
    mask = _WORD_BYTE[data]
    if len(data) > 2:
        inner = (data[1:-1] == _APOSTROPHE) & mask[:-2] & mask[2:]
        mask[1:-1] |= inner
    return mask


def word_hashes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Hash every word of UTF-8 text.

    Args:
        data: UTF-8 bytes of normalized text.

    Returns:
        ``(hashes, starts)``: uint64 hash of each word and the byte offset where it starts.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    padded = np.zeros(len(raw) + 2, dtype=np.int8)
    padded[1:-1] = _word_mask(raw)
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    starts, ends = edges[0::2], edges[1::2]
    if len(starts) == 0:
        return np.zeros(0, dtype=_U64), starts
    powers, inverse = _powers_upto(len(raw))
    prefix = np.zeros(len(raw) + 1, dtype=_U64)
    np.cumsum(raw * inverse, dtype=_U64, out=prefix[1:])
    poly = (prefix[ends] - prefix[starts]) * powers[starts]
    lengths = (ends - starts).astype(_U64)
    return fmix64(poly ^ (lengths * _LEN_MUL)), starts


_SENTENCE_END_BYTE = np.zeros(256, dtype=bool)
_SENTENCE_END_BYTE[[ord("."), ord("!"), ord("?")]] = True


def sentence_starts(data: bytes, starts: np.ndarray) -> np.ndarray:
    """Indices of the words that begin a sentence inside a line: the first word after ".",
    "!" or "?" followed by a space. (A line's first word begins a paragraph already.)

    Args:
        data: UTF-8 bytes of normalized text.
        starts: Byte offset of each word, from :func:`word_hashes`.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    if len(raw) < 2 or len(starts) == 0:
        return np.zeros(0, dtype=np.intp)
    ends = np.flatnonzero(_SENTENCE_END_BYTE[raw[:-1]] & (raw[1:] == 0x20)) + 1
    found = np.searchsorted(starts, ends)
    return found[found < len(starts)]


def hash_words(tokens: list[str]) -> np.ndarray:
    """Hash words given as strings; equal to :func:`word_hashes` of the text they came from."""
    hashes, _ = word_hashes(" ".join(tokens).encode("utf-8"))
    if len(hashes) != len(tokens):
        raise ValueError("tokens must be single words as produced by words()")
    return hashes


def fold_hashes(word_values: np.ndarray, starts: np.ndarray, length: int) -> np.ndarray:
    """Hash the ``length``-word sequences beginning at each index in ``starts``."""
    h = word_values[starts].copy()
    for offset in range(1, length):
        h *= _FOLD_MUL
        h ^= word_values[starts + offset]
    return fmix64(h ^ _U64(length))


def shingle_hashes(word_values: np.ndarray, k: int) -> np.ndarray:
    """Hash the word k-grams of a word-hash sequence, in order (not deduplicated).

    A text of fewer than ``k`` (but at least one) words yields one shingle of all its words.
    """
    n = len(word_values)
    if n == 0:
        return np.zeros(0, dtype=_U64)
    if n < k:
        return fold_hashes(word_values, np.zeros(1, dtype=np.intp), n)
    count = n - k + 1
    h = word_values[:count].copy()
    for offset in range(1, k):
        h *= _FOLD_MUL
        h ^= word_values[offset:offset + count]
    return fmix64(h ^ _U64(k))


def words(normalized: str) -> list[str]:
    """Split normalized text into words (the tokens :func:`word_hashes` hashes)."""
    return _WORD_RE.findall(normalized)


def shingles(normalized: str, k: int = 5) -> set[str]:
    """Return the word k-grams of normalized text as strings (slow; for tests and tools)."""
    tokens = words(normalized)
    if 0 < len(tokens) < k:
        return {" ".join(tokens)}
    return {" ".join(tokens[i:i + k]) for i in range(len(tokens) - k + 1)}

"""Compact hash tables for the index: LSH band keys and multimaps of uint64 to post ids.

A million posts make tens of millions of (hash, post) entries. Python dicts of sets (what
``datasketch.MinHashLSH`` keeps in memory: one set per bucket, one bytes key per band) take
about 8.5 KB per post at 25 bands, far over a 2 GB budget, so a rebuilt table is one sorted
numpy array of packed entries (8 bytes each) searched with ``np.searchsorted``. Posts added
after the rebuild go to a small dict beside it.
"""

from __future__ import annotations

import numpy as np

from dedupe.shingle import fmix64

__all__ = ["MAX_POSTS", "HashTable", "band_hashes", "pack"]

_U64 = np.uint64
_FOLD_MUL = _U64(0xD6E8FEB86659FD93)
_SALT_MUL = _U64(0x9FB21C651E98DF25)
_EMPTY_KEYS = np.zeros(0, dtype=_U64)
_EMPTY_IDS = np.zeros(0, dtype=np.int32)
_ID_BITS = 28
_ID_MASK = _U64((1 << _ID_BITS) - 1)
_PREFIX = ~_ID_MASK
#: Most posts an index can hold (post ids live in the low 28 bits of an entry).
MAX_POSTS = 1 << _ID_BITS


def band_hashes(values: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Hash each LSH band of MinHash values to one uint64, salted by the band number.

    Two signatures share band ``i``'s hash exactly when their values ``i*rows:(i+1)*rows``
    are equal (bar 64-bit collisions), as in datasketch's ``MinHashLSH``; the salt lets one
    table hold all bands.

    Args:
        values: ``(num_perm,)`` or ``(n, num_perm)`` MinHash hash values.
        bands: Number of bands (``b``).
        rows: Values per band (``r``).

    Returns:
        ``(bands,)`` or ``(n, bands)`` uint64 band hashes.
    """
    used = np.asarray(values)[..., :bands * rows]
    grid = used.reshape(*used.shape[:-1], bands, rows).astype(_U64)
    h = grid[..., 0] ^ (np.arange(1, bands + 1, dtype=_U64) * _SALT_MUL)
    for row in range(1, rows):
        h *= _FOLD_MUL
        h ^= grid[..., row]
    return fmix64(h)


class HashTable:
    """A multimap from uint64 hashes to post ids, packed for memory.

    Each rebuilt entry is one uint64: the hash's top 36 bits, then the post id in the low
    28 bits, in one sorted array (8 bytes an entry, sorted in place). Hashes are compared on
    their top 36 bits only: a rare collision adds a candidate, which verification rejects.
    Entries added after a rebuild go to a dict beside the array.
    """

    __slots__ = ("_delta", "_packed")

    def __init__(self) -> None:
        self._packed = _EMPTY_KEYS
        self._delta: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._packed) + sum(len(ids) for ids in self._delta.values())

    def build(self, parts: list[np.ndarray]) -> None:
        """Replace the contents with packed entries (see :func:`pack`); empties ``parts``."""
        packed = np.concatenate(parts) if parts else _EMPTY_KEYS.copy()
        parts.clear()
        packed.sort()
        self._packed = packed
        self._delta = {}

    def add(self, keys: np.ndarray, post_id: int) -> None:
        """Map every hash in ``keys`` to ``post_id``."""
        delta = self._delta
        for prefix in (np.asarray(keys, dtype=_U64) & _PREFIX).tolist():
            bucket = delta.get(prefix)
            if bucket is None:
                delta[prefix] = [post_id]
            else:
                bucket.append(post_id)

    def _ranges(self, prefixes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lows = np.searchsorted(self._packed, prefixes)
        return lows, np.searchsorted(self._packed, prefixes | _ID_MASK, "right")

    def counts(self, keys: np.ndarray) -> np.ndarray:
        """Number of ids stored under each hash (removed posts included)."""
        prefixes = np.asarray(keys, dtype=_U64) & _PREFIX
        lows, highs = self._ranges(prefixes)
        counts = highs - lows
        if self._delta:
            counts += np.array([len(self._delta.get(k, ())) for k in prefixes.tolist()],
                               dtype=counts.dtype)
        return counts

    def lookup(self, keys: np.ndarray, *, limit: int | None = None,
               skip_above: int | None = None) -> np.ndarray:
        """Ids stored under the hashes (an id repeats once per hash it is stored under).

        Args:
            keys: Hashes to look up.
            limit: Take at most this many ids per hash.
            skip_above: Ignore hashes stored with more ids than this (boilerplate).
        """
        prefixes = np.asarray(keys, dtype=_U64) & _PREFIX
        frozen: dict[int, tuple[int, int]] = {}
        if len(self._packed):
            lows, highs = self._ranges(prefixes)
            for i in np.flatnonzero(highs > lows).tolist():
                frozen[int(prefixes[i])] = (int(lows[i]), int(highs[i]))
        added = self._delta.keys() & set(prefixes.tolist()) if self._delta else set()
        slices, extras = [], []
        for key in frozen.keys() | added:
            low, high = frozen.get(key, (0, 0))
            extra = self._delta.get(key, ()) if added else ()
            if skip_above is not None and high - low + len(extra) > skip_above:
                continue
            if limit is not None:
                high = min(high, low + limit)
                extra = extra[:max(0, limit - (high - low))]
            slices.append(self._packed[low:high])
            extras.extend(extra)
        ids = ((np.concatenate(slices) & _ID_MASK).astype(np.int32) if slices else _EMPTY_IDS)
        if extras:
            ids = np.concatenate([ids, np.array(extras, dtype=np.int32)])
        return ids


def pack(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Pack hashes and post ids (below :data:`MAX_POSTS`) into sortable uint64 entries."""
    return (np.asarray(keys, dtype=_U64) & _PREFIX) | np.asarray(ids).astype(_U64)

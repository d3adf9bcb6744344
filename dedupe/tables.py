"""Compact hash tables for the index: LSH band keys and multimaps of uint64 to post ids.

A million posts make tens of millions of (hash, post) entries. Python dicts of sets (what
``datasketch.MinHashLSH`` keeps in memory: one set per bucket, one bytes key per band) take
about 8.5 KB per post at 25 bands, far over a 2 GB budget, so a rebuilt table is two sorted
numpy arrays (12 bytes an entry) searched with ``np.searchsorted``. Posts added after the
rebuild go to a small dict beside it.
"""

from __future__ import annotations

import numpy as np

from dedupe.shingle import fmix64

__all__ = ["HashTable", "band_hashes"]

_U64 = np.uint64
_FOLD_MUL = _U64(0xD6E8FEB86659FD93)
_SALT_MUL = _U64(0x9FB21C651E98DF25)
_EMPTY_KEYS = np.zeros(0, dtype=_U64)
_EMPTY_IDS = np.zeros(0, dtype=np.int32)


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
    """A multimap from uint64 hashes to int post ids: sorted arrays plus a dict of additions."""

    __slots__ = ("_delta", "_ids", "_keys")

    def __init__(self) -> None:
        self._keys = _EMPTY_KEYS
        self._ids = _EMPTY_IDS
        self._delta: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._keys) + sum(len(ids) for ids in self._delta.values())

    def build(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Replace the contents with these (hash, id) pairs."""
        if len(keys) != len(ids):
            raise ValueError(f"keys and ids differ in length: {len(keys)} != {len(ids)}")
        order = np.argsort(keys)
        self._keys = np.asarray(keys, dtype=_U64)[order]
        self._ids = np.asarray(ids, dtype=np.int32)[order]
        self._delta = {}

    def add(self, keys: np.ndarray, post_id: int) -> None:
        """Map every hash in ``keys`` to ``post_id``."""
        delta = self._delta
        for key in keys.tolist():
            bucket = delta.get(key)
            if bucket is None:
                delta[key] = [post_id]
            else:
                bucket.append(post_id)

    def counts(self, keys: np.ndarray) -> np.ndarray:
        """Number of ids stored under each hash (removed posts included)."""
        keys = np.asarray(keys, dtype=_U64)
        counts = np.searchsorted(self._keys, keys, "right") - np.searchsorted(self._keys, keys)
        if self._delta:
            counts += np.array([len(self._delta.get(k, ())) for k in keys.tolist()], dtype=counts.dtype)
        return counts

    def lookup(self, keys: np.ndarray, *, limit: int | None = None,
               skip_above: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Ids stored under the hashes (an id repeats once per hash it is stored under).

        Args:
            keys: Hashes to look up.
            limit: Take at most this many ids per hash.
            skip_above: Ignore hashes stored with more ids than this (boilerplate).

        Returns:
            ``(ids, sizes)``: the ids, and for each the number of ids stored under the hash
            it was found by (rare hashes are stronger evidence).
        """
        keys = np.asarray(keys, dtype=_U64)
        lows = np.searchsorted(self._keys, keys)
        highs = np.searchsorted(self._keys, keys, "right")
        key_list = keys.tolist()
        positions = set(np.flatnonzero(highs > lows).tolist())
        if self._delta:
            positions.update(i for i, key in enumerate(key_list) if key in self._delta)
        found, sizes = [], []
        for position in sorted(positions):
            part = self._ids[lows[position]:highs[position]]
            extra = self._delta.get(key_list[position])
            if extra:
                part = np.concatenate([part, np.asarray(extra, dtype=np.int32)])
            if skip_above is not None and len(part) > skip_above:
                continue
            found.append(part if limit is None else part[:limit])
            sizes.append(np.full(len(found[-1]), len(part), dtype=np.int64))
        if not found:
            return _EMPTY_IDS, np.zeros(0, dtype=np.int64)
        return np.concatenate(found), np.concatenate(sizes)

"""Compact hash tables for the index: LSH band keys and multimaps of uint64 to post ids.

A million posts make tens of millions of (hash, post) entries. Python dicts of sets (what
``datasketch.MinHashLSH`` keeps in memory: one set per bucket, one bytes key per band) take
about 8.5 KB per post at 25 bands, far over a 2 GB budget, so a rebuilt table is one sorted
numpy array of packed entries (8 bytes each) searched with ``np.searchsorted``. Posts added
after the rebuild go to a small dict beside it.

A query looks up a few dozen hashes and finds a handful of ids, so lookups work on Python
lists of ints: at that size each numpy call costs more than the Python work it replaces.
"""

from __future__ import annotations

import numpy as np

from dedupe.shingle import _FMIX

__all__ = ["MAX_POSTS", "HashTable", "Keys", "band_hashes", "pack"]

_U64 = np.uint64
_FOLD_MUL = _U64(0xD6E8FEB86659FD93)
_SALT_MUL = _U64(0x9FB21C651E98DF25)
_EMPTY_KEYS = np.zeros(0, dtype=_U64)
_ID_BITS = 28
_ID_MASK = _U64((1 << _ID_BITS) - 1)
_PREFIX = ~_ID_MASK
#: Most posts an index can hold (post ids live in the low 28 bits of an entry).
MAX_POSTS = 1 << _ID_BITS
_ID_MASK_INT = MAX_POSTS - 1
_PREFIX_INT = int(_PREFIX)
_SALTS: dict[int, np.ndarray] = {}


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
    salts = _SALTS.get(bands)
    if salts is None:
        salts = _SALTS[bands] = np.arange(1, bands + 1, dtype=_U64) * _SALT_MUL
    used = np.asarray(values)[..., :bands * rows]
    grid = used.reshape(*used.shape[:-1], bands, rows)
    if grid.dtype != _U64:
        grid = grid.astype(_U64)
    h = grid[..., 0] ^ salts
    for row in range(1, rows):
        h *= _FOLD_MUL
        h ^= grid[..., row]
    # MurmurHash3's fmix64 (as dedupe.shingle.fmix64), in place: this runs once per post
    # on 25 values, where each temporary array costs as much as the arithmetic.
    shift, m1, m2 = _FMIX
    t = h >> shift
    h ^= t
    h *= m1
    np.right_shift(h, shift, out=t)
    h ^= t
    h *= m2
    np.right_shift(h, shift, out=t)
    h ^= t
    return h


class Keys:
    """Hashes cut to the part a table compares (see :class:`HashTable`), made once per post
    and reused: a post's band keys and anchors are looked up, then added.

    Attributes:
        ints: The prefixes as Python ints (the keys of a table's added entries).
    """

    __slots__ = ("_array", "ints")

    def __init__(self, hashes: np.ndarray) -> None:
        self._array = np.asarray(hashes, dtype=_U64) & _PREFIX
        self.ints: list[int] = self._array.tolist()

    @classmethod
    def single(cls, value: int) -> Keys:
        """Keys of one hash given as a Python int (no array is made unless needed)."""
        keys = cls.__new__(cls)
        keys._array, keys.ints = None, [value & _PREFIX_INT]
        return keys

    @property
    def array(self) -> np.ndarray:
        """The prefixes as uint64 (to search a rebuilt table)."""
        if self._array is None:
            self._array = np.array(self.ints, dtype=_U64)
        return self._array

    def __len__(self) -> int:
        return len(self.ints)


class HashTable:
    """A multimap from uint64 hashes to post ids, packed for memory.

    Each rebuilt entry is one uint64: the hash's top 36 bits, then the post id in the low
    28 bits, in one sorted array (8 bytes an entry, sorted in place). Hashes are compared on
    their top 36 bits only: a rare collision adds a candidate, which verification rejects.
    Entries added after a rebuild go to a dict beside the array, keyed by that top part (an
    int): its value is the one id stored there, or a list of ids in the order added.

    Methods taking ``keys`` accept hashes or their :class:`Keys`.
    """

    __slots__ = ("_delta", "_packed")

    def __init__(self) -> None:
        self._packed = _EMPTY_KEYS
        self._delta: dict[int, int | list[int]] = {}

    def __len__(self) -> int:
        extra = sum(1 if ids.__class__ is int else len(ids) for ids in self._delta.values())
        return len(self._packed) + extra

    def build(self, parts: list[np.ndarray]) -> None:
        """Replace the contents with packed entries (see :func:`pack`); empties ``parts``."""
        packed = np.concatenate(parts) if parts else _EMPTY_KEYS.copy()
        parts.clear()
        packed.sort()
        self._packed = packed
        self._delta = {}

    def add(self, keys: np.ndarray | Keys, post_id: int) -> list[int]:
        """Map every hash in ``keys`` to ``post_id`` (once per occurrence in ``keys``).

        Returns:
            Positions in ``keys`` of the hashes stored before, under added entries (they now
            hold more than one id); rebuilt entries are not looked at (see :meth:`counts`).
        """
        prefixes = _keys(keys).ints
        delta = self._delta
        fresh = dict.fromkeys(prefixes, post_id)
        # Usually every prefix is new: store the bare id under each, in one C-level update.
        if len(fresh) == len(prefixes) and delta.keys().isdisjoint(fresh):
            delta.update(fresh)
            return []
        shared = []
        for i, prefix in enumerate(prefixes):
            ids = delta.get(prefix)
            if ids is None:
                delta[prefix] = post_id
                continue
            if ids.__class__ is int:
                delta[prefix] = [ids, post_id]
            else:
                ids.append(post_id)
            shared.append(i)
        return shared

    @property
    def rebuilt(self) -> bool:
        """True if the table holds rebuilt (packed) entries."""
        return len(self._packed) > 0

    def _ranges(self, keys: Keys) -> tuple[list[int], list[int]]:
        packed, prefixes = self._packed, keys.array
        lows = np.searchsorted(packed, prefixes)
        highs = np.searchsorted(packed, prefixes | _ID_MASK, "right")
        return lows.tolist(), highs.tolist()

    def counts(self, keys: np.ndarray | Keys) -> np.ndarray:
        """Number of ids stored under each hash (removed posts included)."""
        keys = _keys(keys)
        if len(self._packed):
            lows, highs = self._ranges(keys)
            counts = [high - low for low, high in zip(lows, highs)]
        else:
            counts = [0] * len(keys)
        delta = self._delta
        if delta:
            for i, ids in enumerate(map(delta.get, keys.ints)):
                if ids is not None:
                    counts[i] += 1 if ids.__class__ is int else len(ids)
        return np.array(counts, dtype=np.intp)

    def lookup(self, keys: np.ndarray | Keys, *, limit: int | None = None,
               skip_above: int | None = None) -> np.ndarray:
        """:meth:`ids` as an int32 array."""
        return np.array(self.ids(keys, limit=limit, skip_above=skip_above), dtype=np.int32)

    def ids(self, keys: np.ndarray | Keys, *, limit: int | None = None,
            skip_above: int | None = None) -> list[int]:
        """Ids stored under the hashes (an id repeats once per distinct hash it is stored
        under, and once per time it was added under that hash); per hash, rebuilt entries
        (ascending ids) come before added ones.

        Args:
            keys: Hashes to look up (a repeated hash counts once).
            limit: Take at most this many ids per hash.
            skip_above: Ignore hashes stored with more ids than this (boilerplate).
        """
        keys = _keys(keys)
        delta = self._delta
        found: list[int] = []
        if len(self._packed):
            lows, highs = self._ranges(keys)
            hits = [(p, low, high) for p, low, high in zip(keys.ints, lows, highs)
                    if high > low or p in delta]
        elif delta:
            # The hashes found, each once, in one C-level pass (most lookups find few).
            present = delta.keys() & keys.ints
            if not present:
                return found
            return _added_ids([delta[p] for p in present], limit, skip_above)
        else:
            return found
        if len(hits) > 1 and len({p for p, _, _ in hits}) < len(hits):
            hits = list({hit[0]: hit for hit in hits}.values())
        packed = self._packed
        for prefix, low, high in hits:
            added = delta.get(prefix)
            if added is None:
                added = ()
            elif added.__class__ is int:
                added = (added,)
            if skip_above is not None and high - low + len(added) > skip_above:
                continue
            if limit is not None:
                high = min(high, low + limit)
                added = added[:max(0, limit - (high - low))]
            if high - low == 1:
                found.append(int(packed[low]) & _ID_MASK_INT)
            elif high > low:
                found.extend((packed[low:high] & _ID_MASK).tolist())
            found.extend(added)
        return found


def _added_ids(found: list[int | list[int]], limit: int | None, skip_above: int | None
               ) -> list[int]:
    """:meth:`HashTable.ids` over added entries only (an index grown post by post)."""
    if ((skip_above is None or skip_above >= 1) and (limit is None or limit >= 1)
            and all(ids.__class__ is int for ids in found)):
        return found  # the usual case: every hash found holds one id
    out: list[int] = []
    for ids in found:
        if ids.__class__ is int:
            if (skip_above is None or skip_above >= 1) and (limit is None or limit >= 1):
                out.append(ids)
        elif skip_above is None or len(ids) <= skip_above:
            out.extend(ids if limit is None else ids[:limit])
    return out


def _keys(keys: np.ndarray | Keys) -> Keys:
    return keys if keys.__class__ is Keys else Keys(keys)


def pack(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Pack hashes and post ids (below :data:`MAX_POSTS`) into sortable uint64 entries."""
    return (np.asarray(keys, dtype=_U64) & _PREFIX) | np.asarray(ids).astype(_U64)

"""The in-memory dedupe index: rebuilt from stored fingerprints, then grown post by post.

Three tables find candidates; ``match`` then verifies every candidate on real text:

* exact: normalized-text hash → posts (exact duplicates, and short posts);
* LSH bands: MinHash band hashes (``params.lsh_bands`` × ``params.lsh_rows``, the banding of
  ``datasketch.MinHashLSH``) → posts with a likely Jaccard similarity;
* anchors: paragraph head/tail hashes → posts sharing a paragraph (containment, excerpts,
  text reuse), ignoring anchors shared by more than ``params.max_anchor_posts`` posts.

Nothing is stored per post but ids in those tables, a word count and the key: no shingle sets
and no signatures, so a million posts fit in well under 2 GB. Beside them, the analysed texts
(:class:`~dedupe.document.Document`) of the posts most recently added or verified are kept,
a bounded number (``cached_documents``), so verifying a candidate seen lately does not
tokenise its text again.
"""

from __future__ import annotations

from array import array
from collections import Counter, OrderedDict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dedupe.document import Document
from dedupe.fingerprint import Fingerprint
from dedupe.normalize import normalize
from dedupe.params import DEFAULT_PARAMS, Params
from dedupe.signature import signature_matrix, signature_size
from dedupe.tables import MAX_POSTS, HashTable, Keys, band_hashes, pack

__all__ = ["Candidate", "DedupeIndex", "Row"]

#: One stored post: ``(key, norm_hash, signature_bytes, paragraph_bytes, word_count)``.
Row = tuple[Hashable, str | None, bytes | None, bytes | None, int | None]

_CHUNK = 65_536
_NO_ANCHORS = (0, 0.0)
_NO_HASHES = np.zeros(0, dtype=np.uint64)
#: Analysed texts kept by default: about 30 KB each for a 600-word post, so some 60 MB.
CACHED_DOCUMENTS = 2048


class _PostKeys(NamedTuple):
    """One post's keys in the exact, band and anchor tables."""

    exact: Keys
    bands: Keys
    anchors: Keys


@dataclass(frozen=True)
class Candidate:
    """A post worth verifying, and why.

    Attributes:
        key: The post's key.
        exact: Same normalized-text hash.
        bands: LSH bands shared (of ``params.lsh_bands``).
        anchors: Paragraph anchors shared.
        score: Ranking evidence: share of LSH bands shared plus share of the smaller post's
            anchors shared (each from 0 to 1).
    """

    key: Hashable
    exact: bool
    bands: int
    anchors: int
    score: float


def _exact_key(norm_hash: str) -> int:
    return int(norm_hash[:16], 16)


class DedupeIndex:
    """Candidate index over the archive's posts.

    Args:
        params: Dedupe parameters; fingerprints must be made with the same ones.
        cached_documents: Analysed texts kept for verification, least recently used
            dropped first (0 keeps none). They are the texts the posts were indexed or
            verified with, used only for a body equal to the one they were made from.

    Example:
        >>> from dedupe import DedupeIndex, fingerprint
        >>> index = DedupeIndex()
        >>> index.add("post-1", fingerprint("Harrow council meets on Tuesday."))
        >>> "post-1" in index, len(index)
        (True, 1)
    """

    def __init__(self, params: Params | None = None, *,
                 cached_documents: int = CACHED_DOCUMENTS) -> None:
        if cached_documents < 0:
            raise ValueError(f"cached_documents must be >= 0, got {cached_documents!r}")
        self.params = params or DEFAULT_PARAMS
        self._params_fingerprint = self.params.fingerprint()
        self._cache_size = cached_documents
        self._reset()

    def _reset(self) -> None:
        self._keys: list[Hashable | None] = []
        self._ids: dict[Hashable, int] = {}
        self._word_counts = array("I")
        self._anchor_counts = array("I")
        self._exact = HashTable()
        self._bands = HashTable()
        self._anchors = HashTable()
        self._last_keys: tuple[Fingerprint, _PostKeys] | None = None
        self._documents: OrderedDict[Hashable, tuple[str | None, Document]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._ids

    def keys(self) -> Iterator[Hashable]:
        """Keys of the indexed posts."""
        return iter(self._ids)

    def word_count(self, key: Hashable) -> int:
        """Stored word count of an indexed post."""
        return self._word_counts[self._ids[key]]

    def document(self, key: Hashable, text: str) -> Document | None:
        """The kept analysis of an indexed post, if it is among those kept and was made from
        ``text`` (the post's body as loaded now: a text changed or gone since is never
        answered from the store)."""
        entry = self._documents.get(key)
        if entry is None:
            return None
        known, doc = entry
        if known is None:  # kept from a fingerprint, which holds only the normalized text
            if normalize(text) != doc.normalized:
                return None
            self._documents[key] = (text, doc)
        elif known != text:
            return None
        self._documents.move_to_end(key)
        return doc

    def keep_document(self, key: Hashable, doc: Document, text: str | None = None) -> None:
        """Keep the analysis of an indexed post (``text``: the body it was made from, if
        known); ignored for keys not indexed."""
        if self._cache_size and key in self._ids:
            self._documents[key] = (text, doc)
            self._documents.move_to_end(key)
            if len(self._documents) > self._cache_size:
                self._documents.popitem(last=False)

    def _new_id(self, key: Hashable, word_count: int, anchor_count: int) -> int:
        if key in self._ids:
            raise ValueError(
                f"key {key!r} is already indexed; remove(key) first "
                "(an edited post replaces its own entry: it is a version, not a duplicate)"
            )
        post_id = len(self._keys)
        if post_id >= MAX_POSTS:
            raise ValueError(f"an index holds at most {MAX_POSTS} posts (removed ones included); "
                             "rebuild it to reclaim removed posts' ids")
        self._ids[key] = post_id
        self._keys.append(key)
        self._word_counts.append(min(max(0, int(word_count or 0)), 2**32 - 1))
        self._anchor_counts.append(min(anchor_count, 2**32 - 1))
        return post_id

    def add(self, key: Hashable, fp: Fingerprint) -> np.ndarray:
        """Index one post.

        Returns:
            The post's anchors that this post made boilerplate (now held by exactly
            ``params.max_anchor_posts + 1`` posts), usually none. Links of the posts holding
            them (:meth:`holders`) were decided while that text still counted: decide them
            again so the archive ends up as if the boilerplate had been known all along.

        Raises:
            ValueError: If ``key`` is already indexed, or ``fp`` was made with other params.
        """
        if fp.params_fingerprint != self._params_fingerprint:
            raise ValueError(
                f"fingerprint made with {fp.params_fingerprint!r}, index uses "
                f"{self.params.fingerprint()!r}; fingerprint the post again"
            )
        post_id = self._new_id(key, fp.word_count, len(fp.paragraph_hashes))
        if fp.document is not None:
            self.keep_document(key, fp.document)
        if fp.word_count == 0:
            return _NO_HASHES
        keys = self._table_keys(fp)
        self._exact.add(keys.exact, post_id)
        self._bands.add(keys.bands, post_id)
        shared = self._anchors.add(keys.anchors, post_id)
        anchors = np.asarray(fp.paragraph_hashes, dtype=np.uint64)
        if self._anchors.rebuilt:
            shared = range(len(anchors))
        elif not shared:
            return _NO_HASHES  # no other post holds any of its anchors
        # Only anchors other posts hold can have become boilerplate: count those alone.
        candidates = anchors[np.asarray(shared, dtype=np.intp)]
        return candidates[self._anchors.counts(candidates) == self.params.max_anchor_posts + 1]

    def holders(self, anchors: np.ndarray) -> list[Hashable]:
        """Keys of the indexed posts holding any of ``anchors``, in indexing order."""
        if len(anchors) == 0:
            return []
        ids = sorted(set(self._anchors.ids(Keys(np.asarray(anchors, dtype=np.uint64)))))
        return [key for key in map(self._keys.__getitem__, ids) if key is not None]

    def remove(self, key: Hashable) -> None:
        """Drop a post (before re-adding an edited version under the same key).

        Raises:
            ValueError: If the key is not indexed.
        """
        post_id = self._ids.pop(key, None)
        if post_id is None:
            raise ValueError(f"key {key!r} is not indexed")
        self._keys[post_id] = None
        self._documents.pop(key, None)

    def boilerplate(self, anchors: np.ndarray) -> np.ndarray:
        """The given anchors that are boilerplate: held by more than
        ``params.max_anchor_posts`` indexed posts (sorted, for :func:`dedupe.verify.compare`)."""
        anchors = np.asarray(anchors, dtype=np.uint64)
        if len(anchors) == 0:
            return anchors
        last = self._last_keys
        keys = last[1].anchors if last and last[0].paragraph_hashes is anchors else anchors
        return np.sort(anchors[self._anchors.counts(keys) > self.params.max_anchor_posts])

    def _table_keys(self, fp: Fingerprint) -> _PostKeys:
        # A post is usually looked up (maybe twice: match checks its boilerplate too), then
        # added: make its table keys once (fingerprints are frozen and LeanMinHash values
        # immutable, so identity suffices).
        last = self._last_keys
        if last is not None and last[0] is fp:
            return last[1]
        bands = band_hashes(fp.signature.hashvalues, self.params.lsh_bands, self.params.lsh_rows)
        keys = _PostKeys(Keys.single(_exact_key(fp.norm_hash)), Keys(bands),
                         Keys(fp.paragraph_hashes))
        self._last_keys = (fp, keys)
        return keys

    def rebuild(self, rows: Iterable[Row]) -> None:
        """Replace the contents with stored posts, in bulk.

        Args:
            rows: ``(key, norm_hash, signature_bytes, paragraph_bytes, word_count)`` per post,
                as persisted from :class:`Fingerprint` (``norm_hash``, ``signature_bytes()``,
                ``paragraph_bytes()``, ``word_count``). Pass only posts whose stored params
                fingerprint equals ``params.fingerprint()``; fingerprint the others again.
                ``None`` fields are allowed (such a post is found by the other tables only).

        Raises:
            ValueError: On a repeated key, or signature bytes whose layout, seed, num_perm
                or scheme differ from ``params`` (the index is then left empty).
        """
        self._reset()
        builder = _Builder(self)
        try:
            for row in rows:
                builder.add(*row)
            builder.finish()
        except BaseException:
            self._reset()
            raise

    def candidates(self, fp: Fingerprint, *, exclude: Hashable | None = None) -> list[Candidate]:
        """Posts that may duplicate or reuse ``fp``'s post, best first.

        Posts sharing only paragraph anchors must share at least
        ``params.min_anchor_overlap`` of the smaller post's anchors. At most
        ``params.max_candidates`` are returned: exact-hash matches first, then by
        ``Candidate.score``, then earliest indexed. ``exclude`` (the post's own key, when it
        is already indexed) is never returned.
        """
        if fp.word_count == 0:
            return []
        params = self.params
        keys = self._table_keys(fp)
        exact = self._exact.ids(keys.exact, limit=params.max_candidates)
        band_ids = self._bands.ids(keys.bands, limit=params.max_candidates * 4)
        anchors = self._anchor_overlaps(keys.anchors) if len(keys.anchors) else {}
        if not (exact or band_ids or anchors):
            return []
        bands = Counter(band_ids)
        post_keys, lsh_bands = self._keys, params.lsh_bands
        found = []
        # Ascending ids: ties in the sort below keep the order the posts were indexed in.
        for post_id in sorted({*exact, *bands, *anchors}):
            key = post_keys[post_id]
            if key is None or key == exclude:
                continue
            shared, overlap = anchors.get(post_id, _NO_ANCHORS)
            shared_bands = bands[post_id]
            found.append(Candidate(key, post_id in exact, shared_bands, shared,
                                   shared_bands / lsh_bands + overlap))
        found.sort(key=lambda c: (not c.exact, -c.score))
        return found[:params.max_candidates]

    def _anchor_overlaps(self, anchors: Keys) -> dict[int, tuple[int, float]]:
        """Posts sharing enough non-boilerplate anchors: id → (anchors shared, overlap)."""
        ids = self._anchors.ids(anchors, skip_above=self.params.max_anchor_posts)
        if not ids:
            return {}
        mine, theirs = len(anchors), self._anchor_counts
        threshold, enough = self.params.min_anchor_overlap, self.params.min_anchor_shared
        # Most posts share one anchor by chance: with fewer than ``enough`` shared, the
        # overlap can reach ``threshold`` only if the other post has few anchors.
        few = int(max(enough - 1, 0) / threshold) if threshold else None
        found = {}
        for post_id, shared in Counter(ids).items():
            if shared < enough and few is not None and theirs[post_id] > few and mine > few:
                continue
            overlap = shared / (min(theirs[post_id], mine) or 1)
            if overlap >= threshold or shared >= enough:
                found[post_id] = (shared, overlap)
        return found


class _Builder:
    """Collects rows for :meth:`DedupeIndex.rebuild`, parsing them a chunk at a time."""

    def __init__(self, index: DedupeIndex) -> None:
        self.index = index
        self.exact_keys: list[int] = []
        self.exact_ids: list[int] = []
        self.blobs: list[bytes] = []
        self.blob_ids: list[int] = []
        self.anchor_blobs: list[bytes] = []
        self.anchor_ids: list[int] = []
        self.anchor_lengths: list[int] = []
        self.parts: dict[str, list[np.ndarray]] = {"exact": [], "bands": [], "anchors": []}

    def add(self, key: Hashable, norm_hash: str | None, sig: bytes | None,
            paragraphs: bytes | None, word_count: int | None) -> None:
        if paragraphs and len(paragraphs) % 8:
            raise ValueError(f"paragraph bytes of key {key!r} are not a multiple of 8 bytes")
        anchor_count = len(paragraphs) // 8 if paragraphs else 0
        post_id = self.index._new_id(key, word_count or 0, anchor_count)
        if norm_hash:
            self.exact_keys.append(_exact_key(norm_hash))
            self.exact_ids.append(post_id)
        if sig:
            self.blobs.append(sig)
            self.blob_ids.append(post_id)
        if paragraphs:
            self.anchor_blobs.append(paragraphs)
            self.anchor_ids.append(post_id)
            self.anchor_lengths.append(anchor_count)
        if max(len(self.exact_ids), len(self.blobs), len(self.anchor_ids)) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        """Turn the rows collected so far into packed table entries."""
        self.parts["exact"].append(pack(np.array(self.exact_keys, dtype=np.uint64),
                                        np.array(self.exact_ids, dtype=np.int64)))
        self.exact_keys, self.exact_ids = [], []
        self._flush_signatures()
        anchors = np.frombuffer(b"".join(self.anchor_blobs), dtype="<u8")
        ids = np.repeat(np.asarray(self.anchor_ids, dtype=np.int64),
                        np.asarray(self.anchor_lengths, dtype=np.int64))
        self.parts["anchors"].append(pack(anchors, ids))
        self.anchor_blobs, self.anchor_ids, self.anchor_lengths = [], [], []

    def _flush_signatures(self) -> None:
        if not self.blobs:
            return
        params = self.index.params
        values, valid = signature_matrix(self.blobs, params)
        if not valid.all():
            bad = self.index._keys[self.blob_ids[int(np.flatnonzero(~valid)[0])]]
            raise ValueError(
                f"signature of key {bad!r} does not match params {params.fingerprint()!r} "
                f"({signature_size(params)} bytes, seed {params.seed}, num_perm "
                f"{params.num_perm}, scheme {params.scheme}); fingerprint such posts again"
            )
        keys = band_hashes(values, params.lsh_bands, params.lsh_rows).ravel()
        ids = np.repeat(np.asarray(self.blob_ids, dtype=np.int64), params.lsh_bands)
        self.parts["bands"].append(pack(keys, ids))
        self.blobs, self.blob_ids = [], []

    def finish(self) -> None:
        self.flush()
        self.index._exact.build(self.parts["exact"])
        self.index._bands.build(self.parts["bands"])
        self.index._anchors.build(self.parts["anchors"])

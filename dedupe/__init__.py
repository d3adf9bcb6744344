"""Find repeated stories among blog posts: pure functions, no I/O, no database.

A post is matched against the archive in three steps: its text is fingerprinted, an index
proposes candidates, and every candidate is verified on real text::

    from dedupe import DedupeIndex, Edge, Member, Params, cluster, fingerprint, match

    params = Params()
    index = DedupeIndex(params)
    index.rebuild(rows)    # (key, norm_hash, signature_bytes, paragraph_bytes, word_count)

    fp = fingerprint(text, params)
    matches = match(fp, text, index, get_text, exclude=key)    # get_text(key) -> str | None
    index.add(key, fp)     # an edited post (same key): index.remove(key) first

    clusters = cluster(members, [Edge.from_match(key, m) for m in matches])

Many posts at once (a crawl's new posts, a whole archive) are fingerprinted several times
faster with ``fingerprint_many(texts, params)``, which equals ``[fingerprint(t, params) for t
in texts]`` (see :mod:`dedupe.batch`); match and add them one by one, in order, as above.

``Match.kind`` is ``"exact"`` (same normalized text), ``"near"`` (``method`` ``"jaccard"``:
shingle Jaccard ≥ ``params.jaccard_threshold``; ``"containment"``: the shorter post almost
wholly inside the longer — an update appended, a paragraph cut; ``"excerpt"``: the shorter
post is the longer one's opening, as on a listing page) or ``"related"`` (``"paragraphs"``:
a share of paragraph text reused; ``"sentences"``: sentences shared; never merged); ``"near"``
also has ``"coverage"`` (the paragraphs aligned between the two posts, a few reworded words
allowed, hold most of *both*). :func:`cluster` unions exact and near links
into clusters with a canonical post (earliest published, then lower site rank, then shortest
URL). :func:`diff_paragraphs` shows what differs and :func:`explain` why a pair was linked.
:func:`add_post` with :class:`Links` is the whole incremental procedure, whose result does
not depend on the order posts arrive in.

Stored per post, all stable and little-endian:

* ``fp.norm_hash`` — 32 lowercase hex digits: BLAKE2b-128 of the UTF-8 normalized text;
* ``fp.signature_bytes()`` — exactly ``datasketch.LeanMinHash.serialize(buf, byteorder="<")``:
  int64 seed, int32 -num_perm, uint8 scheme code (1 = affine32), then num_perm uint32 hash
  values — 525 bytes with the defaults (see :mod:`dedupe.signature`);
* ``fp.paragraph_bytes()`` — the paragraph anchors: sorted distinct uint64, 8 bytes each;
* ``fp.word_count``, and ``params.fingerprint()`` (at most 128 characters): stored bytes
  compare only under equal fingerprints; fingerprint posts again when it changes.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dedupe.batch import fingerprint_many
    from dedupe.cluster import Cluster, ClusterMember, Edge, Member, cluster
    from dedupe.diff import DiffOp, diff_paragraphs
    from dedupe.explain import AlignedParagraph, Explanation, align_paragraphs, explain
    from dedupe.fingerprint import Fingerprint, fingerprint
    from dedupe.index import Candidate, DedupeIndex
    from dedupe.links import Links, add_post
    from dedupe.match import Match, Revision, match, match_and_revise
    from dedupe.normalize import normalize, paragraphs
    from dedupe.params import Params
    from dedupe.shingle import shingles
    from dedupe.signature import signature, signature_from_bytes, signature_to_bytes

# Names are loaded from their modules on first use (PEP 562), so that `import dedupe` stays
# cheap for commands that need only a few of them: datasketch and NumPy cost half a second.
_HOMES = {
    "AlignedParagraph": "dedupe.explain",
    "Candidate": "dedupe.index",
    "Cluster": "dedupe.cluster",
    "ClusterMember": "dedupe.cluster",
    "DedupeIndex": "dedupe.index",
    "DiffOp": "dedupe.diff",
    "Edge": "dedupe.cluster",
    "Explanation": "dedupe.explain",
    "Fingerprint": "dedupe.fingerprint",
    "Links": "dedupe.links",
    "Match": "dedupe.match",
    "Member": "dedupe.cluster",
    "Params": "dedupe.params",
    "Revision": "dedupe.match",
    "add_post": "dedupe.links",
    "align_paragraphs": "dedupe.explain",
    "cluster": "dedupe.cluster",
    "diff_paragraphs": "dedupe.diff",
    "explain": "dedupe.explain",
    "fingerprint": "dedupe.fingerprint",
    "fingerprint_many": "dedupe.batch",
    "match": "dedupe.match",
    "match_and_revise": "dedupe.match",
    "normalize": "dedupe.normalize",
    "paragraphs": "dedupe.normalize",
    "shingles": "dedupe.shingle",
    "signature": "dedupe.signature",
    "signature_from_bytes": "dedupe.signature",
    "signature_to_bytes": "dedupe.signature",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'dedupe' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


class _Package(ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        # Importing a submodule binds it on the package: `dedupe.match` would then be the
        # module dedupe/match.py, not the function. Several names are both; keep the function.
        if isinstance(value, ModuleType) and name in _HOMES:
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

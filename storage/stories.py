"""Repeated stories as rows: fingerprint columns, relations and clusters.

Which posts repeat which is :mod:`dedupe`'s decision, wired to the archive by
:mod:`crawler.matching`; this module only reads and writes the rows, and never imports
``dedupe``. Every function takes the caller's session and never commits.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from storage.models import Cluster, Post, Relation, utcnow

BATCH = 2000


@dataclass(frozen=True)
class StoredLink:
    """A cluster member's recorded link to its canonical post."""

    member: int
    canonical: int
    method: str
    similarity: float


class _Placed(Protocol):
    key: Hashable
    similarity: float
    method: str


class Grouping(Protocol):
    """A cluster as the matcher found it: its canonical post and every member."""

    canonical: Hashable
    members: Sequence[_Placed]


# --- fingerprints -------------------------------------------------------------------------

def set_fingerprint(post: Post, *, norm_hash: str, signature: bytes, paragraph_hashes: bytes,
                    words: int, params_key: str) -> None:
    """Store a post's fingerprint (bytes, never pickles) and the parameters it was made with."""
    post.norm_hash = norm_hash
    post.signature = signature
    post.paragraph_hashes = paragraph_hashes
    post.fingerprint_words = words
    post.dedupe_params = params_key


def forget_fingerprints(session: Session) -> None:
    """Mark every fingerprint stale, so that all are made again."""
    session.execute(update(Post).values(dedupe_params=None))


def stale_post_ids(session: Session, params_key: str) -> list[int]:
    """Posts fingerprinted with other parameters, or not at all."""
    stale = or_(Post.dedupe_params.is_(None), Post.dedupe_params != params_key)
    return list(session.scalars(select(Post.id).where(stale, Post.kind == "post")))


def fingerprint_rows(session: Session, params_key: str) -> Iterator[tuple]:
    """``(id, norm_hash, signature, paragraph_hashes, words)`` of every post fingerprinted
    with ``params_key``, streamed."""
    rows = session.execute(
        select(Post.id, Post.norm_hash, Post.signature, Post.paragraph_hashes,
               Post.fingerprint_words)
        .where(Post.kind == "post", Post.dedupe_params == params_key)
        .execution_options(yield_per=BATCH))
    return (tuple(row) for row in rows)


def posts_by_id(session: Session, ids: Sequence[int]) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.id.in_(ids))))


def post_text(session: Session, post_id: object) -> str | None:
    # Reading another post's stored text needs no flush of the post being matched.
    with session.no_autoflush:
        return session.scalar(select(Post.text).where(Post.id == post_id))


def posts_by_date(session: Session) -> Iterable[Post]:
    """Every post, earliest published first (undated last), as ``dedupe --rebuild`` reads them."""
    return session.scalars(select(Post).where(Post.kind == "post")
                           .order_by(Post.published.is_(None), Post.published, Post.id))


# --- relations ----------------------------------------------------------------------------

def clear_relations(session: Session, post_id: int | None = None) -> None:
    """Delete the relations of one post (either side), or all of them."""
    query = delete(Relation)
    if post_id is not None:
        query = query.where(or_(Relation.post_id == post_id, Relation.source_id == post_id))
    session.execute(query)


def relate(session: Session, post: Post, other: Post, *, shared_fraction: float, method: str,
           sentences: Sequence[str] = ()) -> None:
    """Record text reuse between two posts, from the later one to the earlier."""
    later, earlier = (post, other) if _order(post) >= _order(other) else (other, post)
    session.execute(delete(Relation).where(Relation.post_id == later.id,
                                           Relation.source_id == earlier.id))
    session.add(Relation(post_id=later.id, source_id=earlier.id,
                         shared_fraction=round(shared_fraction, 4), method=method,
                         shared_sentences=list(sentences) or None))


def _order(post: Post) -> tuple:
    return (post.published is not None, post.published or utcnow(), post.id)


# --- clusters -----------------------------------------------------------------------------

def cluster_members(session: Session, cluster_ids: Iterable[int]) -> dict[int, Post]:
    """The posts of the given clusters, by ID."""
    ids = [c for c in cluster_ids if c is not None]
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Post).where(Post.cluster_id.in_(ids)))}


def stored_link(member: Post, members: dict[int, Post]) -> StoredLink | None:
    """The member's recorded link to its cluster's canonical post, if both are in ``members``."""
    if member.cluster is None or member.cluster.canonical_post_id in (None, member.id):
        return None
    canonical = member.cluster.canonical_post_id
    if canonical not in members:
        return None
    return StoredLink(member.id, canonical, member.cluster_method or "jaccard",
                      member.cluster_similarity or 0.0)


def cluster_ids(session: Session) -> list[int]:
    return list(session.scalars(select(Cluster.id).order_by(Cluster.id)))


def write_clusters(session: Session, members: dict[int, Post], clusters: Iterable[Grouping],
                   reusable: list[int]) -> dict[int, int]:
    """Store ``clusters`` for ``members``, reusing the cluster rows ``reusable`` where
    possible (the rest are deleted); returns post ID → cluster ID."""
    reusable = list(reusable)
    for post in members.values():
        post.cluster_id, post.cluster_similarity, post.cluster_method = None, None, None
    session.flush()
    placed: dict[int, int] = {}
    for found in clusters:
        row = session.get(Cluster, reusable.pop(0)) if reusable else None
        if row is None:
            row = Cluster()
            session.add(row)
            session.flush()
        row.canonical_post_id = found.canonical
        row.updated_at = utcnow()
        for link in found.members:
            post = members[link.key]
            post.cluster_id = row.id
            post.cluster_similarity = round(link.similarity, 4)
            post.cluster_method = link.method
            placed[link.key] = row.id
    if reusable:
        session.execute(delete(Cluster).where(Cluster.id.in_(reusable)))
    session.flush()
    return placed

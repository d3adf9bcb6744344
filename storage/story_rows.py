"""Repeated stories for reading: the rows ``dupes`` lists and shows. Take the caller's session."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import Cluster, Post, Relation, Site


def matchable_posts(session: Session) -> int:
    """How many stored pages are posts (what ``dedupe`` matches)."""
    return session.scalar(select(func.count()).select_from(Post).where(Post.kind == "post")) or 0


def iter_cluster_members(session: Session, cluster_id: int) -> Iterable[Post]:
    """A cluster's posts, earliest published first (undated last)."""
    return session.scalars(select(Post).where(Post.cluster_id == cluster_id)
                           .order_by(Post.published.is_(None), Post.published, Post.id))


def cluster_rows(session: Session, limit: int | None = 100, offset: int = 0) -> list[dict]:
    """Clusters for ``dupes``: size, canonical title, sites, similarity range and the
    methods that linked the members."""
    rows = []
    clusters = session.scalars(select(Cluster).order_by(Cluster.id).limit(limit).offset(offset))
    for found in clusters:
        members = list(iter_cluster_members(session, found.id))
        if not members:
            continue
        canonical = next((p for p in members if p.id == found.canonical_post_id), members[0])
        others = [p.cluster_similarity or 0.0 for p in members if p.id != canonical.id]
        sites = sorted({session.get_one(Site, p.site_id).url for p in members})
        methods = {p.cluster_method for p in members if p.id != canonical.id}
        rows.append({"id": found.id, "size": len(members), "canonical_id": canonical.id,
                     "title": canonical.title, "published": canonical.published,
                     "sites": sites, "min_similarity": min(others, default=1.0),
                     "max_similarity": max(others, default=1.0),
                     "methods": sorted(methods - {None, "canonical"})})
    return rows


def related_rows(session: Session, limit: int | None = 100, offset: int = 0) -> list[dict]:
    """Text-reuse pairs for ``dupes --related``: which post reuses which, and how much."""
    rows = []
    query = select(Relation).order_by(Relation.shared_fraction.desc(), Relation.id)
    for rel in session.scalars(query.limit(limit).offset(offset)):
        post, source = session.get_one(Post, rel.post_id), session.get_one(Post, rel.source_id)
        rows.append({"post_id": post.id, "post_title": post.title, "post_url": post.canonical_url,
                     "source_id": source.id, "source_title": source.title,
                     "source_url": source.canonical_url,
                     "shared_fraction": rel.shared_fraction, "method": rel.method,
                     "shared_sentences": rel.shared_sentences or []})
    return rows


def cluster_with_members(session: Session, cluster_id: int) -> tuple[Post, list[Post]] | None:
    """A cluster's canonical post and all its members (canonical included), or ``None``."""
    found = session.get(Cluster, cluster_id)
    if found is None:
        return None
    members = list(iter_cluster_members(session, cluster_id))
    if not members:
        return None
    canonical = next((p for p in members if p.id == found.canonical_post_id), members[0])
    return canonical, members

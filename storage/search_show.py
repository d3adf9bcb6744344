"""Everything the archive knows about one post, for ``civic-archive show``."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session, aliased

from storage.db import ArchiveError
from storage.models import (
    Capture, Comment, Post, PostRequisite, PostUrl, PostVersion, Relation, Site, Term, post_terms,
)
from storage.urls import normalize_url


def resolve_post(session: Session, ref: str) -> Post:
    """A post by id, by any of its URLs (aliases included) or by canonical URL.

    :raises ArchiveError: when nothing matches.
    """
    ref = ref.strip()
    post = session.get(Post, int(ref)) if ref.isdigit() else None
    if post is None and "://" in ref:
        key = normalize_url(ref)
        post = session.scalar(select(Post).join(PostUrl).where(PostUrl.url == key).limit(1))
        post = post or session.scalar(select(Post).where(Post.canonical_url == key).limit(1))
    if post is None:
        raise ArchiveError(f"no post {ref!r} in the archive (give an id or one of its URLs)")
    return post


def post_detail(session: Session, ref: str, *, comments: bool = False, history: bool = False,
                html: bool = False) -> dict[str, Any]:
    """A JSON-ready description of one post; optional parts only when asked for."""
    post = resolve_post(session, ref)
    detail = _metadata(session, post)
    detail["urls"] = [{"url": u.url, "found_via": u.found_via.split(",") if u.found_via else [],
                       "first_seen": u.first_seen} for u in sorted(post.urls, key=lambda u: u.id)]
    detail["cluster"] = _cluster(session, post)
    detail["related"] = _related(session, post.id)
    detail["images"], detail["requisites"] = _requisites(session, post)
    detail["text"] = post.text
    if comments:
        detail["comments"] = comment_tree(post.comments)
    if history:
        detail["versions"] = version_history(post.versions)
    if html:
        detail["html"] = post.html
    return detail


def _metadata(session: Session, post: Post) -> dict[str, Any]:
    site = session.get(Site, post.site_id)
    terms = session.execute(select(Term.taxonomy, Term.name).join(post_terms)
                            .where(post_terms.c.post_id == post.id).order_by(Term.name)).all()
    return {
        "id": post.id, "url": post.canonical_url, "kind": post.kind, "title": post.title,
        "site": site.url if site else None, "site_name": site.name if site else None,
        "author": post.author, "authors": list(post.authors), "published": post.published,
        "modified": post.modified, "language": post.language, "status": post.status,
        "gone_at": post.gone_at, "first_seen": post.first_seen, "last_seen": post.last_seen,
        "word_count": post.word_count, "sha256": post.content_hash,
        "categories": [n for t, n in terms if t == "category"],
        "tags": [n for t, n in terms if t == "tag"],
    }


def _requisites(session: Session, post: Post) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The post's images (in the post's order, with what became of each) and a count of
    its other requisites by kind and outcome."""
    rows = session.execute(
        select(PostRequisite, Capture.size, Capture.headers)
        .outerjoin(Capture, Capture.id == PostRequisite.capture_id)
        .where(PostRequisite.post_id == post.id)
        .order_by(PostRequisite.kind, PostRequisite.position, PostRequisite.id)).all()
    images = {url: {"url": url, "status": "not fetched", "reason": None, "size": None,
                    "content_type": None} for url in post.images}
    counts: dict[str, int] = {}
    for requisite, size, headers in rows:
        key = f"{requisite.kind}/{requisite.status}"
        counts[key] = counts.get(key, 0) + 1
        if requisite.kind == "image":
            types = (headers or {}).get("Content-Type") or [None]
            images[requisite.url] = {"url": requisite.url, "status": requisite.status,
                                     "reason": requisite.reason, "size": size,
                                     "content_type": types[0] if isinstance(types, list) else types}
    return list(images.values()), counts


def _cluster(session: Session, post: Post) -> dict[str, Any] | None:
    if post.cluster is None:
        return None
    canonical = post.cluster.canonical_post_id
    rows = session.execute(
        select(Post.id, Post.canonical_url, Post.title, Site.url, Post.cluster_similarity,
               Post.cluster_method, Post.published)
        .join(Site, Site.id == Post.site_id).where(Post.cluster_id == post.cluster_id)
        .order_by(Post.id)).all()
    members = [{"id": i, "url": url, "title": title, "site": site, "similarity": sim,
                "method": method, "published": published, "canonical": i == canonical}
               for i, url, title, site, sim, method, published in rows]
    return {"id": post.cluster_id, "canonical_id": canonical, "members": members}


def _related(session: Session, post_id: int) -> list[dict[str, Any]]:
    """Text reuse both ways: posts this one reuses, and posts reusing it."""
    other = aliased(Post)
    reuses = Relation.post_id == post_id
    rows = session.execute(
        select(Relation.post_id, Relation.source_id, Relation.shared_fraction, Relation.method,
               other.id, other.canonical_url, other.title)
        .join(other, other.id == _other_side(post_id))
        .where(or_(reuses, Relation.source_id == post_id)).order_by(Relation.id)).all()
    return [{"id": oid, "url": url, "title": title, "shared_fraction": fraction, "method": method,
             "relation": "reuses" if pid == post_id else "reused_by"}
            for pid, _sid, fraction, method, oid, url, title in rows]


def _other_side(post_id: int) -> Any:
    return case((Relation.post_id == post_id, Relation.source_id), else_=Relation.post_id)


def comment_tree(comments: Iterable[Comment]) -> list[dict[str, Any]]:
    """Comments as a forest: each with its ``replies``, oldest first."""
    ordered = sorted(comments, key=lambda c: (c.published is None, c.published, c.id))
    nodes = {c.id: {"id": c.id, "author": c.author, "published": c.published, "text": c.text,
                    "replies": []} for c in ordered}
    roots = []
    for comment in ordered:
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent["replies"] if parent else roots).append(nodes[comment.id])
    return roots


def version_history(versions: Iterable[PostVersion]) -> list[dict[str, Any]]:
    """Versions oldest first, each with a unified diff from the one before."""
    history = []
    previous: PostVersion | None = None
    for version in sorted(versions, key=lambda v: v.number):
        history.append({"number": version.number, "seen_at": version.seen_at,
                        "modified": version.modified, "title": version.title,
                        "sha256": version.content_hash, "diff": _diff(previous, version)})
        previous = version
    return history


def _diff(old: PostVersion | None, new: PostVersion) -> str:
    if old is None:
        return ""
    before = [f"# {old.title}", "", *old.text.splitlines()]
    after = [f"# {new.title}", "", *new.text.splitlines()]
    return "\n".join(difflib.unified_diff(before, after, f"version {old.number}",
                                          f"version {new.number}", lineterm=""))

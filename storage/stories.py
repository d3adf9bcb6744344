"""Repeated stories in the archive: fingerprints, the in-memory index, clusters and relations.

The matching itself is :mod:`dedupe` (pure); this module stores its inputs and results. Every
function takes the caller's session and never commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

import dedupe
from storage.models import Cluster, Post, Relation, Site, utcnow

logger = logging.getLogger(__name__)

BATCH = 2000


@dataclass
class LinkResult:
    duplicates: int = 0
    related: int = 0
    cluster_id: int | None = None


def fingerprint_post(post: Post, params: dedupe.Params,
                     fp: dedupe.Fingerprint | None = None) -> dedupe.Fingerprint:
    """Fingerprint ``post``'s text (unless ``fp`` already is) and store it on the post as
    bytes, never pickles."""
    fp = fp or dedupe.fingerprint(post.text, params)
    post.norm_hash = fp.norm_hash
    post.signature = fp.signature_bytes()
    post.paragraph_hashes = fp.paragraph_bytes()
    post.dedupe_params = params.fingerprint()
    # The index routes very short posts by this count, so it must be dedupe's own.
    post.word_count = fp.word_count
    return fp


def refresh_stale(session: Session, params: dedupe.Params,
                  progress: Callable[[int], None] | None = None) -> int:
    """Fingerprint again every post stored with other parameters (or none); returns how many."""
    current = params.fingerprint()
    stale = or_(Post.dedupe_params.is_(None), Post.dedupe_params != current)
    ids = list(session.scalars(select(Post.id).where(stale, Post.kind == "post")))
    for start in range(0, len(ids), BATCH):
        posts = list(session.scalars(select(Post).where(Post.id.in_(ids[start:start + BATCH]))))
        # One batched pass hashes the whole chunk far faster than post by post.
        for post, fp in zip(posts, dedupe.fingerprint_many([p.text for p in posts], params)):
            fingerprint_post(post, params, fp)
        session.flush()
        session.expunge_all()
        if progress:
            progress(len(ids[start:start + BATCH]))
    return len(ids)


def load_index(session: Session, params: dedupe.Params) -> dedupe.DedupeIndex:
    """Rebuild the in-memory index from stored fingerprints (stale ones are redone first)."""
    refresh_stale(session, params)
    index = dedupe.DedupeIndex(params)
    rows = session.execute(
        select(Post.id, Post.norm_hash, Post.signature, Post.paragraph_hashes, Post.word_count)
        .where(Post.kind == "post", Post.dedupe_params == params.fingerprint())
        .execution_options(yield_per=BATCH)
    )
    index.rebuild(tuple(row) for row in rows)
    return index


def _text_loader(session: Session) -> Callable[[object], str | None]:
    def get_text(key: object) -> str | None:
        # Reading another post's stored text needs no flush of the post being matched.
        with session.no_autoflush:
            return session.scalar(select(Post.text).where(Post.id == key))
    return get_text


def link_if_changed(session: Session, outcome: str, post: Post,
                    index: dedupe.DedupeIndex) -> LinkResult | None:
    """Run :func:`link_post` for a post that is new or whose text changed."""
    if outcome in ("new", "changed") and post.kind == "post":
        return link_post(session, post, index)
    return None


def link_post(session: Session, post: Post, index: dedupe.DedupeIndex) -> LinkResult:
    """Match a new or edited post against the archive and record what it repeats.

    Duplicates join (or merge) clusters, re-choosing the canonical member; text reuse
    becomes a :class:`Relation` from the later post to the earlier one. The post's own key
    is excluded, so an edit is a new version of the post, never its own duplicate. Links
    the post changes between archived posts (a digest it completes; text it makes
    boilerplate) are recorded again, so the archive ends the same whatever order its posts
    arrived in (see :func:`dedupe.add_post`, which this mirrors on stored rows).
    """
    fp = fingerprint_post(post, index.params)
    if post.id in index:
        index.remove(post.id)
    get_text = _text_loader(session)
    matches, revisions = dedupe.match_and_revise(fp, post.text, index, get_text,
                                                 exclude=post.id)
    crossed = index.add(post.id, fp)
    result = _record_links(session, post, matches)
    _apply_revisions(session, revisions)
    # The post itself is among the holders: it was matched before its text counted as such.
    for holder in index.holders(crossed):
        _relink_stored(session, session.get_one(Post, holder), index, get_text)
    return result


def _record_links(session: Session, post: Post, matches: list[dedupe.Match]) -> LinkResult:
    """Replace the post's relations and cluster links with ``matches``."""
    result = LinkResult()
    dup_edges = [dedupe.Edge.from_match(post.id, m) for m in matches if m.is_duplicate]
    result.duplicates = len(dup_edges)
    session.execute(delete(Relation).where(or_(Relation.post_id == post.id,
                                               Relation.source_id == post.id)))
    for m in matches:
        if not m.is_duplicate:
            _relate(session, post, session.get_one(Post, m.key), m)
            result.related += 1
    result.cluster_id = _recluster_around(session, post, dup_edges)
    return result


def _relink_stored(session: Session, post: Post, index: dedupe.DedupeIndex,
                   get_text: Callable[[object], str | None]) -> None:
    """Match an archived, unchanged post again (some of its text became boilerplate)."""
    params = index.params
    fp = dedupe.Fingerprint.from_stored(post.norm_hash, post.signature, post.paragraph_hashes,
                                        post.word_count, params.fingerprint())
    matches, revisions = dedupe.match_and_revise(fp, post.text, index, get_text,
                                                 exclude=post.id)
    _record_links(session, post, matches)
    _apply_revisions(session, revisions)


def _apply_revisions(session: Session, revisions: list[dedupe.Revision]) -> None:
    """A container turned out to be a digest: its links to its parts are text reuse."""
    for revision in revisions:
        container = session.get_one(Post, revision.container)
        part = session.get_one(Post, revision.match.key)
        _relate(session, container, part, revision.match)
        if container.cluster_id is not None and container.cluster_id == part.cluster_id:
            _recluster_without(session, container.cluster_id, {container.id, part.id})


def _recluster_without(session: Session, cluster_id: int, pair: set[int]) -> None:
    """Re-cluster one cluster from its stored links, less the link between ``pair``."""
    members = {p.id: p for p in session.scalars(select(Post).where(Post.cluster_id == cluster_id))}
    edges = [e for e in (_stored_edge(m, members) for m in members.values())
             if e is not None and {e.a, e.b} != pair]
    clusters = dedupe.cluster([_member(m) for m in members.values()], edges)
    _write_clusters(session, members, clusters, [cluster_id])


def _relate(session: Session, post: Post, other: Post, m: dedupe.Match) -> None:
    later, earlier = (post, other) if _order(post) >= _order(other) else (other, post)
    session.execute(delete(Relation).where(Relation.post_id == later.id,
                                           Relation.source_id == earlier.id))
    session.add(Relation(post_id=later.id, source_id=earlier.id,
                         shared_fraction=round(m.shared_fraction if m.method != "sentences"
                                               else m.similarity, 4),
                         method=m.method, shared_sentences=list(m.sentences) or None))


def _order(post: Post) -> tuple:
    return (post.published is not None, post.published or utcnow(), post.id)


def _recluster_around(session: Session, post: Post, new_edges: list[dedupe.Edge]) -> int | None:
    """Re-cluster the post with everything its old and new clusters hold."""
    cluster_ids = {post.cluster_id} | {session.get_one(Post, e.b if e.a == post.id else e.a).cluster_id
                                       for e in new_edges}
    cluster_ids.discard(None)
    if not cluster_ids and not new_edges:
        return None  # a story told once: nothing to cluster
    members = {post.id: post}
    for cid in cluster_ids:
        for member in session.scalars(select(Post).where(Post.cluster_id == cid)):
            members[member.id] = member
    for edge in new_edges:
        for key in (edge.a, edge.b):
            members.setdefault(key, session.get_one(Post, key))
    # Links already recorded stay, except the edited post's own: its new text decides.
    kept = [_stored_edge(m, members) for m in members.values() if m.id != post.id]
    edges = [e for e in kept if e is not None and post.id not in (e.a, e.b)] + new_edges
    clusters = dedupe.cluster([_member(m) for m in members.values()], edges)
    return _write_clusters(session, members, clusters, sorted(cluster_ids)).get(post.id)


def _stored_edge(member: Post, members: dict[int, Post]) -> dedupe.Edge | None:
    if member.cluster is None or member.cluster.canonical_post_id in (None, member.id):
        return None
    canonical = member.cluster.canonical_post_id
    if canonical not in members:
        return None
    method = member.cluster_method or "jaccard"
    kind = "exact" if method == "exact" else "near"
    return dedupe.Edge(member.id, canonical, kind, method, member.cluster_similarity or 0.0)


def _member(post: Post) -> dedupe.Member:
    return dedupe.Member(key=post.id, published=post.published, site_rank=post.site_id,
                         url=post.canonical_url)


def _write_clusters(session: Session, members: dict[int, Post], clusters: list[dedupe.Cluster],
                    reusable: list[int]) -> dict[int, int]:
    """Store ``clusters`` for ``members``, reusing existing cluster rows where possible."""
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


def recluster(session: Session, params: dedupe.Params, *, force: bool = False,
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Re-cluster the whole archive from stored text (``civic-archive dedupe``).

    :param force: fingerprint every post again, not only those with stale parameters.
    """
    if force:
        session.execute(update(Post).values(dedupe_params=None))
    refreshed = refresh_stale(session, params)
    index = dedupe.DedupeIndex(params)
    links = dedupe.Links()
    session.execute(delete(Relation))
    get_text = _text_loader(session)
    posts = session.scalars(select(Post).where(Post.kind == "post")
                            .order_by(Post.published.is_(None), Post.published, Post.id))
    members = []
    for post in posts:
        fp = dedupe.Fingerprint.from_stored(post.norm_hash, post.signature, post.paragraph_hashes,
                                            post.word_count, params.fingerprint())
        dedupe.add_post(index, links, post.id, post.text, get_text, fp)
        members.append(_member(post))
        if progress:
            progress(1)
    related = links.related()
    for pair, m in sorted(related.items(), key=lambda item: sorted(item[0])):
        first, second = sorted(pair)
        _relate(session, session.get_one(Post, first), session.get_one(Post, second), m)
    clusters = dedupe.cluster(members, links.edges())
    everyone = {p.id: p for p in session.scalars(select(Post).where(Post.kind == "post"))}
    old = list(session.scalars(select(Cluster.id).order_by(Cluster.id)))
    _write_clusters(session, everyone, clusters, old)
    return {"posts": len(members), "fingerprinted": refreshed, "clusters": len(clusters),
            "duplicates": sum(len(c.members) - 1 for c in clusters), "related": len(related)}


def iter_cluster_members(session: Session, cluster_id: int) -> Iterable[Post]:
    return session.scalars(select(Post).where(Post.cluster_id == cluster_id)
                           .order_by(Post.published.is_(None), Post.published, Post.id))


def cluster_rows(session: Session, limit: int = 100, offset: int = 0) -> list[dict]:
    """Clusters for ``dupes``: size, canonical title, sites and similarity range."""
    rows = []
    clusters = session.scalars(select(Cluster).order_by(Cluster.id).limit(limit).offset(offset))
    for found in clusters:
        members = list(iter_cluster_members(session, found.id))
        if not members:
            continue
        canonical = next((p for p in members if p.id == found.canonical_post_id), members[0])
        others = [p.cluster_similarity or 0.0 for p in members if p.id != canonical.id]
        sites = sorted({session.get_one(Site, p.site_id).url for p in members})
        rows.append({"id": found.id, "size": len(members), "canonical_id": canonical.id,
                     "title": canonical.title, "published": canonical.published,
                     "sites": sites, "min_similarity": min(others, default=1.0),
                     "max_similarity": max(others, default=1.0)})
    return rows


def related_rows(session: Session, limit: int = 100, offset: int = 0) -> list[dict]:
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


def cluster_detail(session: Session, cluster_id: int,
                   params: dedupe.Params | None = None) -> dict | None:
    """One cluster's members with URLs, dates, similarity, a paragraph diff against the
    canonical, and why each member matches it (:func:`dedupe.explain`)."""
    found = session.get(Cluster, cluster_id)
    if found is None:
        return None
    members = list(iter_cluster_members(session, cluster_id))
    canonical = next((p for p in members if p.id == found.canonical_post_id), members[0])
    detail = []
    for post in members:
        detail.append({
            "id": post.id, "title": post.title, "url": post.canonical_url,
            "aliases": sorted(u.url for u in post.urls), "published": post.published,
            "canonical": post.id == canonical.id, "similarity": post.cluster_similarity,
            "method": post.cluster_method,
            "diff": [] if post.id == canonical.id else
            [{"op": op.op, "canonical": list(op.a), "member": list(op.b)}
             for op in dedupe.diff_paragraphs(canonical.text, post.text) if op.op != "equal"],
            "explanation": None if post.id == canonical.id else
            _explanation(dedupe.explain(post.text, canonical.text, params)),
        })
    return {"id": found.id, "canonical_id": canonical.id, "members": detail}

def _explanation(e: dedupe.Explanation) -> dict:
    return {"kind": e.kind, "method": e.method, "measure": e.measure,
            "value": round(e.value, 4), "threshold": e.threshold,
            "measures": {k: round(v, 4) for k, v in e.measures.items()},
            "paragraphs": [{"member": p.a, "canonical": p.b, "covered": round(p.covered, 4),
                            "aligned": p.aligned, "text": p.text} for p in e.paragraphs],
            "sentences": list(e.sentences)}


def count_posts(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Post).where(Post.kind == "post")) or 0

"""Save a post, then match it: the one place where the archive's rows meet :mod:`dedupe`.

The crawl (:mod:`crawler.site_writer`), ``reextract`` and ``dedupe --rebuild`` all come through
here. :mod:`storage` stores rows and knows nothing of matching; :mod:`dedupe` matches text and
knows nothing of rows; this module hands one to the other. Every function takes the caller's
session and never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import dedupe
from crawler import shared_index
from storage import repo, stories
from storage.models import Post, Site
from storage.repo import PostData
from storage.story_rows import cluster_with_members

BATCH = stories.BATCH


@dataclass
class LinkResult:
    """What matching one post recorded."""

    duplicates: int = 0
    related: int = 0
    cluster_id: int | None = None


@dataclass
class Saved:
    """One post saved: the row, what happened to it (new, changed, unchanged) and, when its
    text was new, what matching it recorded."""

    post: Post
    outcome: str
    links: LinkResult | None = None


def same_text(a: str, b: str) -> bool:
    """Whether two bodies are the same text as matching sees it (furniture and spacing aside)."""
    return dedupe.normalize(a) == dedupe.normalize(b)


def save_post(session, site: Site, data: PostData, index: dedupe.DedupeIndex, *,  # noqa: ANN001
              found_via: str = "page", aliases: Iterable[tuple[str, str]] = (),
              seen_at: datetime | None = None) -> Saved:
    """Store one post (:func:`storage.repo.upsert_post`) and, if its text is new or changed,
    match it against the archive and record its clusters and relations."""
    upserted = repo.upsert_post(session, site, data, found_via=found_via, aliases=aliases,
                                seen_at=seen_at, same_text=same_text)
    return Saved(post=upserted.post, outcome=upserted.outcome,
                 links=match_post(session, upserted.post, upserted.outcome, index))


def match_post(session, post: Post, outcome: str,  # noqa: ANN001
               index: dedupe.DedupeIndex) -> LinkResult | None:
    """The second half of :func:`save_post`: match a stored post whose text is new or
    changed (``outcome``), in this process's turn among all that share the archive."""
    if outcome not in ("new", "changed") or post.kind != "post":
        return None
    with shared_index.turn(session, index, post.id):
        return _link_post(session, post, index)


# --- fingerprints and the index ---------------------------------------------------------

def _store(post: Post, fp: dedupe.Fingerprint, params: dedupe.Params) -> None:
    stories.set_fingerprint(post, norm_hash=fp.norm_hash, signature=fp.signature_bytes(),
                            paragraph_hashes=fp.paragraph_bytes(), words=fp.word_count,
                            params_key=params.fingerprint())


def _stored(post: Post, params: dedupe.Params) -> dedupe.Fingerprint:
    return dedupe.Fingerprint.from_stored(post.norm_hash, post.signature, post.paragraph_hashes,
                                          post.fingerprint_words, params.fingerprint())


def refresh_stale(session, params: dedupe.Params,  # noqa: ANN001
                  progress: Callable[[int], None] | None = None) -> int:
    """Fingerprint again every post stored with other parameters (or none); returns how many."""
    ids = stories.stale_post_ids(session, params.fingerprint())
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        posts = stories.posts_by_id(session, chunk)
        # One batched pass hashes the whole chunk far faster than post by post.
        for post, fp in zip(posts, dedupe.fingerprint_many([p.text for p in posts], params)):
            _store(post, fp, params)
        session.flush()
        session.expunge_all()
        if progress:
            progress(len(chunk))
    return len(ids)


def load_index(session, params: dedupe.Params) -> dedupe.DedupeIndex:  # noqa: ANN001
    """The in-memory index of every stored fingerprint (stale ones are made again first).

    The shared log's end is noted before loading: posts other processes match meanwhile are
    then caught up again (harmlessly) rather than missed (:mod:`crawler.shared_index`).
    """
    mark = shared_index.log_end(session)
    refresh_stale(session, params)
    index = dedupe.DedupeIndex(params)
    index.rebuild(stories.fingerprint_rows(session, params.fingerprint()))
    shared_index.set_mark(index, mark)
    return index


# --- matching one post ------------------------------------------------------------------

def _link_post(session, post: Post, index: dedupe.DedupeIndex) -> LinkResult:  # noqa: ANN001
    """Match a new or edited post against the archive and record what it repeats.

    Duplicates join (or merge) clusters, re-choosing the canonical member; text reuse
    becomes a relation from the later post to the earlier one. The post's own key is
    excluded, so an edit is a new version of the post, never its own duplicate. Links the
    post changes between archived posts (a digest it completes; text it makes boilerplate)
    are recorded again, so the archive ends the same whatever order its posts arrived in
    (see :func:`dedupe.add_post`, which this mirrors on stored rows).
    """
    fp = dedupe.fingerprint(post.text, index.params)
    _store(post, fp, index.params)
    if post.id in index:
        index.remove(post.id)
    get_text = _text_loader(session)
    matches, revisions = dedupe.match_and_revise(fp, post.text, index, get_text, exclude=post.id)
    crossed = index.add(post.id, fp)
    result = _record_links(session, post, matches)
    _apply_revisions(session, revisions)
    # The post itself is among the holders: it was matched before its text counted as such.
    for holder in index.holders(crossed):
        _relink_stored(session, session.get_one(Post, holder), index, get_text)
    return result


def _text_loader(session) -> Callable[[object], str | None]:  # noqa: ANN001
    return lambda key: stories.post_text(session, key)


def _relate(session, post: Post, other: Post, m: dedupe.Match) -> None:  # noqa: ANN001
    stories.relate(session, post, other,
                   shared_fraction=m.similarity if m.method == "sentences" else m.shared_fraction,
                   method=m.method, sentences=m.sentences)


def _record_links(session, post: Post, matches: list[dedupe.Match]) -> LinkResult:  # noqa: ANN001
    """Replace the post's relations and cluster links with ``matches``."""
    dup_edges = [dedupe.Edge.from_match(post.id, m) for m in matches if m.is_duplicate]
    result = LinkResult(duplicates=len(dup_edges))
    stories.clear_relations(session, post.id)
    for m in matches:
        if not m.is_duplicate:
            _relate(session, post, session.get_one(Post, m.key), m)
            result.related += 1
    result.cluster_id = _recluster_around(session, post, dup_edges)
    return result


def _relink_stored(session, post: Post, index: dedupe.DedupeIndex,  # noqa: ANN001
                   get_text: Callable[[object], str | None]) -> None:
    """Match an archived, unchanged post again (some of its text became boilerplate)."""
    matches, revisions = dedupe.match_and_revise(_stored(post, index.params), post.text, index,
                                                 get_text, exclude=post.id)
    _record_links(session, post, matches)
    _apply_revisions(session, revisions)


def _apply_revisions(session, revisions: list[dedupe.Revision]) -> None:  # noqa: ANN001
    """A container turned out to be a digest: its links to its parts are text reuse."""
    for revision in revisions:
        container = session.get_one(Post, revision.container)
        part = session.get_one(Post, revision.match.key)
        _relate(session, container, part, revision.match)
        if container.cluster_id is not None and container.cluster_id == part.cluster_id:
            _recluster_without(session, container.cluster_id, {container.id, part.id})


def _edges(members: dict[int, Post], skip: Callable[[stories.StoredLink], bool]) -> list[dedupe.Edge]:
    """The recorded links among ``members`` as dedupe edges, less those ``skip`` names."""
    links = (stories.stored_link(m, members) for m in members.values())
    return [dedupe.Edge(link.member, link.canonical,
                        "exact" if link.method == "exact" else "near", link.method,
                        link.similarity)
            for link in links if link is not None and not skip(link)]


def _recluster_without(session, cluster_id: int, pair: set[int]) -> None:  # noqa: ANN001
    """Re-cluster one cluster from its stored links, less the link between ``pair``."""
    members = stories.cluster_members(session, [cluster_id])
    edges = _edges(members, lambda link: {link.member, link.canonical} == pair)
    clusters = dedupe.cluster([_member(m) for m in members.values()], edges)
    stories.write_clusters(session, members, clusters, [cluster_id])


def _recluster_around(session, post: Post, new_edges: list[dedupe.Edge]) -> int | None:  # noqa: ANN001
    """Re-cluster the post with everything its old and new clusters hold."""
    linked = {e.b if e.a == post.id else e.a for e in new_edges}
    cluster_ids = sorted(({post.cluster_id} | {session.get_one(Post, k).cluster_id
                                                for k in linked}) - {None})
    if not cluster_ids and not new_edges:
        return None  # a story told once: nothing to cluster
    members = {post.id: post, **stories.cluster_members(session, cluster_ids)}
    for key in linked:
        members.setdefault(key, session.get_one(Post, key))
    # Links already recorded stay, except the edited post's own: its new text decides.
    edges = _edges(members, lambda link: post.id in (link.member, link.canonical)) + new_edges
    clusters = dedupe.cluster([_member(m) for m in members.values()], edges)
    return stories.write_clusters(session, members, clusters, cluster_ids).get(post.id)


def _member(post: Post) -> dedupe.Member:
    return dedupe.Member(key=post.id, published=post.published, site_rank=post.site_id,
                         url=post.canonical_url)


# --- the whole archive ------------------------------------------------------------------

def recluster(session, params: dedupe.Params, *, force: bool = False,  # noqa: ANN001
              progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Re-cluster the whole archive from stored text (``civic-archive dedupe``).

    :param force: fingerprint every post again, not only those with stale parameters.
    """
    if force:
        stories.forget_fingerprints(session)
    refreshed = refresh_stale(session, params)
    index = dedupe.DedupeIndex(params)
    links = dedupe.Links()
    stories.clear_relations(session)
    get_text = _text_loader(session)
    members = []
    for post in stories.posts_by_date(session):
        dedupe.add_post(index, links, post.id, post.text, get_text, _stored(post, params))
        members.append(_member(post))
        if progress:
            progress(1)
    related = links.related()
    for pair, m in sorted(related.items(), key=lambda item: sorted(item[0])):
        first, second = sorted(pair)
        _relate(session, session.get_one(Post, first), session.get_one(Post, second), m)
    clusters = dedupe.cluster(members, links.edges())
    everyone = {p.id: p for p in stories.posts_by_date(session)}
    stories.write_clusters(session, everyone, clusters, stories.cluster_ids(session))
    return {"posts": len(members), "fingerprinted": refreshed, "clusters": len(clusters),
            "duplicates": sum(len(c.members) - 1 for c in clusters), "related": len(related)}


def cluster_detail(session, cluster_id: int,  # noqa: ANN001
                   params: dedupe.Params | None = None) -> dict | None:
    """One cluster's members with URLs, dates, similarity, a paragraph diff against the
    canonical, and why each member matches it (:func:`dedupe.explain`)."""
    found = cluster_with_members(session, cluster_id)
    if found is None:
        return None
    canonical, members = found
    detail = []
    for post in members:
        other = post.id != canonical.id
        detail.append({
            "id": post.id, "title": post.title, "url": post.canonical_url,
            "aliases": sorted(u.url for u in post.urls), "published": post.published,
            "canonical": not other, "similarity": post.cluster_similarity,
            "method": post.cluster_method,
            "diff": [{"op": op.op, "canonical": list(op.a), "member": list(op.b)}
                     for op in dedupe.diff_paragraphs(canonical.text, post.text)
                     if op.op != "equal"] if other else [],
            "explanation": _explanation(dedupe.explain(post.text, canonical.text, params))
            if other else None,
        })
    return {"id": cluster_id, "canonical_id": canonical.id, "members": detail}


def _explanation(e: dedupe.Explanation) -> dict:
    return {"kind": e.kind, "method": e.method, "measure": e.measure,
            "value": round(e.value, 4), "threshold": e.threshold,
            "measures": {k: round(v, 4) for k, v in e.measures.items()},
            "paragraphs": [{"member": p.a, "canonical": p.b, "covered": round(p.covered, 4),
                            "aligned": p.aligned, "text": p.text} for p in e.paragraphs],
            "sentences": list(e.sentences)}

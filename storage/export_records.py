"""Export records streamed from the archive in keyset-paginated batches (constant memory).

Each batch is one query for posts plus one per kind of kin (terms, aliases, cluster
members, relations, comments), so the cost per post stays flat whatever the archive size.
The field names and meanings are documented in ``storage/record.schema.json``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import Cluster, Comment, Post, PostUrl, Relation, Site, Term, post_terms
from storage.search_filters import Filters, post_clauses

RECORD_FIELDS = (
    "id", "url", "site", "site_name", "kind", "title", "author", "published", "modified",
    "categories", "tags", "text", "word_count", "language", "cluster", "duplicate_urls",
    "duplicate_sites", "related", "aliases", "first_seen", "last_seen", "status", "sha256",
)
COMMENT_FIELD = "comments"
BATCH = 2000

posts = Post.__table__
clusters = Cluster.__table__
_POST_COLUMNS = (posts.c.id, posts.c.canonical_url, posts.c.site_id, posts.c.kind, posts.c.title,
                 posts.c.author, posts.c.published, posts.c.modified, posts.c.text,
                 posts.c.word_count, posts.c.language, posts.c.cluster_id, posts.c.first_seen,
                 posts.c.last_seen, posts.c.status, posts.c.content_hash)


@dataclass(frozen=True)
class Selection:
    """Which posts an export covers and how each is written."""

    filters: Filters
    site_ids: tuple[int, ...] = ()
    unique: bool = True
    with_comments: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return RECORD_FIELDS + ((COMMENT_FIELD,) if self.with_comments else ())


def _representative(selection: Selection) -> ColumnElement[bool]:
    """One post per story: the canonical member when it passes the filters, otherwise
    the lowest-id member that does."""
    rival = posts.alias("rival")
    canonical = func.coalesce(clusters.c.canonical_post_id, 0)
    rival_wins = or_(rival.c.id == canonical, and_(posts.c.id != canonical, rival.c.id < posts.c.id))
    better = (select(rival.c.id)
              .where(rival.c.cluster_id == posts.c.cluster_id, rival.c.id != posts.c.id, rival_wins,
                     *post_clauses(selection.filters, selection.site_ids, rival)).exists())
    return or_(posts.c.cluster_id.is_(None), ~better)


def posts_query(selection: Selection, after: int, limit: int = BATCH) -> Select:
    """The next batch of selected posts with id above ``after`` (keyset pagination)."""
    query = select(*_POST_COLUMNS).where(posts.c.id > after,
                                         *post_clauses(selection.filters, selection.site_ids))
    if selection.unique:
        query = (query.select_from(posts.outerjoin(clusters, clusters.c.id == posts.c.cluster_id))
                 .where(_representative(selection)))
    return query.order_by(posts.c.id).limit(limit)


def count_posts(session: Session, selection: Selection) -> int:
    """How many records :func:`iter_records` will yield (for progress bars)."""
    inner = posts_query(selection, 0, limit=None).with_only_columns(posts.c.id).subquery()  # type: ignore[arg-type]
    return session.scalar(select(func.count()).select_from(inner)) or 0


def iter_records(session: Session, selection: Selection, batch: int = BATCH) -> Iterator[dict[str, Any]]:
    """Export records in id order, ``batch`` posts per round trip."""
    sites = {i: (url, name) for i, url, name in session.execute(select(Site.id, Site.url, Site.name))}
    after = 0
    while True:
        rows = session.execute(posts_query(selection, after, batch)).all()
        if not rows:
            return
        yield from _Batch(session, rows, sites, selection.with_comments).records()
        after = rows[-1].id


class _Batch:
    """The kin of one batch of posts, fetched in one query per kind."""

    def __init__(self, session: Session, rows: Sequence[Any], sites: dict[int, tuple[str, str]],
                 with_comments: bool) -> None:
        self.rows, self.sites = rows, sites
        ids = [r.id for r in rows]
        self.terms = _terms(session, ids)
        self.aliases = _aliases(session, ids)
        self.members = _members(session, sorted({r.cluster_id for r in rows if r.cluster_id}))
        self.related = _related(session, ids)
        self.comments = _comments(session, ids) if with_comments else None

    def records(self) -> Iterator[dict[str, Any]]:
        for row in self.rows:
            yield self._record(row)

    def _record(self, row: Any) -> dict[str, Any]:
        site_url, site_name = self.sites[row.site_id]
        categories, tags = self.terms.get(row.id, ((), ()))
        others = [m for m in self.members.get(row.cluster_id, ()) if m[0] != row.id]
        record = {
            "id": row.id, "url": row.canonical_url, "site": site_url, "site_name": site_name,
            "kind": row.kind, "title": row.title, "author": row.author, "published": row.published,
            "modified": row.modified, "categories": list(categories), "tags": list(tags),
            "text": row.text, "word_count": row.word_count, "language": row.language,
            "cluster": row.cluster_id, "duplicate_urls": [m[1] for m in others],
            "duplicate_sites": sorted({self.sites[m[2]][0] for m in others}),
            "related": self.related.get(row.id, []),
            "aliases": [u for u in self.aliases.get(row.id, ()) if u != row.canonical_url],
            "first_seen": row.first_seen, "last_seen": row.last_seen, "status": row.status,
            "sha256": row.content_hash,
        }
        if self.comments is not None:
            record[COMMENT_FIELD] = self.comments.get(row.id, [])
        return record


def _terms(session: Session, ids: list[int]) -> dict[int, tuple[list[str], list[str]]]:
    found: dict[int, tuple[list[str], list[str]]] = {}
    rows = session.execute(select(post_terms.c.post_id, Term.taxonomy, Term.name)
                           .join(Term, Term.id == post_terms.c.term_id)
                           .where(post_terms.c.post_id.in_(ids)).order_by(Term.name))
    for post_id, taxonomy, name in rows:
        pair = found.setdefault(post_id, ([], []))
        pair[0 if taxonomy == "category" else 1].append(name)
    return found


def _aliases(session: Session, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(select(PostUrl.post_id, PostUrl.url)
                           .where(PostUrl.post_id.in_(ids)).order_by(PostUrl.id))
    for post_id, url in rows:
        found[post_id].append(url)
    return found


def _members(session: Session, cluster_ids: list[int]) -> dict[int, list[tuple[int, str, int]]]:
    """(id, url, site_id) of every member of each cluster, whatever the filters: copies of
    a story exist even where an export does not look."""
    found: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    if not cluster_ids:
        return found
    rows = session.execute(select(posts.c.cluster_id, posts.c.id, posts.c.canonical_url, posts.c.site_id)
                           .where(posts.c.cluster_id.in_(cluster_ids)).order_by(posts.c.id))
    for cluster_id, post_id, url, site_id in rows:
        found[cluster_id].append((post_id, url, site_id))
    return found


def _related(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    other = posts.alias("other")
    for mine, theirs, relation in ((Relation.post_id, Relation.source_id, "reuses"),
                                   (Relation.source_id, Relation.post_id, "reused_by")):
        rows = session.execute(select(mine, theirs, other.c.canonical_url, Relation.shared_fraction)
                               .join(other, other.c.id == theirs).where(mine.in_(ids))
                               .order_by(Relation.id))
        for post_id, other_id, url, fraction in rows:
            found[post_id].append({"id": other_id, "url": url, "relation": relation,
                                   "shared_fraction": fraction})
    return found


def _comments(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    order = case((Comment.published.is_(None), 1), else_=0)
    rows = session.execute(select(Comment.post_id, Comment.id, Comment.parent_id, Comment.author,
                                  Comment.published, Comment.text)
                           .where(Comment.post_id.in_(ids))
                           .order_by(Comment.post_id, order, Comment.published, Comment.id))
    for post_id, cid, parent, author, published, text in rows:
        found[post_id].append({"id": cid, "parent_id": parent, "author": author,
                               "published": published, "text": text})
    return found

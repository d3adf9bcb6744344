"""Export records streamed from the archive in keyset-paginated batches (constant memory).

Each batch is one query for posts (terms and aliases aggregated in it) plus one per kind
of kin (cluster members, relations, comments), so the cost per post stays flat whatever
the archive size.
The field names and meanings are documented in ``storage/record.schema.json``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    Column, ColumnElement, Connection, Select, String, case, func, select, type_coerce,
)
from sqlalchemy.orm import Session

from storage.models import (
    Capture, Cluster, Comment, Post, PostRequisite, PostUrl, Relation, Site, Term, post_terms,
)
from storage.search_filters import Filters, post_clauses, representative

RECORD_FIELDS = (
    "id", "url", "site", "site_name", "kind", "title", "author", "published", "modified",
    "categories", "tags", "text", "word_count", "language", "cluster", "duplicate_urls",
    "duplicate_sites", "related", "aliases", "first_seen", "last_seen", "status", "sha256",
)
COMMENT_FIELD = "comments"
IMAGES_FIELD = "images"
BATCH = 2000

posts = Post.__table__
clusters = Cluster.__table__
comments = Comment.__table__
ToIso = Callable[[Any], "str | None"]


UNIT = "\x1f"  # joins aggregated names: a control character no term or URL contains


def _datetime_iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat() if value is not None else None


def _as_is(value: str | None) -> str | None:
    return value


def _sqlite_iso(column: Column[Any]) -> ColumnElement[str]:
    """SQLite keeps UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``; reshaping that text in SQL gives
    ``datetime.isoformat()``'s form several times faster than parsing it in Python."""
    text = type_coerce(column, String)
    whole_seconds = func.substr(text, 1, 10).concat("T").concat(func.substr(text, 12, 8))
    return case((func.substr(text, 21) == "000000", whole_seconds.concat("+00:00")),
                else_=func.replace(text, " ", "T").concat("+00:00")).label(column.name)


def _names(post_id: ColumnElement[int], taxonomy: str) -> ColumnElement[str]:
    return (select(func.aggregate_strings(Term.name, UNIT))
            .select_from(post_terms.join(Term, Term.id == post_terms.c.term_id))
            .where(post_terms.c.post_id == post_id, Term.taxonomy == taxonomy).scalar_subquery())


def _post_columns(sqlite: bool) -> list[ColumnElement[Any]]:
    """Post fields, with terms and URLs aggregated per post in correlated subqueries (one
    row per post, no extra round trips)."""
    p = posts.c
    stamp: Callable[[Column[Any]], ColumnElement[Any]] = _sqlite_iso if sqlite else (lambda c: c)
    urls = (select(func.aggregate_strings(PostUrl.url, UNIT))
            .where(PostUrl.post_id == p.id).scalar_subquery())
    return [p.id, p.canonical_url, p.site_id, p.kind, p.title, p.author, stamp(p.published),
            stamp(p.modified), p.text, p.word_count, p.language, p.cluster_id,
            stamp(p.first_seen), stamp(p.last_seen), p.status, p.content_hash,
            _names(p.id, "category"), _names(p.id, "tag"), urls]


def _ids_in(column: Column[int], ids: Sequence[int]) -> ColumnElement[bool]:
    """``ids`` (ascending) as a range when they are dense (cheaper than a long IN list;
    rows of other posts are simply not looked up), else as an IN list."""
    if ids[-1] - ids[0] < 4 * len(ids):
        return column.between(ids[0], ids[-1])
    return column.in_(list(ids))


@dataclass(frozen=True)
class Selection:
    """Which posts an export covers and how each is written."""

    filters: Filters
    site_ids: tuple[int, ...] = ()
    unique: bool = True
    with_comments: bool = False
    with_images: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return (RECORD_FIELDS + ((COMMENT_FIELD,) if self.with_comments else ())
                + ((IMAGES_FIELD,) if self.with_images else ()))


def posts_query(selection: Selection, after: int, limit: int | None = BATCH, *,
                sqlite: bool = False) -> Select:
    """The next batch of selected posts with id above ``after`` (keyset pagination).

    :param sqlite: format timestamps in SQL (SQLite), rather than return datetimes.
    """
    query = select(*_post_columns(sqlite)).where(posts.c.id > after,
                                         *post_clauses(selection.filters, selection.site_ids))
    if selection.unique:
        query = (query.select_from(posts.outerjoin(clusters, clusters.c.id == posts.c.cluster_id))
                 .where(representative(selection.filters, selection.site_ids)))
    return query.order_by(posts.c.id).limit(limit)


def count_selected(session: Session, selection: Selection) -> int:
    """How many records :func:`iter_records` will yield (for progress bars)."""
    inner = posts_query(selection, 0, limit=None).with_only_columns(posts.c.id).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def iter_batches(session: Session, selection: Selection,
                 batch: int | None = None) -> Iterator[RecordBatch]:
    """The selected posts in id order, ``batch`` (default :data:`BATCH`) posts per round
    trip, each batch with its kin already fetched (one query per kind, never one per post)."""
    batch = BATCH if batch is None else batch
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    # SQLite timestamps arrive already formatted by SQL (see _sqlite_iso).
    iso = None if sqlite else _datetime_iso
    sites = {i: (url, name) for i, url, name in conn.execute(select(Site.id, Site.url, Site.name)).all()}
    after = 0
    while True:
        rows = conn.execute(posts_query(selection, after, batch, sqlite=sqlite)).all()
        if not rows:
            return
        yield RecordBatch(conn, rows, sites, iso, selection.with_comments, selection.with_images)
        after = rows[-1][0]


def iter_records(session: Session, selection: Selection, batch: int | None = None) -> Iterator[dict[str, Any]]:
    """Export records in id order; timestamps as ISO 8601 text in UTC, so a record is
    exactly what a JSONL line holds."""
    for records in iter_batches(session, selection, batch):
        yield from records.records()


def _sorted_split(joined: str | None) -> list[str]:
    return sorted(joined.split(UNIT)) if joined else []


class RecordBatch:
    """One batch of posts and the kin that needs its own query (story members, relations,
    comments), as records (dicts, for row writers) or as columns (for Parquet)."""

    def __init__(self, conn: Connection, rows: Sequence[Any], sites: dict[int, tuple[str, str]],
                 iso: ToIso | None, with_comments: bool, with_images: bool = False) -> None:
        self.rows, self.sites, self.iso = rows, sites, iso
        ids = [r[0] for r in rows]
        self.members = _members(conn, sorted({r[11] for r in rows if r[11]}))
        self.related = _related(conn, ids)
        self.comments = _comments(conn, ids, iso or _as_is) if with_comments else None
        self.images = _images(conn, ids) if with_images else None

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def comment_count(self) -> int:
        return sum(map(len, self.comments.values())) if self.comments is not None else 0

    def _copies(self, pid: int, cluster: int | None) -> tuple[list[str], list[str]]:
        """(duplicate_urls, duplicate_sites) of a post: its story's other members."""
        if not cluster:
            return [], []
        others = [m for m in self.members.get(cluster, ()) if m[0] != pid]
        return [m[1] for m in others], sorted({self.sites[m[2]][0] for m in others})

    def records(self) -> Iterator[dict[str, Any]]:
        # One loop with locals rather than a call per field: this runs for every post. A
        # generator, so each record dies young: a batch of live dicts costs more in
        # garbage collection than it saves.
        sites, related, comments, iso = self.sites, self.related, self.comments, self.iso
        for (pid, url, site_id, kind, title, author, published, modified, text, words,
             language, cluster, first_seen, last_seen, status, sha256, categories, tags,
             urls) in self.rows:
            if iso is not None:
                published, modified = iso(published), iso(modified)
                first_seen, last_seen = iso(first_seen), iso(last_seen)
            site_url, site_name = sites[site_id]
            duplicate_urls, duplicate_sites = self._copies(pid, cluster)
            record = {
                "id": pid, "url": url, "site": site_url, "site_name": site_name, "kind": kind,
                "title": title, "author": author, "published": published, "modified": modified,
                "categories": sorted(categories.split(UNIT)) if categories else [],
                "tags": sorted(tags.split(UNIT)) if tags else [],
                "text": text, "word_count": words, "language": language, "cluster": cluster,
                "duplicate_urls": duplicate_urls, "duplicate_sites": duplicate_sites,
                "related": related.get(pid, []),
                "aliases": [u for u in sorted(urls.split(UNIT)) if u != url] if urls else [],
                "first_seen": first_seen, "last_seen": last_seen, "status": status,
                "sha256": sha256,
            }
            if comments is not None:
                record[COMMENT_FIELD] = comments.get(pid, [])
            if self.images is not None:
                record[IMAGES_FIELD] = self.images.get(pid, [])
            yield record

    def columns(self) -> dict[str, Sequence[Any]]:
        """The records' fields as columns (same values as :meth:`records`), built column by
        column so no per-record dict is made."""
        (ids, urls, site_ids, kinds, titles, authors, published, modified, texts, words,
         languages, clusters, first_seen, last_seen, statuses, hashes, categories, tags,
         aliases) = zip(*self.rows)
        iso = self.iso
        stamps = [published, modified, first_seen, last_seen]
        if iso is not None:
            stamps = [[iso(value) for value in column] for column in stamps]
        copies = [self._copies(pid, cluster) for pid, cluster in zip(ids, clusters)]
        sites = [self.sites[site_id] for site_id in site_ids]
        columns: dict[str, Sequence[Any]] = {
            "id": ids, "url": urls, "site": [s[0] for s in sites],
            "site_name": [s[1] for s in sites], "kind": kinds, "title": titles,
            "author": authors, "published": stamps[0], "modified": stamps[1],
            "categories": [_sorted_split(v) for v in categories],
            "tags": [_sorted_split(v) for v in tags], "text": texts, "word_count": words,
            "language": languages, "cluster": clusters,
            "duplicate_urls": [c[0] for c in copies], "duplicate_sites": [c[1] for c in copies],
            "related": [self.related.get(pid, []) for pid in ids],
            "aliases": [[u for u in _sorted_split(joined) if u != url]
                        for joined, url in zip(aliases, urls)],
            "first_seen": stamps[2], "last_seen": stamps[3], "status": statuses,
            "sha256": hashes,
        }
        if self.comments is not None:
            columns[COMMENT_FIELD] = [self.comments.get(pid, []) for pid in ids]
        if self.images is not None:
            columns[IMAGES_FIELD] = [self.images.get(pid, []) for pid in ids]
        return columns


def _members(conn: Connection, cluster_ids: list[int]) -> dict[int, list[tuple[int, str, int]]]:
    """(id, url, site_id) of every member of each cluster, whatever the filters: copies of
    a story exist even where an export does not look."""
    found: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    if not cluster_ids:
        return found
    rows = conn.execute(select(posts.c.cluster_id, posts.c.id, posts.c.canonical_url, posts.c.site_id)
                        .where(posts.c.cluster_id.in_(cluster_ids)).order_by(posts.c.id)).all()
    for cluster_id, post_id, url, site_id in rows:
        found[cluster_id].append((post_id, url, site_id))
    return found


def _related(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    other = posts.alias("other")
    for mine, theirs, relation in ((Relation.post_id, Relation.source_id, "reuses"),
                                   (Relation.source_id, Relation.post_id, "reused_by")):
        rows = conn.execute(select(mine, theirs, other.c.canonical_url, Relation.shared_fraction)
                            .join(other, other.c.id == theirs).where(_ids_in(mine, ids))
                            .order_by(Relation.id)).all()
        for post_id, other_id, url, fraction in rows:
            found[post_id].append({"id": other_id, "url": url, "relation": relation,
                                   "shared_fraction": fraction})
    return found


def _comments(conn: Connection, ids: list[int], iso: ToIso) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    c = comments.c
    undated_last = case((c.published.is_(None), 1), else_=0)
    published = _sqlite_iso(c.published) if conn.dialect.name == "sqlite" else c.published
    rows = conn.execute(select(c.post_id, c.id, c.parent_id, c.author, published, c.text)
                        .where(_ids_in(c.post_id, ids))
                        .order_by(c.post_id, undated_last, c.published, c.id)).all()
    for post_id, cid, parent, author, published, text in rows:
        found[post_id].append({"id": cid, "parent_id": parent, "author": author,
                               "published": iso(published), "text": text})
    return found


def _images(conn: Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The images of each post, in the post's order: stored (with the sha256 of the bytes,
    which the WARC export holds) or skipped with the reason."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    r = PostRequisite.__table__.c
    rows = conn.execute(select(r.post_id, r.url, r.status, r.reason, Capture.sha256)
                        .outerjoin(Capture, Capture.id == r.capture_id)
                        .where(_ids_in(r.post_id, ids), r.kind == "image")
                        .order_by(r.post_id, r.position, r.id)).all()
    for post_id, url, status, reason, sha256 in rows:
        found[post_id].append({"url": url, "status": status, "reason": reason,
                               "sha256": sha256 if status == "stored" else None})
    return found

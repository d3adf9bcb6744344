"""Fill an archive with synthetic, deterministic posts fast (tests and benchmarks).

Bulk ``executemany`` inserts with ids assigned here, text from a seeded Zipf-like word
generator. Besides posts it writes sites, terms, versions, aliases, threaded comments,
duplicate-story clusters, text-reuse relations, crawl runs and captures (some with
identical bodies, so WARC exports have revisits to write).
"""

from __future__ import annotations

import hashlib
from operator import itemgetter
import random
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, insert, select, text

from crawler.items import Comment as ItemComment
from crawler.items import Post as ItemPost
from storage.db import Archive, open_archive
from storage.models import (
    Capture, Cluster, Comment, CrawlRun, Post, PostUrl, PostVersion, Relation, Site, Term,
    post_terms,
)
from storage.repo import content_hash
from tests.support.postgres import pg_schema

EPOCH = datetime(2015, 1, 1, tzinfo=timezone.utc)
SPAN_SECONDS = 10 * 365 * 86400  # posts are spread over 2015-2024 whatever their number
SEEN = datetime(2025, 6, 1, tzinfo=timezone.utc)
CIVIC_WORDS = ("council budget planning parish library housing transport school park "
               "election meeting residents consultation bridge flood recycling").split()
AUTHORS = [f"{first} {last}" for first in ("Ann", "Bob", "Chloe", "Dev", "Edith", "Farid", "Gita")
           for last in ("Hale", "Iqbal", "Jones", "Khan", "Lopez", "Moss", "Novak")]
Row = dict[str, Any]


@dataclass
class BuildSpec:
    """How big and how tangled the synthetic archive is (every N-th post gets a trait)."""

    posts: int = 1000
    sites: int = 5
    words: int = 200
    seed: int = 7
    cluster_every: int = 20     # post i+1 copies post i onto another site (a 2-post story)
    related_every: int = 50     # post i+2 reuses two paragraphs of post i
    edited_every: int = 10      # a second version
    comments_every: int = 5     # two comments, the second replying to the first
    gone_every: int = 40
    page_every: int = 100
    captures: int = 200         # captures of the first posts; every 10th fetched twice
    html: bool = True
    batch: int = 5000
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Ids:
    """First free ids, so an archive that already holds rows can be extended."""

    post: int
    comment: int
    cluster: int


class Words:
    """A seeded vocabulary of pronounceable words drawn with Zipf-like frequencies."""

    def __init__(self, seed: int, size: int = 8000) -> None:
        rng = random.Random(seed)
        syllables = [c + v for c in "bcdfghklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
        made = {"".join(rng.choices(syllables, k=rng.randint(1, 4))) for _ in range(size * 2)}
        self.vocab = CIVIC_WORDS + sorted(made - set(CIVIC_WORDS))[: size - len(CIVIC_WORDS)]
        rng.shuffle(self.vocab)
        weights = 1.0 / np.arange(1, len(self.vocab) + 1) ** 1.05
        self.p = weights / weights.sum()
        self.rng = np.random.default_rng(seed)

    def draw(self, rows: int, per_row: int) -> list[list[str]]:
        picks = self.rng.choice(len(self.vocab), size=(rows, per_row), p=self.p)
        vocab = self.vocab
        return [[vocab[i] for i in row] for row in picks.tolist()]


def _paragraphs(words: list[str], size: int = 50) -> list[str]:
    return [" ".join(words[i:i + size]).capitalize() + "." for i in range(0, len(words), size)]


def _insert(conn: Connection, model: Any, rows: list[Row]) -> None:
    """``executemany`` through the DBAPI on SQLite (the column types still convert the
    values), SQLAlchemy's batched ``insertmanyvalues`` elsewhere."""
    table = getattr(model, "__table__", model)
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    names = list(rows[0])
    take = itemgetter(*names)
    convert = [(i, c) for i, c in enumerate(
        table.c[n].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for n in names) if c]
    sql = (f"INSERT INTO {table.name} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    values = []
    for row in rows:
        value = list(take(row)) if len(names) > 1 else [take(row)]
        for i, c in convert:
            value[i] = c(value[i])
        values.append(tuple(value))
    conn.exec_driver_sql(sql, values)


def _next_id(conn: Connection, model: Any) -> int:
    return (conn.scalar(select(func.max(model.id))) or 0) + 1


def build_archive(archive: Archive, spec: BuildSpec | None = None,
                  progress: Callable[[int], None] | None = None) -> BuildSpec:
    """Add ``spec.posts`` synthetic posts (plus their kin) to ``archive``; returns the spec
    with ``counts`` filled in. Commits batch by batch."""
    spec = spec or BuildSpec()
    words = Words(spec.seed)
    with archive.engine.begin() as conn:
        site_ids = _add_sites(conn, spec)
        term_ids = _add_terms(conn, site_ids)
        ids = _Ids(_next_id(conn, Post), _next_id(conn, Comment), _next_id(conn, Cluster))
    with _DeferredSqliteIndex(archive):
        for start in range(0, spec.posts, spec.batch):
            rows = min(spec.batch, spec.posts - start)
            with archive.engine.begin() as conn:
                _add_batch(conn, spec, words, site_ids, term_ids, ids, start, rows)
            if progress:
                progress(start + rows)
    with archive.engine.begin() as conn:
        _add_captures(conn, spec, site_ids, ids.post)
        _sync_sequences(conn)
    return spec


def _add_sites(conn: Connection, spec: BuildSpec) -> list[int]:
    first = _next_id(conn, Site)
    ids = list(range(first, first + spec.sites))
    conn.execute(insert(Site), [
        {"id": i, "url": f"https://site{i}.example/", "name": f"site{i}", "platform": "wordpress",
         "aliases": [], "settings": {}, "added_at": EPOCH} for i in ids])
    conn.execute(insert(CrawlRun), [
        {"site_id": i, "started_at": SEEN, "finished_at": SEEN + timedelta(minutes=5),
         "status": "finished", "stats": {"pages": spec.posts // spec.sites}} for i in ids])
    _count(spec, "sites", len(ids))
    return ids


def _add_terms(conn: Connection, site_ids: list[int]) -> dict[int, list[int]]:
    rows = [{"site_id": s, "taxonomy": tax, "name": f"{tax}-{n}"}
            for s in site_ids for tax, size in (("category", 6), ("tag", 20)) for n in range(size)]
    conn.execute(insert(Term), rows)
    found = conn.execute(select(Term.site_id, Term.id).where(Term.site_id.in_(site_ids))
                         .order_by(Term.id))
    by_site: dict[int, list[int]] = {s: [] for s in site_ids}
    for site_id, term_id in found:
        by_site[site_id].append(term_id)
    return by_site


def _count(spec: BuildSpec, name: str, n: int) -> None:
    spec.counts[name] = spec.counts.get(name, 0) + n


def _add_batch(conn: Connection, spec: BuildSpec, words: Words, site_ids: list[int],
               term_ids: dict[int, list[int]], ids: _Ids, start: int, rows: int) -> None:
    bodies = words.draw(rows, spec.words)
    titles = words.draw(rows, 6)
    posts: list[Row] = []
    clusters: list[Row] = []
    for offset in range(rows):
        index = start + offset
        post = _post_row(spec, site_ids, ids.post + index, index, titles[offset], bodies[offset])
        if index % spec.cluster_every == 1 and offset > 0:
            _copy_story(post, posts[-1], site_ids, clusters, ids.cluster + index)
        if index % spec.related_every == 2 and offset > 1:
            source = posts[-2]["text"].split("\n\n")
            post["text"] = "\n\n".join(source[:2] + post["text"].split("\n\n")[2:])
        post["content_hash"] = content_hash(post["title"], post["text"])
        post["word_count"] = len(post["text"].split())
        paragraphs = post["text"].split("\n\n")
        post["html"] = "".join(f"<p>{p}</p>" for p in paragraphs) if spec.html else ""
        posts.append(post)
    if clusters:
        _insert(conn, Cluster, clusters)
    _insert(conn, Post, posts)
    _add_kin(conn, spec, posts, term_ids, ids)


def _post_row(spec: BuildSpec, site_ids: list[int], post_id: int, index: int,
              title: list[str], body: list[str]) -> Row:
    site_id = site_ids[index % len(site_ids)]
    published = EPOCH + timedelta(seconds=index * SPAN_SECONDS // max(spec.posts, 1))
    gone = index % spec.gone_every == spec.gone_every - 1
    author = AUTHORS[index % len(AUTHORS)]
    return {
        "id": post_id, "site_id": site_id, "canonical_url": f"https://site{site_id}.example/{post_id}/",
        "platform_id": str(post_id),
        "kind": "page" if index % spec.page_every == spec.page_every - 3 else "post",
        "title": " ".join(title).capitalize(), "author": author, "authors": [author],
        "published": published, "modified": published + timedelta(days=1), "language": "en",
        "text": "\n\n".join(_paragraphs(body)), "links": [], "images": [],
        "status": "gone" if gone else "live", "gone_at": SEEN if gone else None,
        "first_seen": published + timedelta(hours=2), "last_seen": SEEN,
        "cluster_id": None, "cluster_similarity": None, "cluster_method": None,
    }


def _copy_story(post: Row, original: Row, site_ids: list[int], clusters: list[Row],
                cluster_id: int) -> None:
    """Make ``post`` a later copy of ``original`` on another site, forming a cluster."""
    others = [s for s in site_ids if s != original["site_id"]] or site_ids
    post["site_id"] = others[original["id"] % len(others)]
    post["canonical_url"] = f"https://site{post['site_id']}.example/{post['id']}/"
    post["title"], post["text"] = original["title"], original["text"] + "\n\nUpdate: shared here."
    post["published"] = original["published"] + timedelta(hours=3)
    clusters.append({"id": cluster_id, "canonical_post_id": original["id"], "updated_at": SEEN})
    for member, similarity in ((original, 1.0), (post, 0.93)):
        member.update(cluster_id=cluster_id, cluster_similarity=similarity, cluster_method="minhash")


def _add_kin(conn: Connection, spec: BuildSpec, posts: list[Row],
             term_ids: dict[int, list[int]], ids: _Ids) -> None:
    urls, links, versions, comments, relations = [], [], [], [], []
    for post in posts:
        pid, index = post["id"], post["id"] - ids.post
        home = f"https://site{post['site_id']}.example/"
        urls += [{"post_id": pid, "url": post["canonical_url"], "found_via": "canonical,sitemap",
                  "first_seen": post["first_seen"]},
                 {"post_id": pid, "url": f"{home}?p={pid}", "found_via": "shortlink",
                  "first_seen": post["first_seen"]}]
        terms = term_ids[post["site_id"]]
        links += [{"post_id": pid, "term_id": terms[t]}
                  for t in (index % 6, 6 + index % 20, 6 + (index + 7) % 20)]
        versions += _versions(spec, post, index)
        comments += _comments(spec, post, index, ids.comment + 2 * index)
        if index % spec.related_every == 2 and pid - 2 >= posts[0]["id"]:
            relations.append({"post_id": pid, "source_id": pid - 2, "shared_fraction": 0.5,
                              "method": "paragraphs", "found_at": SEEN})
    for name, model, rows in (("urls", PostUrl, urls), ("terms", post_terms, links),
                              ("versions", PostVersion, versions), ("comments", Comment, comments),
                              ("relations", Relation, relations)):
        if rows:
            _insert(conn, model, rows)
            _count(spec, name, len(rows))
    _count(spec, "posts", len(posts))


def _versions(spec: BuildSpec, post: Row, index: int) -> list[Row]:
    current = {"post_id": post["id"], "title": post["title"], "text": post["text"], "html": "",
               "content_hash": post["content_hash"], "modified": post["modified"],
               "seen_at": post["first_seen"]}
    if index % spec.edited_every != spec.edited_every - 1:
        return [{**current, "number": 1}]
    draft = post["text"].split("\n\n")[0] + "\n\nDraft paragraph, later rewritten."
    return [{**current, "number": 1, "text": draft,
             "content_hash": content_hash(post["title"], draft)},
            {**current, "number": 2, "seen_at": SEEN}]


def _comments(spec: BuildSpec, post: Row, index: int, first_id: int) -> list[Row]:
    if index % spec.comments_every != 0:
        return []
    when = post["published"] + timedelta(hours=5)
    return [
        {"id": first_id, "post_id": post["id"], "platform_id": "c1", "parent_id": None,
         "author": "Resident", "published": when, "text": "Thank you, the council should listen."},
        {"id": first_id + 1, "post_id": post["id"], "platform_id": "c2", "parent_id": first_id,
         "author": AUTHORS[index % len(AUTHORS)], "published": when + timedelta(hours=1),
         "text": "Agreed: write to your parish councillor."},
    ]


def _capture_rows(spec: BuildSpec, site_ids: list[int], first_post: int) -> Iterator[Row]:
    for offset in range(min(spec.captures, spec.posts)):
        post_id = first_post + offset
        site_id = site_ids[offset % len(site_ids)]
        url = f"https://site{site_id}.example/{post_id}/"
        body = (f"<html><head><title>Post {post_id}</title></head><body><p>Body of post "
                f"{post_id}.</p></body></html>").encode()
        row = {"run_id": None, "site_id": site_id, "url": url, "final_url": url, "status": 200,
               "headers": {"Content-Type": "text/html; charset=utf-8", "Server": "nginx"},
               "fetched_at": SEEN + timedelta(seconds=offset), "body": zlib.compress(body),
               "size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        yield row
        if offset % 10 == 0:  # fetched again a day later, unchanged: a WARC revisit
            yield {**row, "fetched_at": row["fetched_at"] + timedelta(days=1)}


def _add_captures(conn: Connection, spec: BuildSpec, site_ids: list[int], first_post: int) -> None:
    rows = list(_capture_rows(spec, site_ids, first_post))
    if rows:
        _insert(conn, Capture, rows)
    _count(spec, "captures", len(rows))


class _DeferredSqliteIndex:
    """On SQLite, drop the FTS triggers during the load and rebuild the index in one pass
    afterwards (several times faster than row-by-row triggers)."""

    def __init__(self, archive: Archive) -> None:
        self.engine = archive.engine
        self.triggers: list[tuple[str, str]] = []

    def __enter__(self) -> None:
        if self.engine.dialect.name != "sqlite":
            return
        with self.engine.begin() as conn:
            self.triggers = [tuple(r) for r in conn.execute(text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE '%\\_fts\\_%' ESCAPE '\\'"))]
            for name, _sql in self.triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')

    def __exit__(self, *exc: object) -> None:
        if not self.triggers:
            return
        with self.engine.begin() as conn:
            for table in ("posts_fts", "comments_fts"):
                conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            for _name, sql in self.triggers:
                conn.exec_driver_sql(sql)


def _sync_sequences(conn: Connection) -> None:
    """PostgreSQL: move id sequences past the ids assigned here."""
    if conn.dialect.name != "postgresql":
        return
    for table in ("sites", "posts", "clusters", "comments", "post_urls", "post_versions",
                  "relations", "captures", "terms", "crawl_runs"):
        conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                          f"(SELECT coalesce(max(id), 1) FROM {table}))"))


# --- a small hand-written archive, for tests that need to know every word -----------------

# Posts as the page objects hand them to storage; the sample ones are in English.
SamplePost = partial(ItemPost, language="en")


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


SAMPLE_POSTS: dict[str, tuple[str, ItemPost]] = {
    "library": ("harrow", SamplePost(
        "https://harrow.example/library-hours/", "Library opening hours extended",
        "The council agreed to keep the library open on Sundays.\n\n"
        "Residents welcomed the budget decision at the meeting.",
        html="<p>The council agreed to keep the <b>library</b> open on Sundays.</p>",
        authors=["Ann Hale"], published=day("2023-03-01T10:00"), categories=["Services"],
        tags=["library", "sundays"], platform_id="11",
        comments=[ItemComment("Great news for the library!", "Dev", day("2023-03-01T12:00"), "c1"),
                  ItemComment("Sundays at last.", "Edith", day("2023-03-01T13:00"), "c2", "c1")])),
    "budget": ("harrow", SamplePost(
        "https://harrow.example/budget-notes/", "Budget meeting notes",
        "Notes from the meeting: the library was mentioned once.\n\nParking charges rise in May.",
        authors=["Bob Jones"], published=day("2022-06-10T09:00"), categories=["Council"],
        tags=["budget"], platform_id="12")),
    "copy": ("pinner", SamplePost(
        "https://pinner.example/2023/03/library-hours/", "Library opening hours extended",
        "The council agreed to keep the library open on Sundays.\n\n"
        "Residents welcomed the budget decision at the meeting.\n\nUpdate: shared from Harrow.",
        authors=["Chloe Khan"], published=day("2023-03-02T08:00"), categories=["News"],
        tags=["library"], platform_id="21")),
    "flood": ("pinner", SamplePost(
        "https://pinner.example/2021/11/flood/", "Flood defences on the river bridge",
        "The bridge flood defences were tested.\n\nCouncillors inspected the river banks.",
        authors=["Chloe Khan"], published=day("2021-11-05T15:00"), categories=["News"],
        tags=["flood", "river"], platform_id="22")),
    "recycling": ("pinner", SamplePost(
        "https://pinner.example/2024/01/recycling/", "Recycling collection changes",
        "Recycling collections move to Tuesdays; the council budget is tight.\n\n"
        "Notes from the meeting: the library was mentioned once.\n\n"
        "Café owners asked about glass.",
        authors=["Dev Patel"], published=day("2024-01-15T07:30"), categories=["Council"],
        tags=["recycling"], platform_id="23")),
    "allotment-title": ("harrow", SamplePost(
        "https://harrow.example/allotments/", "Allotment waiting list",
        "Plots by the railway are oversubscribed; apply early next spring to get one.",
        authors=["Ann Hale"], published=day("2020-04-01T10:00"), platform_id="13")),
    "allotment-body": ("harrow", SamplePost(
        "https://harrow.example/spring-fair/", "Spring fair report",
        "Stalls, a brass band and an allotment society stand drew crowds to the green.",
        authors=["Ann Hale"], published=day("2020-05-01T10:00"), platform_id="14")),
    "about": ("harrow", SamplePost(
        "https://harrow.example/about/", "About us",
        "We are residents who write about the library and the council.", platform_id="15")),
}


def add_sample_archive(session: Any) -> dict[str, int]:
    """Two sites and the posts above: a duplicate story (library/copy, canonical library),
    text reuse (recycling reuses budget), a gone post (flood), a page (about), comments
    and an edit (library has two versions). Returns post ids by name. Does not commit."""
    from storage import repo

    sites = {"harrow": repo.add_site(session, "https://harrow.example/", "harrow"),
             "pinner": repo.add_site(session, "https://pinner.example/", "pinner")}
    ids = {}
    for name, (site, data) in SAMPLE_POSTS.items():
        kind = "page" if name == "about" else "post"
        post = repo.upsert_post(session, sites[site], data, kind=kind, seen_at=day("2024-06-01")).post
        session.flush()
        ids[name] = post.id
    _tangle_samples(session, ids)
    return ids


def _tangle_samples(session: Any, ids: dict[str, int]) -> None:
    from storage import repo

    cluster = Cluster(canonical_post_id=ids["library"])
    session.add(cluster)
    session.flush()
    for name, similarity in (("library", 1.0), ("copy", 0.91)):
        post = session.get(Post, ids[name])
        post.cluster_id, post.cluster_similarity, post.cluster_method = cluster.id, similarity, "minhash"
    session.add(Relation(post_id=ids["recycling"], source_id=ids["budget"], shared_fraction=0.4,
                         method="paragraphs"))
    repo.mark_gone(session, session.get(Post, ids["flood"]), day("2024-05-01"))
    site = session.get(Post, ids["library"]).site
    edited = SamplePost(**{**SAMPLE_POSTS["library"][1].__dict__,
                           "text": SAMPLE_POSTS["library"][1].text + "\n\nOpening starts in April."})
    repo.upsert_post(session, site, edited, seen_at=day("2024-06-02"))
    session.flush()


@contextmanager
def scratch_archive(backend: str, folder: Path, pg_url: str) -> Iterator[Archive]:
    """A fresh archive that outlives one test (for module-scoped, read-only fixtures):
    an SQLite file in ``folder`` or a PostgreSQL schema dropped afterwards."""
    with ExitStack() as stack:
        url = (f"sqlite:///{folder / 'archive.db'}" if backend == "sqlite"
               else stack.enter_context(pg_schema(pg_url)))
        archive = open_archive(url)
        try:
            yield archive
        finally:
            archive.dispose()

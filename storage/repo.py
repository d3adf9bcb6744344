"""The storage API: functions that take the caller's session and never commit.

Callers own the unit of work (``with archive.Session.begin() as session: …``), so a post,
its aliases, comments and version land together or not at all.
"""

from __future__ import annotations

import hashlib
import uuid
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from storage.db import ArchiveError
from storage.models import (
    Capture, Cluster, Comment, CrawlRun, Meta, Post, PostRequisite, PostUrl, PostVersion, Relation,
    Site, Term, utcnow,
)
from storage.post_identity import Identity, claimed_only, plain_same_text, same_post
from storage.urls import normalize_url, site_root


class CommentData(Protocol):
    text: str
    author: str | None
    published: datetime | None
    platform_id: str | None
    parent_id: str | None


class PostData(Protocol):
    """What the archive reads from an extracted post (``crawler.items.Post`` fits)."""

    url: str
    canonical_url: str | None
    title: str
    text: str
    html: str
    authors: Sequence[str]
    published: datetime | None
    modified: datetime | None
    categories: Sequence[str]
    tags: Sequence[str]
    comments: Sequence[CommentData]
    platform_id: str | None
    language: str | None
    links: Sequence[str]
    images: Sequence[str]


# --- archive identity -------------------------------------------------------------------

def get_meta(session: Session, key: str) -> str | None:
    row = session.get(Meta, key)
    return row.value if row else None


def set_meta(session: Session, key: str, value: str) -> None:
    row = session.get(Meta, key)
    if row is None:
        session.add(Meta(key=key, value=value))
    else:
        row.value = value


def archive_id(session: Session) -> str:
    """A random identity given to the archive on first use (exports and manifests cite it)."""
    value = get_meta(session, "archive_id")
    if value is None:
        value = str(uuid.uuid4())
        set_meta(session, "archive_id", value)
    return value


# --- sites ------------------------------------------------------------------------------

def add_site(session: Session, url: str, name: str | None = None, *,
             aliases: Iterable[str] = (), settings: Mapping[str, Any] | None = None) -> Site:
    """Register a blog. :raises ArchiveError: if the URL is not http(s) or already known."""
    try:
        root = site_root(url)
    except ValueError as exc:
        raise ArchiveError(str(exc)) from None
    if session.scalar(select(Site).where(Site.url == root)):
        raise ArchiveError(f"site already in the archive: {root}")
    site = Site(url=root, name=name or root.split("//", 1)[1].rstrip("/"),
                name_source="user" if name else "address",
                aliases=sorted(set(aliases)), settings=dict(settings or {}))
    session.add(site)
    session.flush()
    return site


def set_site_identity(session: Session, site: Site, name: str | None,
                      description: str | None) -> None:
    """Name and describe ``site`` as the blog states it; a name the user gave is kept."""
    if name and site.name_source != "user":
        site.name, site.name_source = name, "blog"
    if description:
        site.description = description


def find_site(session: Session, ref: str) -> Site | None:
    """A site by id, registered URL or name."""
    if ref.isdigit():
        return session.get(Site, int(ref))
    try:
        root = site_root(ref)
    except ValueError:
        root = None
    return session.scalar(select(Site).where((Site.url == root) | (Site.name == ref)))


def get_or_add_site(session: Session, url: str) -> Site:
    return find_site(session, url) or add_site(session, url)


def list_sites(session: Session) -> list[Site]:
    return list(session.scalars(select(Site).order_by(Site.id)))


def remove_site(session: Session, site: Site) -> None:
    """Delete a site and everything archived from it."""
    session.delete(site)
    session.flush()


# --- runs and captures ------------------------------------------------------------------

def start_run(session: Session, site: Site | None) -> CrawlRun:
    run = CrawlRun(site_id=site.id if site else None, status="running", stats={})
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run: CrawlRun, status: str, stats: Mapping[str, Any]) -> None:
    run.status = status
    run.stats = dict(stats)
    run.finished_at = utcnow()


def last_run_id(session: Session) -> int:
    """The newest run's ID (0 in an archive that was never crawled)."""
    return session.scalar(select(func.max(CrawlRun.id))) or 0


def runs_after(session: Session, run_id: int) -> list[CrawlRun]:
    """The runs recorded after run ``run_id``, oldest first."""
    return list(session.scalars(select(CrawlRun).where(CrawlRun.id > run_id).order_by(CrawlRun.id)))


def latest_runs(session: Session, count: int) -> list[CrawlRun]:
    """The ``count`` newest runs, newest first."""
    return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(count)))


def record_capture(session: Session, *, url: str, status: int, body: bytes,
                   headers: Mapping[str, Any], final_url: str | None = None,
                   site_id: int | None = None, run_id: int | None = None,
                   fetched_at: datetime | None = None) -> Capture:
    """Store one response as received: body zlib-compressed, sha256 of the raw bytes."""
    capture = Capture(
        url=url, final_url=final_url or url, status=status, headers=dict(headers),
        body=zlib.compress(body, 6), size=len(body), sha256=hashlib.sha256(body).hexdigest(),
        site_id=site_id, run_id=run_id, fetched_at=fetched_at or utcnow(),
    )
    session.add(capture)
    return capture


def capture_body(capture: Capture) -> bytes:
    """The capture's raw bytes (for a requisite stored once per digest, the holder's)."""
    body = zlib.decompress(capture.body)
    session = object_session(capture)
    if body or not capture.size or session is None:
        return body
    return held_body(session, capture.sha256, capture.size) or body


_EMPTY_BODY = len(zlib.compress(b"", 6))


def held_body(session: Session, sha256: str, size: int) -> bytes | None:
    """The bytes with this digest from the capture that holds them, if any does."""
    held = session.scalar(select(Capture.body).where(
        Capture.sha256 == sha256, Capture.size == size,
        func.length(Capture.body) > _EMPTY_BODY).order_by(Capture.id).limit(1))
    return zlib.decompress(held) if held is not None else None


def record_requisite_capture(session: Session, **fields: Any) -> Capture:
    """:func:`record_capture` for a page requisite: bytes another capture already holds
    (the same stylesheet under a new ``?ver=``, one image under two names) are not stored
    again; the new capture keeps the real size and sha256 with an empty body."""
    body: bytes = fields["body"]
    digest = hashlib.sha256(body).hexdigest()
    held = body and session.scalar(select(Capture.id).where(
        Capture.sha256 == digest, Capture.size == len(body)).limit(1))
    capture = record_capture(session, **{**fields, "body": b"" if held else body})
    capture.size, capture.sha256 = len(body), digest
    return capture


def set_post_requisites(session: Session, post: Post, rows: Iterable[Mapping[str, Any]]) -> int:
    """Record what became of each of a post's requisites (one row per post and URL, updated
    when seen again). Returns how many rows were written."""
    existing = {r.url: r for r in session.scalars(
        select(PostRequisite).where(PostRequisite.post_id == post.id))}
    written = 0
    for row in rows:
        found = existing.get(row["url"])
        if found is None:
            found = existing[row["url"]] = PostRequisite(post_id=post.id, url=row["url"])
            session.add(found)
        elif found.status == "stored" and row["status"] != "stored":
            continue  # a later crawl that skipped it (budget spent) keeps the stored copy
        found.kind, found.position = row["kind"], row.get("position", 0)
        found.status, found.reason = row["status"], row.get("reason")
        found.capture_id, found.seen_at = row.get("capture_id"), utcnow()
        written += 1
    return written


def stored_requisites(session: Session, site_id: int) -> dict[str, int]:
    """URL → capture id of every requisite already stored for the site's posts."""
    rows = session.execute(
        select(PostRequisite.url, PostRequisite.capture_id).join(Post, Post.id == PostRequisite.post_id)
        .where(Post.site_id == site_id, PostRequisite.status == "stored",
               PostRequisite.capture_id.is_not(None)))
    return {url: capture_id for url, capture_id in rows}


# --- posts ------------------------------------------------------------------------------

@dataclass
class UpsertResult:
    post: Post
    outcome: str  # new | changed | unchanged


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n\n{text}".encode()).hexdigest()


def find_post(session: Session, site_id: int, *, platform_id: str | None = None,
              urls: Iterable[str] = ()) -> Post | None:
    """The post with this platform ID on the site, else the one any of ``urls`` points to."""
    if platform_id:
        post = session.scalar(select(Post).where(
            Post.site_id == site_id, Post.platform_id == platform_id))
        if post is not None:
            return post
    keys = {normalize_url(u) for u in urls if u}
    if not keys:
        return None
    return session.scalar(
        select(Post).join(PostUrl).where(Post.site_id == site_id, PostUrl.url.in_(keys)).limit(1)
    )


def add_aliases(session: Session, post: Post, urls: Iterable[tuple[str, str]]) -> None:
    """Record ``(url, route)`` pairs as addresses of ``post``; known ones gain the route.

    An address already recorded for another post stays with that post: aliases never move
    a URL between posts.
    """
    wanted: dict[str, set[str]] = {}
    for url, route in urls:
        wanted.setdefault(normalize_url(url), set()).add(route)
    existing = {a.url: a for a in session.scalars(select(PostUrl).where(PostUrl.url.in_(wanted)))}
    for key, routes in wanted.items():
        alias = existing.get(key)
        if alias is None:
            session.add(PostUrl(post=post, url=key, found_via=",".join(sorted(routes))))
        elif alias.post_id == post.id or alias.post is post:
            known = set(filter(None, alias.found_via.split(",")))
            if not routes <= known:
                alias.found_via = ",".join(sorted(known | routes))


def upsert_post(session: Session, site: Site, data: PostData, *, found_via: str = "page",
                aliases: Iterable[tuple[str, str]] = (), kind: str = "post",
                seen_at: datetime | None = None,
                same_text: Callable[[str, str], bool] = plain_same_text) -> UpsertResult:
    """Insert or update one post with its aliases, terms and comments.

    An edited title or body becomes a new :class:`PostVersion`; the post itself is never
    duplicated: it is found by platform ID, then by any of its known addresses.
    ``same_text`` tells whether a page reached through a canonical link shows the same body
    (:func:`storage.post_identity.same_post`).
    """
    seen_at = seen_at or utcnow()
    canonical = _own_canonical(data)
    # One flush for the whole post instead of one before every lookup: the lookups below
    # only read rows this call has not touched yet.
    with session.no_autoflush:
        post = find_post(session, site.id, platform_id=data.platform_id, urls=[canonical, data.url])
        if post is not None and not _shows(session, post, data, same_text):
            # A page never overwrites a different post: it is a post of its own.
            post, canonical = None, normalize_url(data.url)
        digest = content_hash(data.title, data.text)
        if post is None:
            post = Post(site=site, site_id=site.id, canonical_url=canonical, kind=kind,
                        first_seen=seen_at, content_hash=digest)
            session.add(post)
            outcome = "new"
        elif post.content_hash != digest:
            outcome = "changed"
        else:
            outcome = "unchanged"
        _apply_fields(post, data, digest, seen_at)
        if outcome != "unchanged":
            _add_version(session, post, data, digest, seen_at, first=outcome == "new")
        _set_terms(session, post, data)
        add_aliases(session, post, [(canonical, "canonical"), (data.url, found_via), *aliases])
        add_comments(session, post, data.comments)
    session.flush()
    return UpsertResult(post=post, outcome=outcome)


def _shows(session: Session, post: Post, data: PostData,
           same_text: Callable[[str, str], bool]) -> bool:
    """True if the page ``data`` shows ``post`` (found by platform ID or by an address).

    Found by the page's own fetched address or platform ID, it does; found only through an
    address some canonical link named, it does when :func:`same_post` says so. If not, and
    ``post`` claimed the page's own address by its canonical link (a copy crawled before
    its original), the claim moves to the page: ``post`` keeps an address it was fetched at.
    """
    if data.platform_id and post.platform_id == data.platform_id:
        return True
    own = normalize_url(data.url)
    alias = next((a for a in post.urls if a.url == own), None)
    if alias is not None and not claimed_only(alias.found_via):
        return True
    known = Identity(post.platform_id, post.published, post.text or "")
    if same_post(known, Identity(data.platform_id, data.published, data.text), same_text):
        return True
    if alias is not None:
        fetched = next((a.url for a in post.urls if not claimed_only(a.found_via)), None)
        if fetched is not None:
            session.delete(alias)
            post.urls.remove(alias)
            post.canonical_url = fetched
            session.flush()
    return False


def _own_canonical(data: PostData) -> str:
    """The post's canonical URL when it is on the host it was fetched from.

    A cross-post often names the original on another blog as canonical; that is a different
    post (a duplicate story, found by dedupe), so the copy keeps its own address.
    """
    fetched = normalize_url(data.url)
    if not data.canonical_url:
        return fetched
    canonical = normalize_url(data.canonical_url)
    same_host = urlsplit(canonical).netloc == urlsplit(fetched).netloc
    return canonical if same_host else fetched


def _apply_fields(post: Post, data: PostData, digest: str, seen_at: datetime) -> None:
    post.platform_id = data.platform_id or post.platform_id
    post.title = data.title
    post.authors = list(data.authors)
    post.author = data.authors[0] if data.authors else None
    post.published = data.published or post.published
    post.modified = data.modified or post.modified
    post.language = data.language
    post.text = data.text
    post.html = data.html
    post.word_count = len(data.text.split())
    post.links = list(data.links)
    post.images = list(data.images)
    post.content_hash = digest
    post.last_seen = seen_at
    post.status, post.gone_at = "live", None


def _add_version(session: Session, post: Post, data: PostData, digest: str,
                 seen_at: datetime, first: bool) -> None:
    number = 1 if first else (session.scalar(
        select(func.max(PostVersion.number)).where(PostVersion.post_id == post.id)) or 0) + 1
    session.add(PostVersion(post=post, number=number, title=data.title, text=data.text,
                            html=data.html, content_hash=digest, modified=data.modified,
                            seen_at=seen_at))


def _set_terms(session: Session, post: Post, data: PostData) -> None:
    wanted = list(dict.fromkeys([("category", n) for n in data.categories]
                                + [("tag", n) for n in data.tags]))
    names = {name for _, name in wanted}
    found = {(t.taxonomy, t.name): t for t in session.scalars(
        select(Term).where(Term.site_id == post.site_id, Term.name.in_(names)))} if names else {}
    terms = []
    for taxonomy, name in wanted:
        term = found.get((taxonomy, name))
        if term is None:
            term = found[(taxonomy, name)] = Term(site_id=post.site_id, taxonomy=taxonomy, name=name)
            session.add(term)
        terms.append(term)
    post.terms = terms


def add_comments(session: Session, post: Post, comments: Iterable[CommentData]) -> int:
    """Add comments not yet archived (matched by platform ID or text); returns how many."""
    known = {c.platform_id: c for c in post.comments}
    added = 0
    for item in comments:
        key = item.platform_id or "h:" + hashlib.sha1(
            f"{item.author}|{item.text}".encode()).hexdigest()[:16]
        if key in known:
            continue
        comment = Comment(post=post, platform_id=key, author=item.author,
                          published=item.published, text=item.text,
                          parent=known.get(item.parent_id) if item.parent_id else None)
        session.add(comment)
        known[key] = comment
        added += 1
    return added


def mark_gone(session: Session, post: Post, when: datetime | None = None) -> None:
    """A post whose permalink now answers 404/410: kept, marked gone with the date."""
    if post.status != "gone":
        post.status, post.gone_at = "gone", when or utcnow()


# --- what the archive holds ---------------------------------------------------------------

def summary(session: Session) -> dict[str, Any]:
    """Counts for ``civic-archive status``."""
    def count(model: Any, *where: Any) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    last = session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
    return {
        "sites": count(Site),
        "posts": count(Post, Post.kind == "post"),
        "pages": count(Post, Post.kind == "page"),
        "gone": count(Post, Post.status == "gone"),
        "versions": count(PostVersion),
        "urls": count(PostUrl),
        "comments": count(Comment),
        "captures": count(Capture),
        "clusters": count(Cluster),
        "related": count(Relation),
        "runs": count(CrawlRun),
        "last_run": None if last is None else {
            "id": last.id, "status": last.status,
            "started_at": last.started_at.isoformat(),
            "finished_at": last.finished_at.isoformat() if last.finished_at else None,
        },
    }


def post_counts_by_site(session: Session) -> dict[int, int]:
    rows = session.execute(select(Post.site_id, func.count()).where(Post.kind == "post")
                           .group_by(Post.site_id))
    return {site_id: n for site_id, n in rows}

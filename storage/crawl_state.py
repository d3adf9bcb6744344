"""What the archive already knows about a site, so a recrawl fetches only what may have changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.headers import header
from storage.models import Capture, Comment, CrawlRun, FetchFailure, Post, PostUrl, utcnow
from storage.post_identity import claimed_only
from storage.urls import normalize_url


@dataclass
class KnownPost:
    post_id: int
    modified: datetime | None
    status: str
    routes: frozenset[str]


@dataclass
class PageState:
    """The last capture of a URL: for conditional GETs and to skip known listing pages."""

    status: int
    fetched_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    location: str | None = None  # where a redirect pointed


@dataclass
class OwedUrl:
    """A URL whose last answer was a failure, as the archive recorded it."""

    url: str
    kind: str
    callback: str
    meta: dict
    reason: str
    failures: int
    runs_since: int  # runs of the site since the one that last failed it


@dataclass
class SiteState:
    posts: dict[str, KnownPost] = field(default_factory=dict)   # normalized URL → post
    pages: dict[str, PageState] = field(default_factory=dict)   # normalized URL → last capture
    newest_modified: datetime | None = None
    comments: set[str] = field(default_factory=set)            # comment platform IDs held
    # How the site's previous run ended (None: never crawled). After a kill or interruption
    # the next run walks listings again, since pages captured then may not have been followed.
    last_run_status: str | None = None
    owed: dict[str, OwedUrl] = field(default_factory=dict)     # failure key → what failed

    def modified_after(self, margin: timedelta = timedelta(days=1)) -> datetime | None:
        """A safe lower bound for "changed since the last crawl", in the site's own clock."""
        return self.newest_modified - margin if self.newest_modified else None

    def live_posts(self) -> dict[int, str]:
        """Live post IDs → one of their addresses (the permalink where recorded)."""
        found: dict[int, str] = {}
        for url, known in self.posts.items():
            if known.status == "live" and ("canonical" in known.routes or known.post_id not in found):
                found[known.post_id] = url
        return found


def load_site_state(session: Session, site_id: int) -> SiteState:
    state = SiteState()
    rows = session.execute(
        select(PostUrl.url, PostUrl.found_via, Post.id, Post.modified, Post.status)
        .join(Post).where(Post.site_id == site_id, Post.kind == "post"))
    for url, found_via, post_id, modified, status in rows:
        if claimed_only(found_via):
            # Only some page's canonical link named it: it may be another post's address,
            # so it is no known post of its own (the next crawl reads the page there).
            continue
        state.posts[url] = KnownPost(post_id, modified, status,
                                     frozenset(filter(None, found_via.split(","))))
    state.comments = set(session.scalars(
        select(Comment.platform_id).join(Post).where(Post.site_id == site_id)))
    state.last_run_status = session.scalar(
        select(CrawlRun.status).where(CrawlRun.site_id == site_id)
        .order_by(CrawlRun.id.desc()).limit(1))
    state.newest_modified = session.scalar(
        select(func.max(Post.modified)).where(Post.site_id == site_id))
    state.owed = _owed(session, site_id)
    latest = select(func.max(Capture.id)).where(Capture.site_id == site_id).group_by(Capture.final_url)
    captures = session.execute(
        select(Capture.final_url, Capture.status, Capture.fetched_at, Capture.headers)
        .where(Capture.id.in_(latest)))
    for url, status, fetched_at, headers in captures:
        state.pages[normalize_url(url)] = PageState(status, fetched_at, header(headers, "etag") or None,
                                                     header(headers, "last-modified") or None,
                                                     header(headers, "location") or None)
    return state


def _owed(session: Session, site_id: int) -> dict[str, OwedUrl]:
    runs = list(session.scalars(select(CrawlRun.id).where(CrawlRun.site_id == site_id)))
    owed = {}
    for row in session.scalars(select(FetchFailure).where(FetchFailure.site_id == site_id)):
        since = sum(1 for run_id in runs if run_id > (row.last_run_id or 0))
        owed[row.key] = OwedUrl(row.url, row.kind, row.callback, dict(row.meta or {}), row.reason,
                                row.failures, since)
    return owed


def record_failure(session: Session, site_id: int, run_id: int | None, *, key: str, url: str,
                   kind: str, callback: str, meta: dict, reason: str) -> FetchFailure:
    """File ``key`` as owed; a URL failing again in a later run counts one more failed run."""
    row = session.scalar(select(FetchFailure).where(FetchFailure.site_id == site_id,
                                                    FetchFailure.key == key))
    now = utcnow()
    if row is None:
        row = FetchFailure(site_id=site_id, key=key, url=url, kind=kind, callback=callback,
                           meta=meta, reason=reason, failures=1, first_failed_at=now,
                           last_failed_at=now, last_run_id=run_id)
        session.add(row)
        return row
    if row.last_run_id != run_id:
        row.failures += 1
    row.url, row.kind, row.callback, row.meta, row.reason = url, kind, callback, meta, reason
    row.last_failed_at, row.last_run_id = now, run_id
    return row


def clear_failure(session: Session, site_id: int, key: str) -> bool:
    """The URL answered properly: it is no longer owed. ``True`` when it was."""
    row = session.scalar(select(FetchFailure).where(FetchFailure.site_id == site_id,
                                                    FetchFailure.key == key))
    if row is not None:
        session.delete(row)
    return row is not None


def owed_failures(session: Session, site_id: int | None = None) -> list[FetchFailure]:
    """Every URL still owed (of one site, or all), most failed first."""
    query = select(FetchFailure).order_by(FetchFailure.failures.desc(), FetchFailure.url)
    if site_id is not None:
        query = query.where(FetchFailure.site_id == site_id)
    return list(session.scalars(query))


def close_abandoned_runs(session: Session, site_id: int) -> int:
    """Mark runs left ``running`` by a killed process as ``killed`` (only call under the lock)."""
    result = session.execute(
        update(CrawlRun).where(CrawlRun.site_id == site_id, CrawlRun.status == "running")
        .values(status="killed", finished_at=utcnow()))
    return result.rowcount or 0

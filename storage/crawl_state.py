"""What the archive already knows about a site, so a recrawl fetches only what may have changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storage.models import Capture, Comment, CrawlRun, Post, PostUrl, utcnow
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


@dataclass
class SiteState:
    posts: dict[str, KnownPost] = field(default_factory=dict)   # normalized URL → post
    pages: dict[str, PageState] = field(default_factory=dict)   # normalized URL → last capture
    newest_modified: datetime | None = None
    comments: set[str] = field(default_factory=set)            # comment platform IDs held
    # How the site's previous run ended (None: never crawled). After a kill or interruption
    # the next run walks listings again, since pages captured then may not have been followed.
    last_run_status: str | None = None

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
        state.posts[url] = KnownPost(post_id, modified, status,
                                     frozenset(filter(None, found_via.split(","))))
    state.comments = set(session.scalars(
        select(Comment.platform_id).join(Post).where(Post.site_id == site_id)))
    state.last_run_status = session.scalar(
        select(CrawlRun.status).where(CrawlRun.site_id == site_id)
        .order_by(CrawlRun.id.desc()).limit(1))
    state.newest_modified = session.scalar(
        select(func.max(Post.modified)).where(Post.site_id == site_id))
    latest = select(func.max(Capture.id)).where(Capture.site_id == site_id).group_by(Capture.final_url)
    captures = session.execute(
        select(Capture.final_url, Capture.status, Capture.fetched_at, Capture.headers)
        .where(Capture.id.in_(latest)))
    for url, status, fetched_at, headers in captures:
        state.pages[normalize_url(url)] = PageState(status, fetched_at, _header(headers, "etag"),
                                     _header(headers, "last-modified"))
    return state


def _header(headers: dict, name: str) -> str | None:
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value[0] if isinstance(value, list) and value else value or None
    return None


def close_abandoned_runs(session: Session, site_id: int) -> int:
    """Mark runs left ``running`` by a killed process as ``killed`` (only call under the lock)."""
    result = session.execute(
        update(CrawlRun).where(CrawlRun.site_id == site_id, CrawlRun.status == "running")
        .values(status="killed", finished_at=utcnow()))
    return result.rowcount or 0

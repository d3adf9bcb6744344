"""The demo's real run: serve a sample blog, crawl, deduplicate, search and export it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crawler.process import LOOPBACK_SETTINGS, CrawlTarget, project_settings, run_crawls
from crawler.demo.generator import generate_blog
from crawler.demo.server import serve_blog
from crawler.run_stats import RunStats
from storage import repo, story_rows
from storage.db import open_archive
from storage.export import export
from storage.models import CrawlRun
from storage.search import search

DEMO_QUERY = "library consultation"


@dataclass
class TourReport:
    """What the demo did, from the archive itself (never from the generator's plan)."""

    folder: Path
    archive_url: str
    site_url: str
    published: int
    run: dict[str, Any]
    status: dict[str, Any]
    clusters: list[dict[str, Any]] = field(default_factory=list)
    related: list[dict[str, Any]] = field(default_factory=list)
    query: str = DEMO_QUERY
    hits: list[dict[str, Any]] = field(default_factory=list)
    export_path: str = ""
    exported: int = 0


def run_tour(folder: Path, n_posts: int = 60, seed: int = 7,
             say: Callable[[str], None] = lambda _msg: None) -> TourReport:
    """Generate and serve a sample blog, then run the real pipeline on it into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{folder / 'archive.db'}"
    blog = generate_blog(n_posts=n_posts, seed=seed)
    with serve_blog(blog) as served:
        site_url = served.blog.base_url
        say(f"serving a sample civic blog of {len(blog.posts)} posts at {site_url}")
        say("crawling it with the blog spider (sitemaps, feed, listings, REST API)…")
        run_crawls(project_settings(db_url, LOOPBACK_SETTINGS), [CrawlTarget(site_url)])
    archive = open_archive(db_url)
    try:
        with archive.Session.begin() as session:
            report = TourReport(folder=folder, archive_url=db_url, site_url=site_url,
                                published=len(blog.posts), run=_last_run(session),
                                status=repo.summary(session))
            report.clusters = _clusters(session)
            report.related = _related(session)
            report.hits = [h.as_dict() for h in search(session, DEMO_QUERY, limit=3)]
            out = folder / "posts.jsonl"
            report.exported = export(session, str(out), "jsonl", archive_url=db_url).records
            report.export_path = str(out)
    finally:
        archive.dispose()
    return report


def _last_run(session: Any) -> dict[str, Any]:
    run = session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
    stats = RunStats.read(run.stats if run else None)
    seconds = (run.finished_at - run.started_at).total_seconds() if run and run.finished_at else 0
    return {"status": run.status if run else "none", "pages": stats.pages,
            "seconds": round(seconds, 1)}


def _clusters(session: Any) -> list[dict[str, Any]]:
    return [row for row in story_rows.cluster_rows(session, limit=None) if row["size"] >= 2]


def _related(session: Any) -> list[dict[str, Any]]:
    return [{"post": row["post_title"], "source": row["source_id"], "shared": row["shared_fraction"]}
            for row in story_rows.related_rows(session, limit=None)]


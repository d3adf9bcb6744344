"""Incremental recrawls: an unchanged site costs a few requests; changes are found exactly."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from crawler.demo import generate_blog, serve_blog
from storage.db import open_archive
from storage.models import CrawlRun, Post, PostVersion
from tests.support.blogs import crawl

pytestmark = pytest.mark.slow


def _last_run_stats(db: str) -> dict:
    archive = open_archive(db)
    with archive.Session() as session:
        run = session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1))
        stats = dict(run.stats)
    archive.dispose()
    return stats


def _post_count(db: str) -> int:
    archive = open_archive(db)
    with archive.Session() as session:
        count = session.scalar(select(func.count()).select_from(Post))
    archive.dispose()
    return count


def test_unchanged_recrawl_is_cheap_and_changes_are_found_exactly(tmp_path):
    blog = generate_blog(n_posts=120, seed=5)
    db = str(tmp_path / "archive.db")
    with serve_blog(blog) as served:
        first = crawl(db, served.blog.base_url)
        assert first.returncode == 0, first.stderr[-2000:]
        first_requests = sum(served.request_count.values())
        assert served.request_count["/robots.txt"] == 1  # Scrapy's robots rules share it
        served.reset_counts()

        again = crawl(db, served.blog.base_url)
        assert again.returncode == 0, again.stderr[-2000:]
        assert " 0 new" in again.stderr  # nothing is added twice
        assert _post_count(db) == 120
        second_requests = sum(served.request_count.values())
        permalinks = {p.path for p in served.blog.posts}
        assert not permalinks & set(served.request_count), "an unchanged post was fetched again"
        assert served.request_count["/robots.txt"] == 1
        # Missing (404) and redirecting (to wp-sitemap.xml) last time: not guessed again.
        assert not {"/sitemap_index.xml", "/sitemap.xml"} & set(served.request_count)
        assert second_requests <= 0.10 * first_requests, (second_requests, first_requests)

        changed = served.blog.mutate(added=10, edited=5, deleted=2, seed=9)
        served.swap(changed)
        served.reset_counts()
        third = crawl(db, served.blog.base_url)
        assert third.returncode == 0, third.stderr[-2000:]
    stats = _last_run_stats(db)
    assert (stats.get("posts_new"), stats.get("posts_changed"), stats.get("posts_gone")) == (10, 5, 2)
    archive = open_archive(db)
    with archive.Session() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 130
        gone = {p.platform_id for p in session.scalars(select(Post).where(Post.status == "gone"))}
        assert gone == {str(i) for i in changed.changes.deleted}
        edited = {str(i) for i in changed.changes.edited}
        versions = dict(session.execute(
            select(Post.platform_id, func.count(PostVersion.id)).join(PostVersion)
            .group_by(Post.platform_id)).all())
        assert {pid for pid, n in versions.items() if n == 2} == edited
    archive.dispose()


def test_a_url_that_failed_is_fetched_again_next_run(tmp_path):
    from tests.support.fault_server import FaultServer, error

    db = str(tmp_path / "archive.db")
    with FaultServer(generate_blog(n_posts=12, seed=7)) as server:
        broken = server.blog.posts[3]
        server.fail(broken.path, error(500))
        assert crawl(db, server.url).returncode == 6  # finished, with the broken post owed
        server.faults.pop(broken.path)
        assert crawl(db, server.url).returncode == 0
        assert server.hits(broken.path) >= 2
    archive = open_archive(db)
    with archive.Session() as session:
        urls = set(session.scalars(select(Post.canonical_url)))
    archive.dispose()
    assert broken.permalink in urls and len(urls) == 12


def test_new_comments_on_unchanged_posts_are_added_and_a_full_recrawl_rewalks_everything(tmp_path):
    from storage.models import Comment

    db = str(tmp_path / "archive.db")
    with serve_blog(generate_blog(n_posts=20, seed=21)) as served:
        assert crawl(db, served.blog.base_url).returncode == 0
        first = sum(served.request_count.values())
        before = sum(len(p.comments) for p in served.blog.posts)
        served.swap(served.blog.mutate(added=0, edited=0, deleted=0, new_comments=3, seed=4))
        commented = {p.path for p in served.blog.posts if p.id in served.blog.changes.commented}
        served.reset_counts()
        again = crawl(db, served.blog.base_url)
        fetched_posts = {p.path for p in served.blog.posts} & set(served.request_count)
        served.reset_counts()
        full = crawl(db, served.blog.base_url, "--full")
        assert full.returncode == 0, full.stderr[-2000:]
        assert sum(served.request_count.values()) >= 0.9 * first
    assert again.returncode == 0, again.stderr[-2000:]
    assert fetched_posts == commented  # only the posts with new comments were fetched
    archive = open_archive(db)
    with archive.Session() as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == before + 3
        assert session.scalar(select(func.count()).select_from(PostVersion)) == 20  # no new versions
    archive.dispose()


def test_guessed_locations_missing_last_time_wait_before_being_asked_again():
    from datetime import datetime, timedelta, timezone

    from crawler.freshness import Freshness
    from storage.crawl_state import PageState, SiteState

    now = datetime(2026, 6, 1, tzinfo=timezone.utc)
    root = "https://blog.example"
    state = SiteState(pages={
        f"{root}/sitemap_index.xml": PageState(404, now - timedelta(days=3)),
        f"{root}/old.xml": PageState(404, now - timedelta(days=40)),
        f"{root}/sitemap.xml": PageState(301, now - timedelta(days=3), location="/wp-sitemap.xml"),
        f"{root}/elsewhere.xml": PageState(301, now - timedelta(days=3), location="/sitemaps/"),
        f"{root}/wp-sitemap.xml": PageState(200, now - timedelta(days=3)),
    })
    guessed = [f"{root}/wp-sitemap.xml", f"{root}/sitemap_index.xml", f"{root}/sitemap.xml"]
    fresh = Freshness(state)
    asked = {path: fresh.probe_needed(f"{root}{path}", guessed, now=now)
             for path in ("/sitemap_index.xml", "/old.xml", "/sitemap.xml", "/elsewhere.xml",
                          "/wp-sitemap.xml", "/never-seen.xml")}
    assert asked == {"/sitemap_index.xml": False, "/old.xml": True, "/sitemap.xml": False,
                     "/elsewhere.xml": True, "/wp-sitemap.xml": True, "/never-seen.xml": True}
    assert Freshness(state, full=True).probe_needed(f"{root}/sitemap_index.xml", guessed, now=now)

"""Kills, signals, overlapping runs and readers during a crawl: the archive loses nothing."""

from __future__ import annotations

import random
import signal
import time

import pytest
from sqlalchemy import func, select, text

from crawler.demo import generate_blog, serve_blog
from storage.db import open_archive
from storage.lock import crawl_lock
from storage.models import CrawlRun, Post
from storage.search import search
from tests.support.blogs import crawl, crawl_process

pytestmark = pytest.mark.slow


def _wait_for_posts(db: str, minimum: int, timeout: float = 60) -> None:
    """Block until the crawl has archived at least ``minimum`` posts (so a kill lands mid-crawl)."""
    archive = open_archive(db)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with archive.Session() as session:
                if (session.scalar(select(func.count()).select_from(Post)) or 0) >= minimum:
                    return
            time.sleep(0.05)
    finally:
        archive.dispose()


def test_sigkill_at_random_points_then_finish(tmp_path):
    rng = random.Random(20261122)
    blog = generate_blog(n_posts=60, seed=8)
    db = str(tmp_path / "archive.db")
    with serve_blog(blog) as served:
        for attempt in range(3):
            process = crawl_process(db, served.blog.base_url)
            _wait_for_posts(db, 5 + 15 * attempt)
            time.sleep(rng.uniform(0.0, 1.0))
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
        final = crawl(db, served.blog.base_url)
        assert final.returncode == 0, final.stderr[-3000:]
        truth = {p.permalink for p in served.blog.posts}
        groups = served.blog.duplicate_groups()
    archive = open_archive(db)
    with archive.Session() as session:
        urls = list(session.scalars(select(Post.canonical_url)))
        assert sorted(urls) == sorted(truth)  # every post exactly once
        orphans = {
            "post_urls": "SELECT count(*) FROM post_urls WHERE post_id NOT IN (SELECT id FROM posts)",
            "comments": "SELECT count(*) FROM comments WHERE post_id NOT IN (SELECT id FROM posts)",
            "versions": "SELECT count(*) FROM post_versions WHERE post_id NOT IN (SELECT id FROM posts)",
            "members": "SELECT count(*) FROM posts WHERE cluster_id IS NOT NULL "
                       "AND cluster_id NOT IN (SELECT id FROM clusters)",
            "empty clusters": "SELECT count(*) FROM clusters WHERE id NOT IN "
                              "(SELECT cluster_id FROM posts WHERE cluster_id IS NOT NULL)",
        }
        for name, sql in orphans.items():
            assert session.scalar(text(sql)) == 0, name
        sizes = sorted(session.scalars(select(func.count()).select_from(Post)
                                       .where(Post.cluster_id.is_not(None)).group_by(Post.cluster_id)))
        assert sizes == sorted(len(g) for g in groups)
        statuses = [r.status for r in session.scalars(select(CrawlRun).order_by(CrawlRun.id))]
        assert statuses[-1] == "finished" and "killed" in statuses
    archive.dispose()


def test_sigterm_records_an_interrupted_run_and_exits_5_and_search_works_while_it_resumes(tmp_path):
    blog = generate_blog(n_posts=60, seed=9)
    db = str(tmp_path / "archive.db")
    with serve_blog(blog) as served:
        process = crawl_process(db, served.blog.base_url)
        _wait_for_posts(db, 3)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 5, err[-2000:]
        archive = open_archive(db)
        with archive.Session() as session:
            assert session.scalar(select(CrawlRun.status).order_by(CrawlRun.id.desc()).limit(1)) == "interrupted"
        # The resumed crawl writes while readers search the same archive.
        resumed = crawl_process(db, served.blog.base_url)
        searches = 0
        while resumed.poll() is None:
            with archive.Session() as session:
                search(session, "council OR library", limit=5)
            searches += 1
        archive.dispose()
        _, err = resumed.communicate()
    assert resumed.returncode == 0, err[-2000:]
    assert searches > 10
    archive = open_archive(db)
    with archive.Session() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 60
    archive.dispose()


def test_a_second_crawl_exits_at_once_while_one_holds_the_lock(tmp_path):
    db = str(tmp_path / "archive.db")
    archive = open_archive(db)
    with crawl_lock(archive):
        # A crawl that waited for the lock instead would run into the subprocess timeout.
        result = crawl(db, "http://127.0.0.1:9/", timeout=60)
    assert result.returncode == 4
    assert "another crawl is running" in result.stderr and "pid" in result.stderr
    # The lock dies with its holder: nothing stale is left once it is released.
    with crawl_lock(archive):
        pass
    archive.dispose()

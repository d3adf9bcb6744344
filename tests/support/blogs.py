"""Helpers shared by the crawl tests."""

from __future__ import annotations

import subprocess
import sys

import dedupe
from crawler.items import Post
from crawler import matching
from storage import repo


def crawl(db: str, url: str, *extra: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """``civic-archive crawl`` in its own process (the Twisted reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "--db", db, "crawl", url, "--loopback", *extra],
        capture_output=True, text=True, timeout=timeout,
    )


def crawl_process(db: str, url: str, *extra: str) -> subprocess.Popen:
    """A crawl running in the background, for tests that interrupt or race it."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--db", db, "crawl", url, "--loopback", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def post_item(post) -> Post:
    """A generated blog post as the page objects would extract it (title, text, date, id)."""
    return Post(url=post.permalink, title=post.title, text=post.text,
                published=post.published, platform_id=str(post.id), platform="wordpress")


def archive_blog(archive, blog) -> dict[int, int]:
    """Save every post as a crawl would (one transaction each); returns wp id → post id."""
    with archive.Session.begin() as session:
        index = matching.load_index(session, dedupe.Params())
        site = repo.add_site(session, blog.base_url)
    ids = {}
    for post in blog.posts:
        with archive.Session.begin() as session:
            saved = matching.save_post(session, session.merge(site), post_item(post), index)
            ids[post.id] = saved.post.id
    return ids

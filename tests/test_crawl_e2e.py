"""Real Scrapy crawls of the sample blog served on 127.0.0.1, checked against its ground truth."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from crawler.demo import SiteOptions, generate_blog, serve_blog
from storage.db import open_archive
from storage.models import Cluster, Comment, Post, PostUrl, Relation, Site
from tests.support.blogs import crawl

pytestmark = pytest.mark.slow


def crawled(tmp_path, options: SiteOptions | None = None, n_posts: int = 40):
    blog = generate_blog(n_posts=n_posts, seed=3)
    db = str(tmp_path / "archive.db")
    with serve_blog(blog, options) as served:
        result = crawl(db, served.blog.base_url)
        truth = served.blog
    assert result.returncode == 0, result.stderr[-3000:]
    return truth, open_archive(db), result


def by_url(archive):
    with archive.Session() as session:
        posts = session.scalars(select(Post)).unique().all()
        return {p.canonical_url: p for p in posts}, session


def test_every_post_archived_once_with_its_fields(tmp_path):
    truth, archive, result = crawled(tmp_path)
    assert "new" in result.stderr
    with archive.Session() as session:
        posts = {p.canonical_url: p for p in session.scalars(select(Post))}
        assert set(posts) == {p.permalink for p in truth.posts}
        for expected in truth.posts:
            post = posts[expected.permalink]
            assert post.title == expected.title
            assert post.platform_id == str(expected.id)
            assert post.published == expected.published
            assert post.author == expected.author_name
            assert sorted(t.name for t in post.terms if t.taxonomy == "category") == sorted(expected.categories)
            assert sorted(t.name for t in post.terms if t.taxonomy == "tag") == sorted(expected.tags)
            assert post.text.split("\n\n") == expected.paragraphs
            assert len(post.comments) == len(expected.comments)
            urls = {u.url for u in post.urls}
            assert expected.shortlink in urls
        # Listing pages, the About page and the protected post are not posts.
        assert not any("/page/" in url or "/category/" in url for url in posts)
        assert truth.about.permalink not in posts and truth.protected.permalink not in posts
        routes = {r for u in session.scalars(select(PostUrl)) for r in u.found_via.split(",")}
        assert {"sitemap", "feed", "rest", "listing"} <= routes
        threaded = session.scalar(select(func.count()).select_from(Comment)
                                  .where(Comment.parent_id.is_not(None)))
        expected_replies = sum(1 for p in truth.posts for c in p.comments if c.parent_id)
        assert threaded == expected_replies
    archive.dispose()


@pytest.mark.parametrize("missing", ["sitemap", "rest_api"])
def test_all_posts_found_with_a_route_missing(tmp_path, missing):
    truth, archive, _ = crawled(tmp_path, replace(SiteOptions(), **{missing: False}))
    with archive.Session() as session:
        posts = {p.canonical_url: p for p in session.scalars(select(Post))}
        assert set(posts) == {p.permalink for p in truth.posts}
        for expected in truth.posts:
            assert posts[expected.permalink].published == expected.published
            assert posts[expected.permalink].platform_id == str(expected.id)
    archive.dispose()


def test_recrawl_adds_nothing_twice(tmp_path):
    blog = generate_blog(n_posts=15, seed=4)
    db = str(tmp_path / "archive.db")
    with serve_blog(blog) as served:
        assert crawl(db, served.blog.base_url).returncode == 0
        again = crawl(db, served.blog.base_url)
    assert again.returncode == 0, again.stderr[-2000:]
    assert " 0 new" in again.stderr
    archive = open_archive(db)
    with archive.Session() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 15
    archive.dispose()


def test_crawl_into_postgresql(pg_url):
    blog = generate_blog(n_posts=20, seed=12)
    with serve_blog(blog) as served:
        result = crawl(pg_url, served.blog.base_url)
        again = crawl(pg_url, served.blog.base_url)
        truth = {p.permalink for p in served.blog.posts}
        groups = served.blog.duplicate_groups()
    assert result.returncode == 0, result.stderr[-3000:]
    assert again.returncode == 0 and " 0 new" in again.stderr
    archive = open_archive(pg_url)
    with archive.Session() as session:
        assert sorted(session.scalars(select(Post.canonical_url))) == sorted(truth)
        clustered = session.scalar(select(func.count()).select_from(Post)
                                   .where(Post.cluster_id.is_not(None)))
        assert clustered == sum(len(g) for g in groups)
    archive.dispose()


def test_scrapy_crawl_works_for_people_who_know_scrapy(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    blog = generate_blog(n_posts=12, seed=13)
    db = tmp_path / "scrapy.db"
    repo_root = Path(__file__).resolve().parents[1]
    with serve_blog(blog) as served:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "blog", "-a", f"url={served.blog.base_url}",
             "-s", f"CIVIC_ARCHIVE_DB={db}", "-s", "DOWNLOAD_DELAY=0",
             "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"],
            capture_output=True, text=True, timeout=300, cwd=repo_root)
    assert result.returncode == 0, result.stderr[-3000:]
    archive = open_archive(str(db))
    with archive.Session() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 12
        assert session.scalar(select(Site.platform)) == "wordpress"
    archive.dispose()


def test_database_password_never_reaches_the_logs(pg_url, tmp_path):
    # The test server trusts local connections, so the password is never checked: it only
    # has to stay out of every line the crawl writes.
    secret_url = pg_url.replace("postgres@", "postgres:s3cret-pw@", 1)
    log = tmp_path / "crawl.log"
    blog = generate_blog(n_posts=12, seed=14)
    with serve_blog(blog) as served:
        result = crawl(secret_url, served.blog.base_url, "--log-file", str(log))
        again = crawl(secret_url, served.blog.base_url, "--full")
    assert result.returncode == 0, result.stderr[-2000:]
    assert again.returncode == 0
    assert "s3cret-pw" not in result.stderr + again.stderr + log.read_text()
    assert "postgres:***@" in log.read_text()


def test_planted_repeats_are_clustered_and_related_during_the_crawl(tmp_path):
    truth, archive, _ = crawled(tmp_path)
    with archive.Session() as session:
        wp_id = {p.id: int(p.platform_id) for p in session.scalars(select(Post))}
        groups: dict[int, list[int]] = {}
        for post in session.scalars(select(Post).where(Post.cluster_id.is_not(None))):
            groups.setdefault(post.cluster_id, []).append(wp_id[post.id])
        canonical = {wp_id[c.canonical_post_id] for c in session.scalars(select(Cluster))}
        related = {(wp_id[r.post_id], wp_id[r.source_id]) for r in session.scalars(select(Relation))}
    archive.dispose()
    assert sorted(sorted(g) for g in groups.values()) == sorted(sorted(g) for g in truth.duplicate_groups())
    assert canonical == {g[0] for g in truth.duplicate_groups()}  # the original, published first
    assert related == {(a, b) for a, b, _ in truth.related_pairs()}


def test_cross_posts_on_a_sister_blog_join_the_original_story(tmp_path):
    db = str(tmp_path / "archive.db")
    with serve_blog(generate_blog(n_posts=14, seed=18)) as original:
        assert crawl(db, original.blog.base_url).returncode == 0
        first = original.blog.base_url
    # The sister blog republishes every post, word for word, at its own addresses.
    with serve_blog(generate_blog(n_posts=14, seed=18)) as sister:
        assert crawl(db, sister.blog.base_url).returncode == 0
    archive = open_archive(db)
    with archive.Session() as session:
        sites = {s.id: s.url for s in session.scalars(select(Site))}
        posts = list(session.scalars(select(Post)))
        assert len(posts) == 28 and all(p.cluster_id for p in posts)
        for cluster in session.scalars(select(Cluster)):
            members = [p for p in posts if p.cluster_id == cluster.id]
            assert {sites[p.site_id] for p in members} == set(sites.values())
            canonical = session.get_one(Post, cluster.canonical_post_id)
            assert sites[canonical.site_id].rstrip("/") == first.rstrip("/")
    archive.dispose()


def test_sites_crawled_together_share_one_index(tmp_path):
    db = str(tmp_path / "archive.db")
    with (serve_blog(generate_blog(n_posts=14, seed=19)) as original,
          serve_blog(generate_blog(n_posts=14, seed=19)) as sister):
        result = crawl(db, original.blog.base_url, sister.blog.base_url)
    assert result.returncode == 0, result.stderr[-3000:]
    archive = open_archive(db)
    with archive.Session() as session:
        posts = list(session.scalars(select(Post)))
        assert len(posts) == 28 and all(p.cluster_id for p in posts)
        for cluster in session.scalars(select(Cluster)):
            assert len({p.site_id for p in posts if p.cluster_id == cluster.id}) == 2
    archive.dispose()

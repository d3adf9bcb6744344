"""Real Scrapy crawls of the sample blog served on 127.0.0.1, checked against its ground truth.

One fresh crawl of the 40-post blog (a module fixture) is read by several tests; discovery with
a route missing is crawled offline (test_crawl_offline)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from crawler.cli import cli
from crawler.demo import generate_blog, serve_blog
from storage.db import open_archive
from storage.models import Cluster, Comment, Post, PostUrl, Relation, Site
from tests.support.blogs import crawl

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """One first crawl of a 40-post blog: (the blog as served, archive path, crawl result)."""
    blog = generate_blog(n_posts=40, seed=3)
    db = str(tmp_path_factory.mktemp("fresh") / "archive.db")
    with serve_blog(blog) as served:
        result = crawl(db, served.blog.base_url)
        truth = served.blog
    assert result.returncode == 0, result.stderr[-3000:]
    return truth, db, result


def by_url(archive):
    with archive.Session() as session:
        posts = session.scalars(select(Post)).unique().all()
        return {p.canonical_url: p for p in posts}, session


def test_every_post_archived_once_with_its_fields(fresh):
    truth, db, result = fresh
    archive = open_archive(db)
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


def test_runs_lists_recorded_runs(fresh):
    _truth, db, _result = fresh
    out = CliRunner().invoke(cli, ["--db", db, "runs", "--format", "json"])
    runs = json.loads(out.stdout)
    assert runs[0]["status"] == "finished" and runs[0]["new"] == 40 and runs[0]["pages"] > 40


def test_crawl_into_postgresql_keeps_the_password_out_of_the_logs(pg_url, tmp_path):
    # The test server trusts local connections, so the password is never checked: it only
    # has to stay out of every line the crawl writes.
    secret_url = pg_url.replace("postgres@", "postgres:s3cret-pw@", 1)
    log = tmp_path / "crawl.log"
    blog = generate_blog(n_posts=20, seed=12)
    with serve_blog(blog) as served:
        result = crawl(secret_url, served.blog.base_url, "--log-file", str(log))
        again = crawl(secret_url, served.blog.base_url, "--full")
        truth = {p.permalink for p in served.blog.posts}
        groups = served.blog.duplicate_groups()
    assert result.returncode == 0, result.stderr[-3000:]
    assert again.returncode == 0 and " 0 new" in again.stderr
    assert "s3cret-pw" not in result.stderr + again.stderr + log.read_text()
    assert "postgres:***@" in log.read_text()
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


def test_planted_repeats_are_clustered_and_related_during_the_crawl(fresh):
    truth, db, _ = fresh
    archive = open_archive(db)
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

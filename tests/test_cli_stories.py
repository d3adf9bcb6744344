"""``dedupe``, ``dupes`` and ``reextract`` from the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from crawler.cli import cli
from crawler.demo import generate_blog, render_site
from storage.db import open_archive
from storage.models import Post, PostVersion
from tests.support.blogs import archive_blog
from tests.support.offline import OfflineCrawl, site_answers


@pytest.fixture(scope="module")
def blog():
    return generate_blog(n_posts=30, seed=11, base_url="http://blog.example")


@pytest.fixture
def filled(archive, archive_url, blog):
    archive_blog(archive, blog)
    return archive_url


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_dupes_lists_clusters_and_related_pairs(filled, blog):
    clusters = json.loads(run("--db", filled, "dupes", "--format", "json").stdout)
    assert sorted(c["size"] for c in clusters) == sorted(len(g) for g in blog.duplicate_groups())
    titles = {blog.post(g[0]).title for g in blog.duplicate_groups()}
    assert {c["title"] for c in clusters} == titles
    related = json.loads(run("--db", filled, "dupes", "--related", "--json").stdout)
    assert len(related) == len(blog.related_pairs())
    assert all(0 < r["shared_fraction"] < 1 for r in related)
    table = run("--db", filled, "dupes")
    assert table.exit_code == 0 and "size" in table.stdout.splitlines()[0]


def test_dupes_show_gives_members_and_a_paragraph_diff(filled):
    cluster_id = json.loads(run("--db", filled, "dupes", "--json").stdout)[0]["id"]
    detail = json.loads(run("--db", filled, "dupes", "show", str(cluster_id), "--format", "json").stdout)
    members = detail["members"]
    assert sum(m["canonical"] for m in members) == 1
    assert all(m["url"] and m["published"] for m in members)
    assert any(m["diff"] for m in members if not m["canonical"]) or all(
        m["method"] == "exact" for m in members if not m["canonical"])
    for member in members:
        explanation = member["explanation"]
        if member["canonical"]:
            assert explanation is None
            continue
        # Each member says which measure decided, its value and the threshold it reached.
        assert explanation["measure"] in ("exact", "Jaccard", "containment", "coverage")
        if explanation["threshold"] is not None:
            assert explanation["value"] >= explanation["threshold"]
        assert {"jaccard", "containment", "coverage"} <= set(explanation["measures"])
        assert all(0 <= p["covered"] <= 1 for p in explanation["paragraphs"])
    text = run("--db", filled, "dupes", "show", str(cluster_id))
    assert text.exit_code == 0 and "[canonical]" in text.stdout
    assert "decided by " in text.stdout
    missing = run("--db", filled, "dupes", "show", "9999")
    assert missing.exit_code == 1 and "no such cluster" in missing.stderr


def test_dedupe_reclusters_to_the_same_stories(filled, blog):
    before = json.loads(run("--db", filled, "dupes", "--json").stdout)
    result = run("--db", filled, "dedupe", "--rebuild")
    assert result.exit_code == 0, result.output
    assert f"{len(blog.duplicate_groups())} repeated stories" in result.stderr
    after = json.loads(run("--db", filled, "dupes", "--json").stdout)
    assert sorted((c["size"], c["title"]) for c in after) == sorted((c["size"], c["title"]) for c in before)
    assert run("--db", filled, "dedupe", "--threshold", "0.2").exit_code == 2


def test_reextract_rebuilds_posts_from_captures(tmp_path):
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    blog = generate_blog(n_posts=12, seed=15)
    OfflineCrawl(db, blog.base_url, site_answers(render_site(blog))).run()
    archive = open_archive(db)
    with archive.Session.begin() as session:
        post = session.scalar(select(Post).limit(1))
        post.text, post.content_hash = "garbled by an old extractor", "0" * 64
    result = run("--db", db, "reextract")
    assert result.exit_code == 0, result.output
    assert "1 changed" in result.stderr and "11 unchanged" in result.stderr
    with archive.Session() as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 12
        assert "garbled" not in session.get_one(Post, post.id).text
        assert session.scalar(select(func.count()).select_from(PostVersion)) == 13
    archive.dispose()


def test_dedupe_and_reextract_wait_for_no_crawl(filled, archive):
    from storage.lock import crawl_lock

    with crawl_lock(archive):
        for command in (["dedupe"], ["reextract"]):
            result = run("--db", filled, *command)
            assert result.exit_code == 4, (command, result.output)
            assert "another crawl is running" in result.stderr

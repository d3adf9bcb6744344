"""A site's name and description come from the blog itself unless the user named it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import select
from click.testing import CliRunner

from crawler.cli import cli
from crawler.demo import SiteOptions, generate_blog, serve_blog
from crawler.site_identity import Identity, combine, from_feed, from_home_page, from_rest_root
from storage import repo
from storage.db import open_archive
from storage.models import Site
from tests.support.blogs import crawl

REST_ROOT = json.dumps({"name": "Tom &amp; Jerry&#8217;s Ward", "description": "Notes  from\nthe ward",
                        "url": "https://tj.example", "namespaces": ["wp/v2"], "routes": {}}).encode()
HOME = """<html><head><title>Home – Ward notes</title>
<meta property="og:site_name" content="Ward Notes" />
<meta name="description" content="What the council did this week" /></head><body></body></html>"""
RSS = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
<title>Pinner &#8211; Residents</title><link>https://p.example</link>
<description>Local news</description><item><title>A post</title></item></channel></rss>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title type="text">Harrow Hill Blog</title><subtitle>Hill news</subtitle>
<entry><title>Not the name</title></entry></feed>"""


def test_rest_root_name_and_description_unescaped():
    assert from_rest_root(REST_ROOT) == Identity("Tom & Jerry\u2019s Ward", "Notes from the ward")


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"code": "rest_login_required"}', b""])
def test_rest_root_that_is_no_index_says_nothing(body):
    assert from_rest_root(body) == Identity()


def test_home_page_og_site_name_and_description():
    assert from_home_page(HOME) == Identity("Ward Notes", "What the council did this week")
    assert from_home_page("<html><head><title>x</title></head></html>") == Identity()


def test_feed_titles_rss_and_atom():
    assert from_feed(RSS) == Identity("Pinner \u2013 Residents", "Local news")
    assert from_feed(ATOM) == Identity("Harrow Hill Blog", "Hill news")
    assert from_feed(b"<urlset/>") == Identity()
    assert from_feed(b"\x00garbage") == Identity()


def test_combine_prefers_rest_then_page_then_feed_per_field():
    found = {"feed": Identity("Feed name", "Feed text"), "page": Identity("Page name", None)}
    assert combine(found) == Identity("Page name", "Feed text")
    assert combine({**found, "rest": Identity("Rest name", None)}).name == "Rest name"
    assert combine({}) == Identity()


def test_long_name_is_cut_to_fit():
    assert len(from_home_page(f'<meta property="og:site_name" content="{"x" * 500}">').name) == 300


def test_user_name_always_wins(archive):
    with archive.Session.begin() as session:
        named = repo.add_site(session, "https://a.example/", "harrow")
        unnamed = repo.add_site(session, "https://b.example/")
        for site in (named, unnamed):
            repo.set_site_identity(session, site, "Blog's own name", "Its description")
    with archive.Session() as session:
        named, unnamed = session.scalars(select(Site).order_by(Site.id)).all()
    assert (named.name, named.name_source, named.description) == ("harrow", "user", "Its description")
    assert (unnamed.name, unnamed.name_source) == ("Blog's own name", "blog")


def _site(db: str) -> Site:
    archive = open_archive(db)
    with archive.Session() as session:
        site = session.scalars(select(Site)).one()
    archive.dispose()
    return site


@pytest.mark.slow
def test_crawl_names_the_site_as_the_blog_does_and_refreshes(tmp_path):
    db = str(tmp_path / "archive.db")
    blog = generate_blog(n_posts=6, seed=5)
    with serve_blog(blog) as served:
        result = crawl(db, served.blog.base_url)
        assert result.returncode == 0, result.stderr[-3000:]
        site = _site(db)
        assert (site.name, site.description, site.name_source) == (blog.name, blog.tagline, "blog")
        # Renamed, and no REST API any more: the feed's title says the new name.
        served.swap(replace(served.blog, name="Harrow Hill Residents"))
    with serve_blog(served.blog, SiteOptions(rest_api=False), port=served.port) as again:
        result = crawl(db, again.blog.base_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert _site(db).name == "Harrow Hill Residents"


@pytest.mark.slow
def test_crawl_keeps_the_name_the_user_gave(tmp_path):
    db = str(tmp_path / "archive.db")
    with serve_blog(generate_blog(n_posts=4, seed=6)) as served:
        added = CliRunner().invoke(cli, ["--db", db, "site", "add", served.blog.base_url,
                                         "--name", "harrow"], catch_exceptions=False)
        assert added.exit_code == 0, added.output
        result = crawl(db, served.blog.base_url)
    assert result.returncode == 0, result.stderr[-3000:]
    site = _site(db)
    assert (site.name, site.name_source, site.description) == ("harrow", "user", served.blog.tagline)

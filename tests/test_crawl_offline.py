"""Whole crawls of the demo blog answered offline (tests.support.offline): discovery by every
route and the archive the pipeline builds, without a server or a second process."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from crawler.demo import SiteOptions, generate_blog, render_site
from storage.db import open_archive
from storage.models import CrawlRun, Post
from tests.support.offline import OfflineCrawl, site_answers


def archived(db: str) -> tuple[dict[str, Post], CrawlRun]:
    archive = open_archive(db)
    try:
        with archive.Session() as session:
            posts = list(session.scalars(select(Post)).unique())
            run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
            assert len({p.canonical_url for p in posts}) == len(posts), "a post archived twice"
            session.expunge_all()
    finally:
        archive.dispose()
    return {p.canonical_url: p for p in posts}, run


@pytest.mark.parametrize("missing", ["sitemap", "rest_api"])
def test_all_posts_found_with_a_route_missing(tmp_path, missing):
    truth = generate_blog(n_posts=40, seed=3)
    site = render_site(truth, replace(SiteOptions(), **{missing: False}))
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    OfflineCrawl(db, truth.base_url, site_answers(site)).run()
    posts, run = archived(db)
    assert set(posts) == {p.permalink for p in truth.posts}
    for expected in truth.posts:
        assert posts[expected.permalink].published == expected.published
        assert posts[expected.permalink].platform_id == str(expected.id)
    assert run.status == "finished"


def test_a_post_whose_markup_is_not_recognised_is_taken_from_the_rest_api(tmp_path):
    blog = generate_blog(n_posts=12, seed=16)
    odd = blog.posts[5]
    answers = site_answers(render_site(blog))

    def unrecognisable(url: str):
        status, headers, body = answers(url)
        if url != odd.permalink:
            return status, headers, body
        # Keep the head, replace the post with something that reads as a listing of cards.
        cards = b"".join(b'<article><h2><a href="/elsewhere-%d/">Card %d</a></h2></article>' % (i, i)
                         for i in range(3))
        return status, headers, body.split(b"<body", 1)[0] + b"<body>" + cards + b"</body></html>"

    db = f"sqlite:///{tmp_path / 'archive.db'}"
    crawl = OfflineCrawl(db, blog.base_url, unrecognisable).run()
    posts, run = archived(db)
    assert set(posts) == {p.permalink for p in blog.posts}  # each once (see archived)
    assert posts[odd.permalink].title == odd.title
    assert posts[odd.permalink].text.split("\n\n") == odd.paragraphs
    assert run.stats["pages/post_from_rest"] == 1
    assert crawl.requested[odd.permalink] == 1

"""The item pipeline on a real SQLite archive, in-process: what each item does to the archive."""

from __future__ import annotations

from dataclasses import replace

import pytest
from scrapy.exceptions import DropItem
from sqlalchemy import func, select

from crawler.demo import generate_blog
from crawler.items import AliasItem, GoneItem, Post, PostItem
from crawler.pipelines import PostPipeline
from storage.db import open_archive
from storage.models import Cluster, PostUrl, PostVersion, Site
from storage.models import Post as StoredPost
from tests.support.blogs import post_item
from tests.support.offline import offline_spider

BLOG = generate_blog(n_posts=20, seed=11)


@pytest.fixture
def db(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'archive.db'}"


@pytest.fixture
def pipeline(db):
    spider = offline_spider(db, BLOG.base_url)
    return PostPipeline.from_crawler(spider.crawler)


def stored(db: str):
    archive = open_archive(db)
    session = archive.Session()
    return archive, session


def test_a_post_item_is_archived_with_its_routes_and_aliases(pipeline, db):
    post = BLOG.posts[0]
    item = PostItem(post=post_item(post), routes={"sitemap", "feed"},
                    aliases=[(post.shortlink, "shortlink")])
    assert pipeline.process_item(item) is item
    assert pipeline.crawler.stats.get_value("posts_new") == 1
    archive, session = stored(db)
    with session:
        [saved] = session.scalars(select(StoredPost)).all()
        assert (saved.title, saved.platform_id, saved.published) == (post.title, str(post.id), post.published)
        assert saved.text.split("\n\n") == post.paragraphs
        urls = {u.url: u.found_via for u in session.scalars(select(PostUrl))}
        # Each route that named the page is kept with its URL (its own canonical URL too).
        assert {"feed", "sitemap"} <= set(urls[post.permalink].split(",")) and post.shortlink in urls
        # The pipeline learnt the post's platform for its site.
        assert session.scalar(select(Site.platform)) == "wordpress"
    archive.dispose()


def test_the_same_post_again_is_unchanged_and_an_edit_is_a_new_version(pipeline, db):
    item = PostItem(post=post_item(BLOG.posts[1]), routes={"sitemap"})
    pipeline.process_item(item)
    pipeline.process_item(item)
    edited = replace(item.post, text=item.post.text + "\n\nUpdated: the council replied.")
    pipeline.process_item(PostItem(post=edited, routes={"sitemap"}))
    stats = pipeline.crawler.stats
    assert [stats.get_value(f"posts_{k}") for k in ("new", "unchanged", "changed")] == [1, 1, 1]
    archive, session = stored(db)
    with session:
        assert session.scalar(select(func.count()).select_from(StoredPost)) == 1
        assert session.scalar(select(func.count()).select_from(PostVersion)) == 2
        assert session.scalar(select(StoredPost.text)).endswith("the council replied.")
    archive.dispose()


def test_aliases_and_gone_posts_reach_known_posts_only(pipeline, db):
    post = BLOG.posts[2]
    pipeline.process_item(PostItem(post=post_item(post), routes={"rest"}))
    pipeline.process_item(AliasItem(url=post.permalink, route="listing"))
    pipeline.process_item(AliasItem(url=BLOG.base_url + "/never-seen/", route="listing"))
    pipeline.process_item(GoneItem(url=BLOG.base_url + "/never-seen/", status=404))
    pipeline.process_item(GoneItem(url=post.permalink, status=410))
    stats = pipeline.crawler.stats
    assert {k: stats.get_value(f"posts_{k}") for k in ("alias", "alias_unknown", "gone", "gone_unknown")} \
        == {"alias": 1, "alias_unknown": 1, "gone": 1, "gone_unknown": 1}
    archive, session = stored(db)
    with session:
        saved = session.scalars(select(StoredPost)).one()
        assert saved.status == "gone"
        found_via = {u.url: set(u.found_via.split(",")) for u in saved.urls}[post.permalink]
        assert {"rest", "listing"} <= found_via and "feed" not in found_via
    archive.dispose()


def test_repeated_stories_are_clustered_as_they_are_archived(pipeline, db):
    for post in BLOG.posts:
        pipeline.process_item(PostItem(post=post_item(post), routes={"sitemap"}))
    archive, session = stored(db)
    with session:
        wp_id = {p.id: int(p.platform_id) for p in session.scalars(select(StoredPost))}
        groups: dict[int, list[int]] = {}
        for post in session.scalars(select(StoredPost).where(StoredPost.cluster_id.is_not(None))):
            groups.setdefault(post.cluster_id, []).append(wp_id[post.id])
        canonical = {wp_id[c.canonical_post_id] for c in session.scalars(select(Cluster))}
    archive.dispose()
    assert sorted(sorted(g) for g in groups.values()) == sorted(sorted(g) for g in BLOG.duplicate_groups())
    assert canonical == {g[0] for g in BLOG.duplicate_groups()}


def test_items_that_are_no_archive_items_or_empty_posts_are_dropped(pipeline, db):
    with pytest.raises(DropItem, match="not an archive item"):
        pipeline.process_item({"url": BLOG.posts[0].permalink})
    with pytest.raises(DropItem, match="empty post"):
        pipeline.process_item(PostItem(post=Post(url=BLOG.posts[0].permalink, title=" ", text="")))
    archive, session = stored(db)
    with session:
        assert session.scalar(select(func.count()).select_from(StoredPost)) == 0
    archive.dispose()

"""One post from every source that describes it: the page, the WordPress REST record, the feed.

Pure and order-free: the result depends on which sources there are, never on which arrived
first. Field by field (the README's "How pages are read" table):

* ID, published, modified, authors, categories, tags: the REST record's when it has them
  (exact IDs, GMT dates, the user's display name, the taxonomies by name), else the page's;
* title: the REST ``title.rendered`` (unescaped once), else the page's;
* body: the page's (the theme's container, comments beside it), unless it came out empty or
  with under half the words of the REST ``content.rendered``, which is then taken; failing
  that, of the feed item's content (``content:encoded``, Atom ``content``/``summary``);
* comments, canonical URL, language: the page's.
"""

from __future__ import annotations

from dataclasses import replace

from ..items import Post
from .content import falls_short


def merge_post(page: Post | None, rest: Post | None) -> Post:
    """The archive's record of one post from its page and/or its REST record."""
    if page is None or rest is None:
        only = page or rest
        if only is None:
            raise ValueError("merge_post needs the page, the REST record or both")
        return replace(only)
    body_from_rest = falls_short(page.text, rest.text)
    return replace(
        page,
        platform_id=rest.platform_id or page.platform_id,
        published=rest.published or page.published,
        modified=rest.modified or page.modified,
        authors=list(rest.authors or page.authors),
        categories=list(rest.categories or page.categories),
        # REST terms resolved: its taxonomies are the truth, an empty tag list included.
        tags=list(rest.tags) if rest.categories or rest.tags else list(page.tags),
        title=rest.title or page.title,
        text=rest.text if body_from_rest else page.text,
        html=rest.html if body_from_rest else page.html,
        links=list(rest.links if body_from_rest else page.links),
        images=list(rest.images if body_from_rest else page.images),
        url=page.url or rest.url,
    )


def merge_feed_body(post: Post, feed: Post | None) -> Post:
    """``post`` with the feed item's body when its own came out empty or far shorter."""
    if feed is None or not falls_short(post.text, feed.text):
        return post
    return replace(post, text=feed.text, html=feed.html, links=list(feed.links),
                   images=list(feed.images))

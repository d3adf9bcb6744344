"""Write single posts and their comment threads; shared by the generator and ``mutate``."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import texts
from .model import BlogPost, Comment, london_time
from .prose import texturize
from .topics import TOPICS

if TYPE_CHECKING:
    import random

    from .model import Author, Blog
    from .prose import Writer
    from .topics import Topic

SHORT_SHARE = 0.01  # share of posts that are short notices (at least two per blog)
VIDEO_SHARE = 0.06  # share of posts with an embedded video
TOPIC_BY_KEY = {t.key: t for t in TOPICS}


def slugify(title: str) -> str:
    """WordPress-style slug: accents and apostrophes dropped, other punctuation to hyphens."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    text = re.sub(r"['\u2019]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "post"


def unique_slug(slug: str, taken: set[str]) -> str:
    """Append -2, -3… as WordPress does when a slug is already in use."""
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    taken.add(candidate)
    return candidate


def post_path(published: datetime, slug: str) -> str:
    return f"/{published:%Y/%m/%d}/{slug}/"


def place(post: BlogPost, post_id: int, taken: set[str], base_url: str) -> None:
    """Give a drafted post its id, unique slug, path and permalink."""
    post.id = post_id
    post.slug = unique_slug(post.slug, taken)
    post.path = post_path(post.published, post.slug)
    post.permalink = base_url + post.path


def word_target(rng: random.Random) -> int:
    """Body length in words: mostly a few hundred, now and then a long read."""
    return int(rng.triangular(150, 900, 320))


def draft_post(
    writer: Writer,
    rng: random.Random,
    topic: Topic,
    author: Author,
    published: datetime,
    *,
    short: bool = False,
    words: int | None = None,
) -> BlogPost:
    """A new original post without id or address yet (see :func:`place`).

    ``short`` makes a one-line notice; ``words`` overrides the usual length draw.
    """
    slots = writer.context(topic, published)
    title = writer.title(topic, slots)
    if short:
        paragraphs = writer.short_paragraphs(slots)
    else:
        paragraphs = writer.paragraphs(topic, slots, words or word_target(rng))
    categories = [topic.category]
    if rng.random() < 0.2:
        categories.append(rng.choice([t.category for t in TOPICS if t.category != topic.category]))
    tags = [texturize(t) for t in rng.sample(list(topic.tags), rng.randint(1, len(topic.tags)))]
    return BlogPost(
        id=0,
        slug=slugify(title),
        path="",
        permalink="",
        title=title,
        author_login=author.login,
        author_name=author.name,
        published=published,
        modified=first_modified(rng, published),
        categories=categories,
        tags=tags,
        paragraphs=paragraphs,
        topic=topic.key,
        has_video=not short and rng.random() < VIDEO_SHARE,
    )


def first_modified(rng: random.Random, published: datetime) -> datetime:
    """Most posts are touched up within the hour; some are revisited days later."""
    if rng.random() < 0.15:
        return london_time(published + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600)))
    return london_time(published + timedelta(minutes=rng.randint(0, 50)))


def random_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """A London-time instant between ``start`` and ``end``, at a plausible hour for writing."""
    span = int((end - start).total_seconds())
    moment = start + timedelta(seconds=rng.randrange(max(span, 1)))
    moment = moment.replace(hour=rng.randint(7, 22), minute=rng.randint(0, 59), second=rng.randint(0, 59))
    return london_time(min(max(moment, start), end))


def thread(writer: Writer, rng: random.Random, post: BlogPost, count: int) -> list[Comment]:
    """``count`` comments after the post's date, some replying to earlier ones (ids are set later)."""
    comments: list[Comment] = []
    when = post.published
    for _ in range(count):
        when = london_time(when + timedelta(minutes=rng.randint(20, 60 * 48)))
        parent = rng.choice(comments) if comments and rng.random() < 0.35 else None
        if parent is not None and rng.random() < 0.5:
            author, text = post.author_name, _reply(writer, parent.author, post)
        else:
            author, text = writer.person(), _comment(writer, post)
        comments.append(Comment(id=0, parent_id=id(parent) if parent else None, author=author,
                                published=when, text=text))
    return comments


def comment_count(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.4:
        return 0
    if roll < 0.55:
        return 1
    return rng.randint(2, 9)


def number_comments(posts: list[BlogPost], first_id: int) -> int:
    """Number drafted comments (id 0) blog-wide in date order, as WordPress does; fix reply links.

    While drafted, ``parent_id`` holds ``id()`` of the parent object. Returns the next free id.
    """
    drafts = sorted((c for p in posts for c in p.comments if c.id == 0), key=lambda c: c.published)
    new_ids = {id(c): first_id + i for i, c in enumerate(drafts)}
    for comment in drafts:
        if comment.parent_id is not None:
            comment.parent_id = new_ids[comment.parent_id]
    for comment in drafts:
        comment.id = new_ids[id(comment)]
    return first_id + len(drafts)


def _comment(writer: Writer, post: BlogPost) -> str:
    slots = writer.context(TOPIC_BY_KEY.get(post.topic, TOPICS[0]), post.published)
    return writer.line(texts.COMMENTS, slots)


def _reply(writer: Writer, to: str, post: BlogPost) -> str:
    slots = writer.context(TOPIC_BY_KEY.get(post.topic, TOPICS[0]), post.published)
    slots["first"] = to.split()[0]
    return writer.line(texts.REPLIES, slots)


def next_post_id(blog: Blog) -> int:
    return max(p.id for p in [*blog.posts, blog.protected]) + 1


def next_comment_id(blog: Blog) -> int:
    ids = [c.id for p in blog.posts for c in p.comments]
    return max(ids, default=0) + 1

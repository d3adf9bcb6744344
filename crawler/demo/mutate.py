"""Make the next version of a blog: new posts, edited posts, deleted posts (for recrawl tests)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from . import texts
from .authoring import (
    TOPIC_BY_KEY,
    comment_count,
    draft_post,
    next_comment_id,
    next_post_id,
    number_comments,
    place,
    random_time,
    thread,
)
from .model import BlogChanges, Comment, london_time
from .prose import Writer
from .topics import TOPICS

if TYPE_CHECKING:
    from datetime import datetime

    from .model import Blog, BlogPost

EDIT_KINDS = ("update appended", "paragraph rewritten", "title changed")


def mutate_blog(blog: Blog, *, added: int, edited: int, deleted: int, seed: int | None = None,
                new_comments: int = 0) -> Blog:
    """A copy of ``blog`` one version on; ``changes`` lists the ids touched.

    Edits and deletions only touch plain originals that no planted repeat points at, so
    the repeat ground truth stays valid. Edited posts keep id and permalink, get a changed
    body (and maybe title) and a newer ``modified``; new posts are the newest on the blog.
    """
    if min(added, edited, deleted) < 0:
        raise ValueError("added, edited and deleted must not be negative")
    rng = random.Random(f"{blog.seed}:{blog.version}:{seed}")
    writer = Writer(rng, blog.borough, blog.wards, blog.groups)
    posts = [_copy(p) for p in blog.posts]
    eligible = _eligible(posts)
    if edited + deleted > len(eligible):
        raise ValueError(f"only {len(eligible)} posts can be edited or deleted, asked for {edited + deleted}")
    chosen = rng.sample(eligible, edited + deleted)
    now = london_time(blog.now + timedelta(days=rng.randint(4, 12)))
    changes = BlogChanges()
    for post in chosen[:edited]:
        changes.edit_kinds[post.id] = _edit(writer, rng, post, random_time(rng, blog.now, now))
        changes.edited.append(post.id)
    gone = {p.id for p in chosen[edited:]}
    changes.deleted = sorted(gone)
    taken = {p.slug for p in [*blog.posts, blog.protected]}
    new = _new_posts(writer, rng, blog, added, now, taken)
    changes.added = [p.id for p in new]
    untouched = [p for p in posts if p.id not in gone and p.id not in changes.edited]
    changes.commented = _comment_on(writer, rng, untouched, new_comments, blog, now)
    kept = [p for p in posts if p.id not in gone] + new
    return replace(
        blog,
        posts=sorted(kept, key=lambda p: p.published),
        protected=_copy(blog.protected),
        about=replace(blog.about),
        now=london_time(now + timedelta(hours=2)),
        version=blog.version + 1,
        changes=changes,
    )


def _comment_on(writer: Writer, rng: random.Random, posts: list[BlogPost], count: int,
                blog: Blog, now: datetime) -> list[int]:
    """Leave ``count`` new top-level comments on older posts; their text stays as it was."""
    chosen = rng.sample(posts, min(count, len(posts)))
    first = next_comment_id(blog)
    for offset, post in enumerate(chosen):
        when = random_time(rng, blog.now, now)
        post.comments.append(Comment(id=first + offset, parent_id=None, author=writer.person(),
                                     published=when,
                                     text=f"Any news on this? It came up again at the ward "
                                          f"meeting on {when:%d %B}, and nobody had an answer."))
    return sorted(p.id for p in chosen)


def _copy(post: BlogPost) -> BlogPost:
    """A post copy whose lists can change without touching the previous version."""
    return replace(post, paragraphs=list(post.paragraphs), categories=list(post.categories),
                   tags=list(post.tags), comments=list(post.comments))


def _eligible(posts: list[BlogPost]) -> list[BlogPost]:
    referenced = {p.repeat_of for p in posts if p.repeat_of is not None}
    return [p for p in posts if p.kind == "original" and p.id not in referenced]


def _edit(writer: Writer, rng: random.Random, post: BlogPost, when: datetime) -> tuple[str, ...]:
    """Change the body (and sometimes the title) the way authors revise a live post."""
    topic = TOPIC_BY_KEY.get(post.topic, TOPICS[0])
    slots = writer.context(topic, when)
    kind = rng.choice(EDIT_KINDS if len(post.paragraphs) >= 3 else EDIT_KINDS[::2])
    done: tuple[str, ...]
    if kind == "paragraph rewritten":
        at = rng.randrange(1, len(post.paragraphs) - 1)
        post.paragraphs[at] = writer.paragraphs(topic, slots, 40)[0]
        done = (kind,)
    else:
        post.paragraphs.append(writer.line(texts.UPDATE_LINES, slots))
        done = ("update appended",)
    if kind == "title changed":
        old = post.title
        while post.title == old:
            post.title = writer.title(topic, slots)
        done = (kind, *done)
    post.modified = when
    return done


def _new_posts(
    writer: Writer, rng: random.Random, blog: Blog, count: int, now: datetime, taken: set[str]
) -> list[BlogPost]:
    """``count`` new originals published between the previous version and ``now``."""
    authors = blog.authors
    times = sorted(random_time(rng, blog.now + timedelta(hours=1), now) for _ in range(count))
    new = []
    next_id = next_post_id(blog)
    for when in times:
        post = draft_post(writer, rng, rng.choice(TOPICS), rng.choice(authors), when)
        post.modified = max(post.modified, when)
        post.comments = thread(writer, rng, post, min(comment_count(rng), 2))
        post.comments = [c for c in post.comments if c.published < now]
        place(post, next_id, taken, blog.base_url)
        next_id += rng.choice([1, 2, 3])
        new.append(post)
    number_comments(new, next_comment_id(blog))
    return new

"""Plant labelled repeats: an exact repost, edited reposts, and posts quoting older ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from . import texts
from .authoring import TOPIC_BY_KEY, comment_count, draft_post, first_modified, slugify, thread
from .model import london_time
from .prose import add_typos

if TYPE_CHECKING:
    import random

    from .model import Author, BlogPost
    from .prose import Slots, Writer

# One entry per planted post; the generator reserves a long source post for each.
PLANTED = ("exact", "typos+update", "drop+intro", "title+typos", "quotes", "quotes")
SOURCE_WORDS = (480, 820)  # long enough that one dropped paragraph is a small change


def plant_repeats(
    writer: Writer,
    rng: random.Random,
    posts: list[BlogPost],
    sources: list[BlogPost],
    authors: list[Author],
    end: datetime,
) -> list[BlogPost]:
    """Return ``posts`` plus one repeat per :data:`PLANTED` entry, each of its own source.

    While ids are not assigned, ``repeat_of`` holds ``id()`` of the source object.
    """
    planted = []
    for plan, source in zip(PLANTED, sources):
        when = _later(rng, source.published, end)
        repeat = _MAKERS[plan](writer, rng, source, when, authors)
        repeat.repeat_of = id(source)
        repeat.comments = thread(writer, rng, repeat, comment_count(rng))
        planted.append(repeat)
    return [*posts, *planted]


def _later(rng: random.Random, published: datetime, end: datetime) -> datetime:
    """Months after the source, but inside the blog's window."""
    when = published + timedelta(days=rng.randint(75, 280), hours=rng.randint(1, 12))
    return london_time(min(when, end - timedelta(hours=rng.randint(1, 100))))


def _repost(rng: random.Random, source: BlogPost, when: datetime) -> BlogPost:
    """The source posted again as a new post: new date, fresh comments, same wording."""
    return replace(
        source,
        id=0,
        published=when,
        modified=first_modified(rng, when),
        paragraphs=list(source.paragraphs),
        categories=list(source.categories),
        tags=list(source.tags),
        comments=[],
        has_video=False,
    )


def _exact(writer: Writer, rng: random.Random, source: BlogPost, when: datetime, _a: list[Author]) -> BlogPost:
    post = _repost(rng, source, when)
    post.kind = "exact"
    return post


def _typos_update(writer: Writer, rng: random.Random, source: BlogPost, when: datetime, _a: list[Author]) -> BlogPost:
    post = _repost(rng, source, when)
    source.paragraphs = add_typos(source.paragraphs, rng)
    post.paragraphs.append(writer.line(texts.UPDATE_LINES, _slots(writer, source, when)))
    return _edited(post, ("typos fixed", "update appended"))


def _drop_intro(writer: Writer, rng: random.Random, source: BlogPost, when: datetime, _a: list[Author]) -> BlogPost:
    post = _repost(rng, source, when)
    del post.paragraphs[rng.randrange(1, len(post.paragraphs) - 1)]
    intro = writer.line(texts.INTRO_LINES, _slots(writer, source, when))
    post.paragraphs[0] = f"{intro} {post.paragraphs[0]}"
    return _edited(post, ("paragraph dropped", "intro added"))


def _title_typos(writer: Writer, rng: random.Random, source: BlogPost, when: datetime, _a: list[Author]) -> BlogPost:
    post = _repost(rng, source, when)
    source.paragraphs = add_typos(source.paragraphs, rng)
    topic = TOPIC_BY_KEY[source.topic]
    while post.title == source.title:
        post.title = writer.title(topic, _slots(writer, source, when))
    post.slug = slugify(post.title)
    return _edited(post, ("title changed", "typos fixed"))


def _quotes(writer: Writer, rng: random.Random, source: BlogPost, when: datetime, authors: list[Author]) -> BlogPost:
    """A new story that quotes 30–60% of the source's paragraphs inside fresh text."""
    total = len(source.paragraphs)
    low, high = -(-3 * total // 10), 6 * total // 10  # integer ceil(0.3 n) and floor(0.6 n)
    if low > high:
        raise ValueError(f"{source.slug!r} has too few paragraphs to quote 30-60% of them")
    count = rng.randint(low, high)
    picked = sorted(rng.sample(range(total), count))
    quoted = [source.paragraphs[i] for i in picked]
    quoted_words = sum(len(p.split()) for p in quoted)
    topic = TOPIC_BY_KEY[source.topic]
    post = draft_post(writer, rng, topic, rng.choice(authors), when, words=int(quoted_words * 1.6) + 150)
    lead = writer.line(texts.QUOTE_LEADS, _slots(writer, source, when))
    post.paragraphs[1:1] = [lead, *quoted]
    post.kind = "quotes"
    post.quoted_fraction = count / total
    post.has_video = False
    return post


def _edited(post: BlogPost, edits: tuple[str, ...]) -> BlogPost:
    post.kind = "edited"
    post.edits = edits
    return post


def _slots(writer: Writer, source: BlogPost, when: datetime) -> Slots:
    """Template values that point back to the source's date and story."""
    slots = writer.context(TOPIC_BY_KEY[source.topic], when)
    slots["month"] = texts.MONTHS[source.published.month - 1]
    slots["year"] = str(source.published.year)
    return slots


_MAKERS = {
    "exact": _exact,
    "typos+update": _typos_update,
    "drop+intro": _drop_intro,
    "title+typos": _title_typos,
    "quotes": _quotes,
}

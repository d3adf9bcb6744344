"""Generate a deterministic sample civic blog; ``write_site`` (from ``site``) renders it to files."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from . import texts
from .authoring import (
    SHORT_SHARE,
    comment_count,
    draft_post,
    number_comments,
    place,
    random_time,
    slugify,
    thread,
)
from .model import Author, Blog, BlogPost, Page, Term, london_time
from .prose import Writer, texturize
from .repeats import PLANTED, SOURCE_WORDS, plant_repeats
from .site import write_site
from .topics import CATEGORY_DESCRIPTIONS, TOPICS

__all__ = ["generate_blog", "write_site"]

START = datetime(2019, 1, 7, tzinfo=timezone.utc)
END = datetime(2025, 6, 30, tzinfo=timezone.utc)
ABOUT_ID = 2  # WordPress gives the sample page id 2
FIRST_POST_ID = 5
MIN_FOR_REPEATS = 12  # six planted posts need six sources


def generate_blog(
    n_posts: int = 60,
    seed: int = 0,
    *,
    base_url: str = "http://127.0.0.1:8000",
    plant: bool | None = None,
    start: datetime = START,
    end: datetime = END,
) -> Blog:
    """A sample blog of ``n_posts`` posts (planted repeats included), the same for the same seed.

    Args:
        n_posts: real posts to write; the About page and the protected post come on top.
        seed: everything (names, dates, prose) follows from it.
        base_url: where the blog will be served; :meth:`Blog.rebase` moves it later.
        plant: plant the labelled repeats (one exact, three edited, two quoting).
            ``None`` plants them when there are at least 12 posts.
        start, end: the posts' publication window (timezone-aware).
    """
    if n_posts < 1:
        raise ValueError(f"n_posts must be at least 1, got {n_posts}")
    if plant and n_posts < MIN_FOR_REPEATS:
        raise ValueError(f"planting repeats needs n_posts >= {MIN_FOR_REPEATS}, got {n_posts}")
    plant = n_posts >= MIN_FOR_REPEATS if plant is None else plant
    base = base_url.rstrip("/")
    rng = random.Random(seed)
    place = _Place.draw(rng)
    writer = Writer(rng, place.borough, place.wards, place.groups)
    authors = _authors(rng, writer, place.borough)
    categories, tags = _terms()
    posts = _posts(writer, rng, authors, n_posts, plant, start, end)
    protected = _protected_post(writer, rng, authors, start, end)
    _number(rng, [*posts, protected], base)
    number_comments(posts, first_id=rng.randint(2, 9))
    about = _about_page(writer, rng, base, start)
    latest = max(max(p.modified for p in posts), protected.modified)
    return Blog(
        base_url=base,
        name=place.name,
        tagline=place.tagline,
        borough=place.borough,
        seed=seed,
        authors=authors,
        categories=categories,
        tags=tags,
        posts=posts,
        about=about,
        protected=protected,
        now=london_time(latest + timedelta(hours=20)),
        wards=place.wards,
        groups=place.groups,
    )


@dataclass(frozen=True)
class _Place:
    """Where the blog is: its borough, wards and residents' groups, and its masthead."""

    borough: str
    wards: list[str]
    groups: list[str]
    name: str
    tagline: str

    @classmethod
    def draw(cls, rng: random.Random) -> _Place:
        borough = rng.choice(texts.BOROUGHS)
        names: set[str] = set()
        while len(names) < 12:
            names.add(rng.choice(texts.WARD_HEADS) + rng.choice(texts.WARD_TAILS))
        wards = sorted(names)
        groups = [f"{w} {rng.choice(texts.GROUP_KINDS)}" for w in rng.sample(wards, 5)]
        name = rng.choice(texts.BLOG_NAMES).format(borough=borough)
        return cls(borough, wards, groups, name, rng.choice(texts.TAGLINES).format(borough=borough))


def _posts(
    writer: Writer, rng: random.Random, authors: list[Author], count: int, plant: bool,
    start: datetime, end: datetime,
) -> list[BlogPost]:
    """All real posts, oldest first: plain ones, then the planted repeats slotted in by date."""
    n_plain = count - (len(PLANTED) if plant else 0)
    shapes, source_at = _shapes(rng, n_plain, plant)
    times = _timeline(rng, n_plain, start, end)
    posts = [_plain_post(writer, rng, authors, when, shape) for when, shape in zip(times, shapes)]
    if plant:
        posts = plant_repeats(writer, rng, posts, [posts[i] for i in source_at], authors, end)
    return sorted(posts, key=lambda p: p.published)


def _shapes(rng: random.Random, count: int, plant: bool) -> tuple[list[str], list[int]]:
    """Which posts are long repeat sources, which are short notices; and the sources' indexes.

    Sources come from the earlier part of the window so their repeats fit in it.
    """
    sources = rng.sample(range(max(len(PLANTED), count * 7 // 10)), len(PLANTED)) if plant else []
    others = [i for i in range(count) if i not in sources]
    wanted = max(2, round(count * SHORT_SHARE)) if count >= 20 else 0
    short = set(rng.sample(others, min(len(others), wanted)))
    shapes = ["source" if i in sources else "short" if i in short else "plain" for i in range(count)]
    return shapes, sources


def _authors(rng: random.Random, writer: Writer, borough: str) -> list[Author]:
    """Four to six writers; the first is the shared editorial account many civic blogs use."""
    count = rng.randint(4, 6)
    firsts = rng.sample(texts.FIRST_NAMES, count - 1)
    lasts = rng.sample(texts.SURNAMES, count - 1)
    people = [(f"{borough.lower()}-editor", f"{borough} Civic Desk")]
    people += [((first[0] + last).lower(), f"{first} {last}") for first, last in zip(firsts, lasts)]
    return [
        Author(i, login, name, writer.line(texts.BIOS, writer.context(TOPICS[0], START)))
        for i, (login, name) in enumerate(people, 1)
    ]


def _terms() -> tuple[list[Term], list[Term]]:
    """Categories then tags, numbered in one id space as WordPress terms are."""
    categories = [Term(1, "uncategorized", "Uncategorized", "category")]
    for name, description in CATEGORY_DESCRIPTIONS.items():
        categories.append(Term(len(categories) + 1, slugify(name), name, "category", description))
    names: list[str] = []
    for topic in TOPICS:
        names.extend(t for t in topic.tags if t not in names)
    tags = [Term(len(categories) + 1 + i, slugify(n), texturize(n), "post_tag") for i, n in enumerate(names)]
    return categories, tags


def _timeline(rng: random.Random, count: int, start: datetime, end: datetime) -> list[datetime]:
    return sorted(random_time(rng, start, end) for _ in range(count))


def _plain_post(
    writer: Writer, rng: random.Random, authors: list[Author], when: datetime, shape: str
) -> BlogPost:
    """An original post; ``shape`` is ``plain``, ``short`` (a notice) or ``source`` (long)."""
    topic = rng.choice(TOPICS)
    # The first authors write most: civic blogs usually have one or two regulars.
    author = rng.choices(authors, weights=[5, 4, *[1] * (len(authors) - 2)])[0]
    words = rng.randint(*SOURCE_WORDS) if shape == "source" else None
    post = draft_post(writer, rng, topic, author, when, short=shape == "short", words=words)
    post.comments = thread(writer, rng, post, comment_count(rng))
    return post


def _protected_post(
    writer: Writer, rng: random.Random, authors: list[Author], start: datetime, end: datetime
) -> BlogPost:
    """A members-only post behind a password: WordPress lists it, but it is not a post."""
    topic = next(t for t in TOPICS if t.key == "residents")
    when = random_time(rng, start + (end - start) / 2, end)
    post = draft_post(writer, rng, topic, authors[0], when)
    post.title = f"Notes for members: {post.title}"
    post.slug = slugify(post.title)
    post.password = f"members{rng.randint(100, 999)}"
    post.has_video = False
    return post


def _number(rng: random.Random, posts: list[BlogPost], base_url: str) -> None:
    """Ids grow with date but skip numbers, as revisions and attachments use them up."""
    taken: set[str] = set()
    next_id = FIRST_POST_ID
    for post in sorted(posts, key=lambda p: p.published):
        place(post, next_id, taken, base_url)
        next_id += rng.choice([1, 1, 2, 2, 3, 5])
    by_draft = {id(p): p for p in posts}
    for post in posts:
        if post.repeat_of is not None:
            post.repeat_of = by_draft[post.repeat_of].id


def _about_page(writer: Writer, rng: random.Random, base_url: str, start: datetime) -> Page:
    slots = writer.context(TOPICS[0], start)
    paragraphs = [writer.line([line], slots) for line in texts.ABOUT]
    published = london_time(start - timedelta(days=rng.randint(5, 40)))
    return Page(
        id=ABOUT_ID,
        slug="about",
        path="/about/",
        permalink=f"{base_url}/about/",
        title="About",
        paragraphs=paragraphs,
        published=published,
        modified=london_time(published + timedelta(days=rng.randint(30, 400))),
    )

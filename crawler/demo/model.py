"""Ground-truth dataclasses for a generated sample blog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from collections.abc import Iterator

RepeatKind = Literal["original", "exact", "edited", "quotes"]

_UTC = timezone.utc
_BST = timezone(timedelta(hours=1))


def _last_sunday(year: int, month: int) -> datetime:
    """Last Sunday of a month at 01:00 UTC, when UK clocks change."""
    day = datetime(year, month + 1, 1, 1, tzinfo=_UTC) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def london_time(utc: datetime) -> datetime:
    """Express a UTC instant with the offset London used then (+00:00 or +01:00).

    Computed from the EU summer-time rule so the output never depends on the
    host's time-zone database.
    """
    utc = utc.astimezone(_UTC)
    summer = _last_sunday(utc.year, 3) <= utc < _last_sunday(utc.year, 10)
    return utc.astimezone(_BST if summer else _UTC)


@dataclass
class Author:
    """A WordPress user who writes on the blog."""

    id: int
    login: str
    name: str
    bio: str


@dataclass
class Term:
    """A category or tag; ``taxonomy`` is ``"category"`` or ``"post_tag"`` as in WordPress."""

    id: int
    slug: str
    name: str
    taxonomy: str
    description: str = ""


@dataclass
class Comment:
    """One reader comment; ``parent_id`` is the comment replied to, or ``None`` at top level."""

    id: int
    parent_id: int | None
    author: str
    published: datetime
    text: str


@dataclass
class BlogPost:
    """One post exactly as a reader sees it, plus how it relates to older posts.

    ``kind`` says whether the post is an ``original``, an ``exact`` repost, an
    ``edited`` repost (``edits`` lists what changed) or a post that ``quotes``
    part of an older one (``quoted_fraction`` of that post's paragraphs);
    ``repeat_of`` is the older post's id for every kind but ``original``.
    """

    id: int
    slug: str
    path: str
    permalink: str
    title: str
    author_login: str
    author_name: str
    published: datetime
    modified: datetime
    categories: list[str]
    tags: list[str]
    paragraphs: list[str]
    comments: list[Comment] = field(default_factory=list)
    topic: str = ""
    kind: RepeatKind = "original"
    repeat_of: int | None = None
    edits: tuple[str, ...] = ()
    quoted_fraction: float | None = None
    has_video: bool = False
    password: str | None = None

    @property
    def text(self) -> str:
        """Body prose with paragraphs separated by a blank line (the crawler's ``Post.text`` shape)."""
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def shortlink(self) -> str:
        base = self.permalink[: len(self.permalink) - len(self.path)]
        return f"{base}/?p={self.id}"


@dataclass
class Page:
    """A static WordPress page (About): never a post."""

    id: int
    slug: str
    path: str
    permalink: str
    title: str
    paragraphs: list[str]
    published: datetime
    modified: datetime


@dataclass
class BlogChanges:
    """What :meth:`Blog.mutate` changed relative to the previous version (post ids).

    ``edit_kinds`` says, per edited id, what changed: ``"update appended"``,
    ``"paragraph rewritten"``, ``"title changed"``.
    """

    added: list[int] = field(default_factory=list)
    edited: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    edit_kinds: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # Posts that gained reader comments (their text and dates unchanged).
    commented: list[int] = field(default_factory=list)


@dataclass
class Blog:
    """A whole sample blog: its ground truth and everything needed to render it.

    ``posts`` are the real posts (oldest first); the About page and the
    password-protected post are kept apart because they are not posts.
    """

    base_url: str
    name: str
    tagline: str
    borough: str
    seed: int
    authors: list[Author]
    categories: list[Term]
    tags: list[Term]
    posts: list[BlogPost]
    about: Page
    protected: BlogPost
    now: datetime
    wards: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    version: int = 0
    changes: BlogChanges = field(default_factory=BlogChanges)

    def post(self, post_id: int) -> BlogPost:
        """The post with this WordPress id (``KeyError`` if absent)."""
        for post in self.posts:
            if post.id == post_id:
                return post
        raise KeyError(post_id)

    def author(self, login: str) -> Author:
        return next(a for a in self.authors if a.login == login)

    def term(self, name: str, taxonomy: str = "category") -> Term:
        """The category (or, with ``taxonomy="post_tag"``, the tag) called ``name``."""
        return self._terms[(taxonomy, name)]

    @cached_property
    def _terms(self) -> dict[tuple[str, str], Term]:
        # Terms never change between versions, so a per-object index is safe to keep.
        return {(t.taxonomy, t.name): t for t in [*self.categories, *self.tags]}

    def entries(self) -> list[BlogPost]:
        """Everything WordPress lists as a post, newest first, protected post included."""
        return sorted([*self.posts, self.protected], key=lambda p: (p.published, p.id), reverse=True)

    def repeats(self) -> list[BlogPost]:
        """The planted repeats (every post whose ``kind`` is not ``original``)."""
        return [p for p in self.posts if p.kind != "original"]

    def duplicate_groups(self) -> list[list[int]]:
        """Ids of each duplicate-story cluster (original first), from the exact and edited reposts."""
        groups: dict[int, list[int]] = {}
        for post in self.posts:
            if post.kind in ("exact", "edited") and post.repeat_of is not None:
                groups.setdefault(post.repeat_of, [post.repeat_of]).append(post.id)
        return list(groups.values())

    def related_pairs(self) -> list[tuple[int, int, float]]:
        """``(quoting id, quoted id, quoted fraction)`` for each text-reuse post."""
        return [
            (p.id, p.repeat_of, p.quoted_fraction or 0.0)
            for p in self.posts
            if p.kind == "quotes" and p.repeat_of is not None
        ]

    def rebase(self, base_url: str) -> Blog:
        """Move the blog to ``base_url`` in place (every permalink follows) and return it."""
        base_url = base_url.rstrip("/")
        self.base_url = base_url
        for item in self._addressed():
            item.permalink = base_url + item.path
        return self

    def mutate(
        self, added: int = 10, edited: int = 5, deleted: int = 2, seed: int | None = None,
        new_comments: int = 0,
    ) -> Blog:
        """A new version of the blog with posts added, edited and deleted, and
        ``new_comments`` reader comments left on older posts (see ``changes``)."""
        from .mutate import mutate_blog  # the generator imports this module

        return mutate_blog(self, added=added, edited=edited, deleted=deleted, seed=seed,
                           new_comments=new_comments)

    def _addressed(self) -> Iterator[BlogPost | Page]:
        yield from self.posts
        yield self.protected
        yield self.about

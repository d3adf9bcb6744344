"""Typed results of page extraction: what a page object says a page is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Comment:
    """One reader comment; ``parent_id`` links a threaded reply to its parent's ``platform_id``."""

    text: str
    author: str | None = None
    published: datetime | None = None
    platform_id: str | None = None
    parent_id: str | None = None


@dataclass
class Post:
    """One article as its author published it.

    ``text`` is clean prose with paragraphs separated by a blank line; ``html`` is the
    sanitized body. Datetimes are timezone-aware or ``None`` — never the crawl time.
    """

    url: str
    title: str
    text: str
    html: str = ""
    canonical_url: str | None = None
    authors: list[str] = field(default_factory=list)
    published: datetime | None = None
    modified: datetime | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    platform: str = "generic"
    platform_id: str | None = None
    language: str | None = None
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


@dataclass
class Listing:
    """A page that shows several posts (home, category, tag, date archive, search).

    ``permalinks`` are the posts' own addresses as linked from their blocks; ``next_pages``
    are pagination links ("Older posts", rel=next, /page/N/).
    """

    url: str
    permalinks: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)


@dataclass
class NotAPost:
    """A page that is not an article: static page, attachment, author page, protected post…"""

    url: str
    reason: str
    links: list[str] = field(default_factory=list)
    #: The response was no HTML page at all (another media type, binary, empty).
    not_html: bool = False


@dataclass
class PostItem:
    """A post ready for the archive, with every route that led to it and its other addresses."""

    post: Post
    routes: set[str] = field(default_factory=set)
    aliases: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class AliasItem:
    """A route that reached an already archived post's address after the post was saved."""

    url: str
    route: str


@dataclass
class GoneItem:
    """A post permalink that now answers 404 or 410."""

    url: str
    status: int

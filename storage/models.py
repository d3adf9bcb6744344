"""Typed SQLAlchemy 2 models of the archive: sites, runs, captures, posts and their kin."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Stable constraint names let Alembic compare and alter tables on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on every backend.

    SQLite has no time zone type, so values are stored as naive UTC and come back
    marked UTC; PostgreSQL keeps ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: archive datetimes must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


post_terms = Table(
    "post_terms",
    Base.metadata,
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    Column("term_id", ForeignKey("terms.id", ondelete="CASCADE"), primary_key=True),
)


class Meta(Base):
    """Key/value facts about the archive itself (identity, dedupe parameters)."""

    __tablename__ = "archive_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Meta({self.key!r}={self.value!r})"


class Site(Base):
    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    # Where the name came from: user (--name, never replaced), blog (as the blog states it,
    # refreshed each crawl) or address (its host, until the blog says).
    name_source: Mapped[str] = mapped_column(String(8), default="address")
    description: Mapped[str | None] = mapped_column(Text)
    platform: Mapped[str | None] = mapped_column(String(32))
    # Other hosts the blog has lived on; fetches there count as on-site.
    aliases: Mapped[list[str]] = mapped_column(default=list)
    # Per-site crawl settings (Scrapy setting names → values), e.g. DOWNLOAD_DELAY.
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    posts: Mapped[list[Post]] = relationship(back_populates="site", passive_deletes=True)

    def __repr__(self) -> str:
        return f"Site(id={self.id!r}, url={self.url!r})"


class CrawlRun(Base):
    __tablename__ = "crawl_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    # running | finished | partial | failed | interrupted
    status: Mapped[str] = mapped_column(String(16), default="running")
    # Counters: pages fetched, posts new/changed/gone, duplicates, errors by kind, skips by reason.
    stats: Mapped[dict[str, Any]] = mapped_column(default=dict)

    def __repr__(self) -> str:
        return f"CrawlRun(id={self.id!r}, site_id={self.site_id!r}, status={self.status!r})"


class FetchFailure(Base):
    """A URL whose last answer was a failure: it is owed to the archive and asked for again.

    One row per site and normal-form URL; the row goes when the URL answers properly.
    ``failures`` counts the runs in a row that ended with it failing (for the backoff);
    ``callback`` and ``meta`` say how the spider asks for it again (which parser, which page).
    """

    __tablename__ = "fetch_failures"
    __table_args__ = (UniqueConstraint("site_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(2048))
    url: Mapped[str] = mapped_column(String(2048))
    # What was expected there: post, link, listing_page, feed, sitemap, rest, rest_terms.
    kind: Mapped[str] = mapped_column(String(16))
    callback: Mapped[str] = mapped_column(String(40))
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reason: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(default=1)
    first_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"FetchFailure(url={self.url!r}, reason={self.reason!r}, failures={self.failures!r})"


class Capture(Base):
    """One HTTP response exactly as received, so posts can be re-extracted without a recrawl."""

    __tablename__ = "captures"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("crawl_runs.id", ondelete="SET NULL"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), index=True)
    final_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[int]
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    # zlib-compressed raw body; ``sha256`` is of the uncompressed bytes. A page requisite
    # whose bytes another capture already holds is stored once: its body here is empty
    # (``size`` still the real size) and ``repo.capture_body`` reads the other's.
    body: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)

    def __repr__(self) -> str:
        return f"Capture(id={self.id!r}, url={self.url!r}, status={self.status!r})"


class Cluster(Base):
    """A duplicate story: different posts telling the same story, one of them canonical."""

    __tablename__ = "clusters"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Clusters and posts refer to each other: this side of the cycle is deferred (checked at
    # commit), so a story and its canonical post can be written in either order, and
    # ``use_alter`` lets create_all add it once both tables exist.
    canonical_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL", deferrable=True, initially="DEFERRED",
                   use_alter=True),
        index=True,
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    members: Mapped[list[Post]] = relationship(
        back_populates="cluster", foreign_keys="Post.cluster_id"
    )

    def __repr__(self) -> str:
        return f"Cluster(id={self.id!r}, canonical_post_id={self.canonical_post_id!r})"


class Post(Base):
    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("site_id", "canonical_url"),
        Index("ix_posts_site_platform_id", "site_id", "platform_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    canonical_url: Mapped[str] = mapped_column(String(2048))
    platform_id: Mapped[str | None] = mapped_column(String(64))
    # post | page: static pages are kept apart and left out of exports by default.
    kind: Mapped[str] = mapped_column(String(16), default="post")
    title: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(300), index=True)
    authors: Mapped[list[str]] = mapped_column(default=list)
    published: Mapped[datetime | None] = mapped_column(index=True)
    modified: Mapped[datetime | None]
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)
    links: Mapped[list[str]] = mapped_column(default=list)
    images: Mapped[list[str]] = mapped_column(default=list)
    # sha256 of title + text as stored: a change means a new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    # Dedupe fingerprint (see dedupe.Fingerprint) and the parameters it was made with.
    norm_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    paragraph_hashes: Mapped[bytes | None] = mapped_column(LargeBinary)
    dedupe_params: Mapped[str | None] = mapped_column(String(128))
    # Words of the normalized text, as the fingerprint counts them (the index routes very
    # short posts by it); ``word_count`` is the visible text's.
    fingerprint_words: Mapped[int | None]
    # live | gone: gone posts stay in the archive with the date they vanished.
    status: Mapped[str] = mapped_column(String(8), default="live", index=True)
    gone_at: Mapped[datetime | None]
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("clusters.id", ondelete="SET NULL"), index=True
    )
    cluster_similarity: Mapped[float | None] = mapped_column(Float)
    cluster_method: Mapped[str | None] = mapped_column(String(16))

    site: Mapped[Site] = relationship(back_populates="posts")
    cluster: Mapped[Cluster | None] = relationship(back_populates="members", foreign_keys=[cluster_id])
    urls: Mapped[list[PostUrl]] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True
    )
    versions: Mapped[list[PostVersion]] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True,
        order_by="PostVersion.number",
    )
    comments: Mapped[list[Comment]] = relationship(
        back_populates="post", cascade="all, delete-orphan", passive_deletes=True
    )
    terms: Mapped[list[Term]] = relationship(secondary=post_terms)

    def __repr__(self) -> str:
        return f"Post(id={self.id!r}, url={self.canonical_url!r})"


class PostVersion(Base):
    """An earlier or current state of one post's title and body (history, not duplicates)."""

    __tablename__ = "post_versions"
    __table_args__ = (UniqueConstraint("post_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    modified: Mapped[datetime | None]
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="versions")

    def __repr__(self) -> str:
        return f"PostVersion(post_id={self.post_id!r}, number={self.number!r})"


class PostUrl(Base):
    """An address of a post: its permalink or an alias, with the route(s) that found it."""

    __tablename__ = "post_urls"
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    # Comma-separated, sorted route names: canonical, rest, sitemap, feed, listing, shortlink…
    found_via: Mapped[str] = mapped_column(String(200), default="")
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="urls")

    def __repr__(self) -> str:
        return f"PostUrl(url={self.url!r}, post_id={self.post_id!r})"


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (UniqueConstraint("post_id", "platform_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    author: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[datetime | None]
    text: Mapped[str] = mapped_column(Text)

    post: Mapped[Post] = relationship(back_populates="comments")
    parent: Mapped[Comment | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"Comment(id={self.id!r}, post_id={self.post_id!r})"


class PostRequisite(Base):
    """Something a post's page needs to show as published: an image in the post, a stylesheet,
    script or font; with what became of it (stored, or skipped and why)."""

    __tablename__ = "post_requisites"
    __table_args__ = (UniqueConstraint("post_id", "url"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2048), index=True)
    # image | stylesheet | script | font
    kind: Mapped[str] = mapped_column(String(16))
    # Order on the page within its kind (images in the post's order).
    position: Mapped[int] = mapped_column(default=0)
    # stored | skipped
    status: Mapped[str] = mapped_column(String(8))
    # Why it was skipped: offsite, data_uri, status_404, wrong_type, too_large, budget, …
    reason: Mapped[str | None] = mapped_column(String(64))
    capture_id: Mapped[int | None] = mapped_column(
        ForeignKey("captures.id", ondelete="SET NULL"), index=True)
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"PostRequisite(post_id={self.post_id!r}, {self.kind} {self.url!r}: {self.status})"


class Term(Base):
    """A category or tag of one site."""

    __tablename__ = "terms"
    __table_args__ = (UniqueConstraint("site_id", "taxonomy", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    taxonomy: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"Term({self.taxonomy}:{self.name!r})"


class Relation(Base):
    """Text reuse: ``post`` reuses ``shared_fraction`` of ``source``'s paragraphs, or shares
    sentences with it (``method`` "sentences"); never merged."""

    __tablename__ = "relations"
    __table_args__ = (UniqueConstraint("post_id", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    shared_fraction: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(16))
    #: Sentences both posts hold (normalized words), longest first; None before 0003.
    shared_sentences: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    found_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"Relation({self.post_id!r} reuses {self.source_id!r}: {self.shared_fraction:.2f})"


class QueueEntry(Base):
    """A site waiting for, or held by, a crawl worker (``civic-archive worker``).

    One row per site: the site is the unit of work, so one worker at a time crawls it and its
    politeness (delay, robots.txt, Retry-After) holds across the fleet. A worker holds a lease
    that it renews while it crawls; a lease past ``lease_expires_at`` is free to take again.
    """

    __tablename__ = "crawl_queue"
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"),
                                         primary_key=True)
    # pending | running | done | failed
    state: Mapped[str] = mapped_column(String(8), index=True)
    full: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(default=0)
    enqueued_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A failed attempt backs off: the site is not taken again before this time.
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"QueueEntry(site_id={self.site_id!r}, state={self.state!r}, owner={self.lease_owner!r})"


class DedupeLog(Base):
    """Posts in the order they were matched, so a crawl in another process can bring its
    in-memory dedupe index up to date (``crawler.shared_index``).

    Rows are written under the archive's dedupe lock, so ``seq`` follows commit order.
    """

    __tablename__ = "dedupe_log"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)

    def __repr__(self) -> str:
        return f"DedupeLog(seq={self.seq!r}, post_id={self.post_id!r})"


__all__ = [
    "Base", "Meta", "Site", "CrawlRun", "Capture", "Cluster", "Post", "PostVersion",
    "PostUrl", "Comment", "Term", "Relation", "PostRequisite", "QueueEntry", "DedupeLog",
    "post_terms", "UTCDateTime",
]

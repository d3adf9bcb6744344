"""Full-text search of the archive: post titles and bodies, or comments, ranked.

The query language is in :mod:`storage.search_query`, the SQL in :mod:`storage.search_sql`;
this module resolves the filters, runs the statement and returns typed hits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage import search_sql
from storage.db import ArchiveError
from storage.search_filters import DEFAULT_FILTERS, Filters, resolve_sites
from storage.search_query import Query, parse
from storage.search_sql import MARK_END, MARK_START, SearchRequest

DEFAULT_HIGHLIGHT = ("[", "]")
CANDIDATE_SLACK = 50


@dataclass
class PostHit:
    """A matching post; ``copies`` counts the other members of its story cluster."""

    id: int
    url: str
    title: str
    site: str
    site_name: str
    author: str | None
    published: datetime | None
    status: str
    kind: str
    cluster: int | None
    copies: int
    score: float
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CommentHit:
    """A matching comment and the post it was left on."""

    id: int
    post_id: int
    post_title: str
    post_url: str
    site: str
    site_name: str
    author: str | None
    published: datetime | None
    parent_id: int | None
    score: float
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


POST_HIT_FIELDS = tuple(f.name for f in fields(PostHit))
COMMENT_HIT_FIELDS = tuple(f.name for f in fields(CommentHit))


def prepare(session: Session, text: str, filters: Filters = DEFAULT_FILTERS, **options: Any) -> SearchRequest:
    """Parse ``text`` and resolve ``filters`` into a request.

    :param options: ``target``, ``sort``, ``limit``, ``offset``, ``all_copies``
        (see :class:`~storage.search_sql.SearchRequest`).
    :raises ValueError: for a query or option that cannot be searched.
    :raises ArchiveError: for a ``--site`` the archive does not know.
    """
    query = parse(text)
    return SearchRequest(query=query, filters=filters,
                         site_ids=resolve_sites(session, filters.sites), **options)


def plan(request: SearchRequest) -> SearchRequest:
    """The first statement to try: for a relevance-ranked post search that only status
    and kind narrow, rank just the best few hundred matches before filtering and
    collapsing stories, as a raw FTS query would. :func:`run` falls back to ranking every
    match when too few of those survive."""
    if (request.target != "posts" or request.sort != "relevance"
            or request.filters.narrowing or request.candidates is not None):
        return request
    return replace(request, candidates=2 * (request.offset + request.limit) + CANDIDATE_SLACK)


def statement(session: Session, request: SearchRequest) -> Select:
    return search_sql.build(_dialect(session), request)


def sql_text(session: Session, request: SearchRequest) -> tuple[str, dict[str, object]]:
    """The SQL and parameters :func:`run` sends first (for ``--sql``)."""
    return search_sql.render(statement(session, plan(request)), session.get_bind().dialect)


def run(session: Session, request: SearchRequest,
        highlight: tuple[str, str] = DEFAULT_HIGHLIGHT) -> list[PostHit] | list[CommentHit]:
    """Execute ``request``; snippets mark matches with ``highlight`` (start, end)."""
    if _dialect(session) == "postgresql":
        _check_lexemes(session, request.query)
    first = plan(request)
    rows = _rows(session, first)
    if first is not request and len(rows) < request.limit and _left_out(session, first):
        rows = _rows(session, request)
    hit = CommentHit if request.target == "comments" else PostHit
    return [hit(**{**row, "snippet": _mark(row["snippet"], highlight)}) for row in rows]  # type: ignore[misc]


def _rows(session: Session, request: SearchRequest) -> Sequence[Any]:
    try:
        return session.execute(statement(session, request)).mappings().all()
    except DBAPIError as exc:
        raise _explain(exc) from None


def _left_out(session: Session, request: SearchRequest) -> bool:
    # A short page is final when every match was a candidate (a rare query): checking that
    # costs a count, re-ranking costs a second full search.
    try:
        return bool(session.scalar(search_sql.candidates_full(_dialect(session), request)))
    except DBAPIError as exc:
        raise _explain(exc) from None


def search(session: Session, text: str, filters: Filters = DEFAULT_FILTERS, *,
           highlight: tuple[str, str] = DEFAULT_HIGHLIGHT,
           **options: Any) -> list[PostHit] | list[CommentHit]:
    """Search the archive: :func:`prepare` then :func:`run`.

    >>> search(session, 'council "parish budget" -draft', Filters(sites=("harrow",)))
    """
    return run(session, prepare(session, text, filters, **options), highlight)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _mark(snippet: str | None, highlight: tuple[str, str]) -> str:
    if not snippet:
        return ""
    return snippet.replace(MARK_START, highlight[0]).replace(MARK_END, highlight[1])


def _check_lexemes(session: Session, query: Query) -> None:
    # PostgreSQL drops stopwords; a query made only of them would silently match nothing
    # (and with exclusions alone, everything), so say so instead.
    wanted = Query(query.include)
    if not session.scalar(search_sql.lexeme_count(wanted)):
        raise ValueError(f"every word of {str(wanted)!r} is too common to be indexed "
                         "(a stopword such as 'the'); add a more specific word")


def _explain(exc: DBAPIError) -> Exception:
    message = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "posts_fts" in message or "comments_fts" in message or "search_vector" in message:
        return ArchiveError("this archive has no search index yet: run `civic-archive db upgrade`")
    return ArchiveError(f"search failed: {message}")

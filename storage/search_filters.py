"""Filters shared by search and export: which posts a command looks at."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import ColumnElement, FromClause, and_, func, or_, select
from sqlalchemy.orm import Session

from storage.db import ArchiveError
from storage.models import Cluster, Post, Term, post_terms
from storage.repo import find_site

STATUSES = ("live", "gone", "all")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Filters:
    """Which posts to consider. Repeated values of one filter mean "any of them".

    ``since`` is inclusive and ``until`` exclusive; :func:`parse_date` turns a typed day,
    month or year into the right bound, so ``--until 2024-03`` keeps all of March.
    """

    sites: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    status: str = "live"
    include_pages: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} must be timezone-aware: {value!r}")
        if self.since and self.until and self.since >= self.until:
            raise ValueError(f"empty date range: since {self.since:%Y-%m-%d %H:%M} is not "
                             f"before until {self.until:%Y-%m-%d %H:%M}")

    @property
    def narrowing(self) -> bool:
        """Whether anything beyond status and kind limits the posts."""
        return bool(self.sites or self.authors or self.tags or self.categories
                    or self.since or self.until)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for manifests."""
        data = asdict(self)
        for name in ("since", "until"):
            data[name] = data[name].isoformat() if data[name] else None
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


DEFAULT_FILTERS = Filters()


def parse_date(value: str, *, end: bool = False) -> datetime:
    """``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO datetime, as a UTC bound.

    :param end: give the exclusive end of the period (the next day, month or year).
    :raises ValueError: for anything else.
    """
    match = _DATE.match(value.strip())
    if match is None:
        return _parse_datetime(value)
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        start = datetime(year, month or 1, day or 1, tzinfo=timezone.utc)  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from None
    if not end:
        return start
    if day:
        return start + timedelta(days=1)
    if month:
        return start.replace(year=year + month // 12, month=month % 12 + 1)  # type: ignore[operator]
    return start.replace(year=year + 1)  # type: ignore[operator]


def _parse_datetime(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM, YYYY-MM-DD or "
                         "an ISO 8601 date and time)") from None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def resolve_sites(session: Session, refs: Sequence[str]) -> tuple[int, ...]:
    """Site ids for ``--site`` values (id, registered URL or name).

    :raises ArchiveError: naming the first reference no site answers to.
    """
    ids = []
    for ref in refs:
        site = find_site(session, ref)
        if site is None:
            raise ArchiveError(f"no site {ref!r} in the archive (see `civic-archive site list`)")
        ids.append(site.id)
    return tuple(dict.fromkeys(ids))


def _has_term(posts: FromClause, taxonomy: str, names: Sequence[str]) -> ColumnElement[bool]:
    terms = Term.__table__
    wanted = select(terms.c.id).where(terms.c.taxonomy == taxonomy,
                                      func.lower(terms.c.name).in_([n.lower() for n in names]))
    return select(post_terms.c.post_id).where(
        post_terms.c.post_id == posts.c.id, post_terms.c.term_id.in_(wanted)).exists()


def post_clauses(filters: Filters, site_ids: Sequence[int], posts: FromClause | None = None,
                 *, own_fields: bool = True) -> list[ColumnElement[bool]]:
    """WHERE clauses selecting the filtered posts of ``posts`` (the table or an alias).

    :param own_fields: also filter on the post's author and publication date; comment
        search passes ``False`` and applies those to the comment instead.
    """
    p = Post.__table__ if posts is None else posts
    clauses: list[ColumnElement[bool]] = []
    if filters.status != "all":
        clauses.append(p.c.status == filters.status)
    if not filters.include_pages:
        clauses.append(p.c.kind == "post")
    if site_ids:
        clauses.append(p.c.site_id.in_(list(site_ids)))
    if filters.tags:
        clauses.append(_has_term(p, "tag", filters.tags))
    if filters.categories:
        clauses.append(_has_term(p, "category", filters.categories))
    if own_fields:
        clauses += dated_clauses(filters, p.c.author, p.c.published)
    return clauses


def dated_clauses(filters: Filters, author: Any, published: Any) -> list[ColumnElement[bool]]:
    """Author (case-insensitive) and date-range clauses over the given columns."""
    clauses: list[ColumnElement[bool]] = []
    if filters.authors:
        clauses.append(func.lower(author).in_([a.lower() for a in filters.authors]))
    if filters.since:
        clauses.append(published >= filters.since)
    if filters.until:
        clauses.append(published < filters.until)
    return clauses


# Built once: making an alias copies every column, which costs more than the query itself
# for a rare word.
RIVAL = Post.__table__.alias("rival")


def representative(filters: Filters, site_ids: Sequence[int],
                   also: Callable[[FromClause], list[ColumnElement[bool]]] = lambda q: []
                   ) -> ColumnElement[bool]:
    """True for the one post that stands for its story: the canonical member when it is
    selected, otherwise the lowest-id selected member. Posts outside clusters stand for
    themselves. Needs ``posts`` outer-joined to ``clusters`` on ``cluster_id``.

    :param also: further conditions a rival member must meet to be selected (search passes
        "matches the query").
    """
    posts, clusters = Post.__table__, Cluster.__table__
    rival = RIVAL
    canonical = func.coalesce(clusters.c.canonical_post_id, 0)
    rival_wins = or_(rival.c.id == canonical, and_(posts.c.id != canonical, rival.c.id < posts.c.id))
    better = (select(rival.c.id)
              .where(rival.c.cluster_id == posts.c.cluster_id, rival.c.id != posts.c.id, rival_wins,
                     *post_clauses(filters, site_ids, rival), *also(rival)).exists())
    return or_(posts.c.cluster_id.is_(None), ~better)

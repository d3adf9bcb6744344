"""What the archive holds, in numbers, for ``civic-archive stats``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, extract, func, select
from sqlalchemy.orm import Session

from storage.models import Capture, Cluster, CrawlRun, Post, Relation, Site
from storage.repo import summary


def archive_stats(session: Session, *, top: int = 10, runs: int = 5) -> dict[str, Any]:
    """Totals; posts per site, year and author (``top`` authors); clusters; text reuse;
    captures; the last ``runs`` crawl runs."""
    return {
        "totals": {k: v for k, v in summary(session).items() if k != "last_run"},
        "sites": _per_site(session),
        "years": _per_year(session),
        "authors": _top_authors(session, top),
        "clusters": _clusters(session),
        "related": _related(session),
        "captures": _captures(session),
        "runs": _last_runs(session, runs),
    }


def _per_site(session: Session) -> list[dict[str, Any]]:
    def count(*where: ColumnElement[bool]) -> Any:
        return func.count(Post.id).filter(*where)

    rows = session.execute(
        select(Site.id, Site.url, Site.name, count(Post.kind == "post"), count(Post.kind == "page"),
               count(Post.status == "gone"), func.min(Post.published), func.max(Post.published))
        .outerjoin(Post, Post.site_id == Site.id).group_by(Site.id, Site.url, Site.name)
        .order_by(Site.id))
    return [{"id": i, "site": url, "name": name, "posts": posts, "pages": pages, "gone": gone,
             "first_published": first, "last_published": last}
            for i, url, name, posts, pages, gone, first, last in rows]


def _year(session: Session) -> ColumnElement[Any]:
    # Years in UTC on both backends (PostgreSQL would use the session's time zone).
    if session.get_bind().dialect.name == "postgresql":
        return extract("year", func.timezone("UTC", Post.published))
    return extract("year", Post.published)


def _per_year(session: Session) -> list[dict[str, Any]]:
    year = _year(session).label("year")
    rows = session.execute(select(year, func.count()).where(Post.kind == "post")
                           .group_by(year).order_by(year))
    return [{"year": int(y) if y is not None else None, "posts": n} for y, n in rows]


def _top_authors(session: Session, top: int) -> list[dict[str, Any]]:
    n = func.count().label("n")
    rows = session.execute(select(Post.author, n).where(Post.kind == "post", Post.author.is_not(None))
                           .group_by(Post.author).order_by(n.desc(), Post.author).limit(top))
    return [{"author": a, "posts": count} for a, count in rows]


def _clusters(session: Session) -> dict[str, Any]:
    sizes = (select(Post.cluster_id, func.count().label("size"))
             .where(Post.cluster_id.is_not(None)).group_by(Post.cluster_id).subquery())
    clusters, members, largest = session.execute(
        select(func.count(), func.coalesce(func.sum(sizes.c.size), 0), func.max(sizes.c.size))).one()
    methods = session.execute(select(Post.cluster_method, func.count())
                              .where(Post.cluster_id.is_not(None)).group_by(Post.cluster_method))
    return {"clusters": session.scalar(select(func.count()).select_from(Cluster)),
            "with_members": clusters, "clustered_posts": int(members), "largest": largest or 0,
            "by_method": {m or "unknown": n for m, n in methods}}


def _related(session: Session) -> dict[str, Any]:
    pairs, mean = session.execute(select(func.count(), func.avg(Relation.shared_fraction))).one()
    return {"pairs": pairs, "mean_shared_fraction": round(float(mean), 3) if mean else None}


def _captures(session: Session) -> dict[str, Any]:
    count, size = session.execute(select(func.count(), func.coalesce(func.sum(Capture.size), 0))).one()
    statuses = session.execute(select(Capture.status, func.count()).group_by(Capture.status)
                               .order_by(Capture.status))
    return {"captures": count, "bytes": int(size), "by_status": {str(s): n for s, n in statuses}}


def _last_runs(session: Session, limit: int) -> list[dict[str, Any]]:
    rows = session.execute(select(CrawlRun, Site.name).outerjoin(Site, Site.id == CrawlRun.site_id)
                           .order_by(CrawlRun.id.desc()).limit(limit))
    return [{"id": run.id, "site": name, "status": run.status, "started_at": run.started_at,
             "finished_at": run.finished_at, "stats": run.stats} for run, name in rows]

"""The shared crawl queue: whole sites leased to workers, in the archive's own database.

A site is the unit of work (see README, "Running on many machines"): each row of
``crawl_queue`` is one site, taken by one worker at a time under a lease the worker renews
while it crawls. Taking a site is ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so any
number of workers can ask at once and each gets a different site without waiting on the
others. Times come from the database server's clock, so workers' clocks need not agree.

Every function takes the caller's session and never commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from storage.models import QueueEntry, Site, utcnow

STATES = ("pending", "running", "done", "failed")


@dataclass(frozen=True)
class Lease:
    """A site a worker holds: what to crawl and how many times it has been tried."""

    site_id: int
    site_url: str
    full: bool
    attempt: int


def now(session: Session) -> datetime:
    """The database server's time (PostgreSQL), else this machine's."""
    if session.get_bind().dialect.name == "postgresql":
        return session.scalar(select(func.now()))
    return utcnow()


def enqueue(session: Session, sites: Iterable[Site], *, full: bool = False) -> dict[str, int]:
    """Queue ``sites`` for a crawl. A site already pending or running is left as it is (one
    crawl of a site at a time); a done or failed one is queued again with fresh attempts.

    :returns: counts of ``queued`` and ``already`` (pending or running).
    """
    counts = {"queued": 0, "already": 0}
    at = now(session)
    for site in sites:
        entry = session.get(QueueEntry, site.id, with_for_update=True)
        if entry is None:
            entry = QueueEntry(site_id=site.id)
            session.add(entry)
        elif entry.state in ("pending", "running"):
            counts["already"] += 1
            continue
        entry.state, entry.full, entry.attempts = "pending", full, 0
        entry.enqueued_at = entry.not_before = at
        entry.lease_owner = entry.lease_expires_at = entry.last_error = None
        entry.started_at = entry.heartbeat_at = entry.finished_at = None
        counts["queued"] += 1
    session.flush()
    return counts


def claim(session: Session, owner: str, lease: timedelta) -> Lease | None:
    """Take the next site that is due (pending and past its back-off, or running under a
    lease that expired: its worker died) for ``owner``; ``None`` when nothing is due.

    Rows other workers are taking at this moment are skipped, not waited for.
    """
    at = now(session)
    due = or_(and_(QueueEntry.state == "pending", QueueEntry.not_before <= at),
              and_(QueueEntry.state == "running", QueueEntry.lease_expires_at < at))
    entry = session.scalar(select(QueueEntry).where(due)
                           .order_by(QueueEntry.not_before, QueueEntry.site_id)
                           .limit(1).with_for_update(skip_locked=True))
    if entry is None:
        return None
    entry.state, entry.lease_owner = "running", owner
    entry.attempts += 1
    entry.started_at = entry.heartbeat_at = at
    entry.lease_expires_at = at + lease
    site = session.get_one(Site, entry.site_id)
    session.flush()
    return Lease(site.id, site.url, entry.full, entry.attempts)


def _held(site_id: int, owner: str):  # noqa: ANN202 - an SQL condition
    return and_(QueueEntry.site_id == site_id, QueueEntry.lease_owner == owner,
                QueueEntry.state == "running")


def renew(session: Session, site_id: int, owner: str, lease: timedelta) -> bool:
    """Extend ``owner``'s lease on the site; ``False`` if it is no longer theirs (it expired
    and another worker took the site)."""
    at = now(session)
    result = session.execute(update(QueueEntry).where(_held(site_id, owner))
                             .values(heartbeat_at=at, lease_expires_at=at + lease))
    return result.rowcount == 1


def finish(session: Session, site_id: int, owner: str, *, error: str | None = None,
           max_attempts: int = 3, backoff: timedelta = timedelta(minutes=5),
           rewalk: bool = False) -> str | None:
    """Record how ``owner``'s crawl of the site ended; returns the site's new state, or
    ``None`` if the lease was no longer theirs (nothing is changed then).

    A failed attempt puts the site back with an exponential back-off (``backoff``, doubled
    per attempt) until ``max_attempts`` have failed: then it is ``failed`` and the fleet
    moves on. ``queue retry`` queues failed sites again. ``rewalk``: the next attempt
    re-walks everything (``crawl --full``), for an attempt that fetched pages it could not
    store (an incremental recrawl would take them for known pages).
    """
    entry = session.scalar(select(QueueEntry).where(_held(site_id, owner)).with_for_update())
    if entry is None:
        return None
    at = now(session)
    entry.lease_owner = entry.lease_expires_at = None
    entry.finished_at = at
    entry.last_error = error
    if error is None:
        entry.state = "done"
    elif entry.attempts >= max_attempts:
        entry.state = "failed"
    else:
        entry.state = "pending"
        entry.full = entry.full or rewalk
        entry.not_before = at + backoff * (2 ** (entry.attempts - 1))
    session.flush()
    return entry.state


def release(session: Session, site_id: int, owner: str) -> bool:
    """Give a site back untried (a worker draining before it started): the attempt it took
    is not counted."""
    result = session.execute(
        update(QueueEntry).where(_held(site_id, owner))
        .values(state="pending", lease_owner=None, lease_expires_at=None,
                attempts=QueueEntry.attempts - 1))
    return result.rowcount == 1


def retry_failed(session: Session) -> int:
    """Queue every failed site again with fresh attempts; returns how many."""
    failed = session.scalars(select(Site).join(QueueEntry, QueueEntry.site_id == Site.id)
                             .where(QueueEntry.state == "failed"))
    return enqueue(session, list(failed))["queued"]


def outstanding(session: Session) -> int:
    """Sites pending or running: the work the fleet has still to do."""
    return session.scalar(select(func.count()).select_from(QueueEntry)
                          .where(QueueEntry.state.in_(("pending", "running")))) or 0


def summary(session: Session) -> dict:
    """What ``civic-archive status`` shows: counts by state, the running sites with their
    lease owner and age, the failed ones with their last error."""
    at = now(session)
    counts = dict.fromkeys(STATES, 0)
    counts.update(session.execute(select(QueueEntry.state, func.count())
                                  .group_by(QueueEntry.state)).all())
    rows = session.execute(select(QueueEntry, Site.url).join(Site, Site.id == QueueEntry.site_id)
                           .where(QueueEntry.state.in_(("running", "failed")))
                           .order_by(QueueEntry.started_at, QueueEntry.site_id)).all()
    running = [{"site": url, "owner": e.lease_owner, "attempt": e.attempts,
                "age_s": round((at - e.started_at).total_seconds()),
                "expires_in_s": round((e.lease_expires_at - at).total_seconds())}
               for e, url in rows if e.state == "running"]
    failed = [{"site": url, "attempts": e.attempts, "error": e.last_error}
              for e, url in rows if e.state == "failed"]
    return {"counts": counts, "running": running, "failed": failed}

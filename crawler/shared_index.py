"""One dedupe index for crawls in many processes (workers on many machines).

Each crawl process keeps the fast in-memory :class:`dedupe.DedupeIndex`, loaded from the
stored fingerprints when it starts (:func:`crawler.matching.load_index`). What makes N
processes match as one does:

* **one match at a time per archive**: "bring the index up to date, match, link" runs under a
  PostgreSQL transaction-scoped advisory lock, held until the post's transaction commits; two
  workers archiving copies of one story at the same moment are thus matched one after the
  other, and the second sees the first;
* **catching up**: every matched post is appended to ``dedupe_log`` under that lock, so the
  log's ``seq`` follows commit order. Before matching, a process adds to its index the posts
  logged since its high-water mark (an edited post replaces its old entry).

The log lives in the archive, so nothing needs rebuilding after a restart: a new process
loads the index as before and takes the log's current end as its mark. On other databases
(SQLite: one machine, writes serialised by the file lock) this adds nothing.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

import dedupe
from storage.models import DedupeLog, Post

# Names the dedupe lock among advisory locks; the second key is the archive's schema, so
# archives sharing one database (one per schema) do not wait on each other.
DEDUPE_LOCK_KEY = 0x64647570

# Each index's high-water mark: the last ``dedupe_log.seq`` it holds. Owned by the index:
# the entry goes when the index does.
_MARKS: weakref.WeakKeyDictionary[dedupe.DedupeIndex, int] = weakref.WeakKeyDictionary()


def _shared(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def log_end(session: Session) -> int:
    """The last ``dedupe_log.seq`` (0 where the archive is not shared)."""
    if not _shared(session):
        return 0
    return session.scalar(select(func.coalesce(func.max(DedupeLog.seq), 0))) or 0


def set_mark(index: dedupe.DedupeIndex, mark: int) -> None:
    _MARKS[index] = mark


@contextmanager
def turn(session: Session, index: dedupe.DedupeIndex, post_id: int) -> Iterator[None]:
    """This process's turn to match ``post_id``: the lock taken and ``index`` caught up
    first, the post logged after."""
    if not _shared(session):
        yield
        return
    session.execute(text("SELECT pg_advisory_xact_lock(:k, hashtext(current_schema()))"),
                    {"k": DEDUPE_LOCK_KEY})
    catch_up(session, index)
    yield
    _MARKS[index] = session.scalar(insert(DedupeLog).values(post_id=post_id)
                                   .returning(DedupeLog.seq))


def catch_up(session: Session, index: dedupe.DedupeIndex) -> int:
    """Add to ``index`` the posts matched by other processes since its mark; returns how many.

    Call with the dedupe lock held, so that no post can be logged behind the mark.
    """
    mark = _MARKS.get(index, 0)
    params = index.params.fingerprint()
    rows = session.execute(
        select(DedupeLog.seq, Post.id, Post.norm_hash, Post.signature, Post.paragraph_hashes,
               Post.fingerprint_words, Post.dedupe_params, Post.kind)
        .join(Post, Post.id == DedupeLog.post_id)
        .where(DedupeLog.seq > mark).order_by(DedupeLog.seq)).all()
    for seq, post_id, norm_hash, signature, paragraphs, words, post_params, kind in rows:
        if post_id in index:
            index.remove(post_id)
        if kind == "post" and post_params == params and signature is not None:
            index.add(post_id, dedupe.Fingerprint.from_stored(norm_hash, signature, paragraphs,
                                                              words, post_params))
        mark = seq
    _MARKS[index] = max(mark, _MARKS.get(index, 0))
    return len(rows)

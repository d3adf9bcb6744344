"""Crawl workers sharing one PostgreSQL archive: the queue, the shared dedupe order, and a
fleet of worker processes compared record by record with one process."""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

import dedupe
from crawler import matching, shared_index
from crawler.demo import generate_blog, serve_blog
from storage import queue, repo
from storage.db import open_archive
from storage.models import Post, QueueEntry
from tests.support.blogs import post_item
from tests.support.workers import (
    cli,
    finish,
    reference_and_fleet,
    snapshot,
    start_worker,
)

LEASE = timedelta(seconds=60)


def _sites(archive, *urls):
    with archive.Session.begin() as session:
        return [repo.get_or_add_site(session, u) for u in urls]


# --- the queue ---------------------------------------------------------------------------


def test_a_site_is_leased_to_one_worker_and_backs_off_when_it_fails(archive):
    sites = _sites(archive, "http://a.example/", "http://b.example/")
    with archive.Session.begin() as session:
        assert queue.enqueue(session, sites) == {"queued": 2, "already": 0}
        assert queue.enqueue(session, sites[:1]) == {"queued": 0, "already": 1}
    with archive.Session.begin() as session:
        first = queue.claim(session, "w1", LEASE)
        second = queue.claim(session, "w2", LEASE)
        assert queue.claim(session, "w3", LEASE) is None
    assert {first.site_url, second.site_url} == {"http://a.example/", "http://b.example/"}
    with archive.Session.begin() as session:
        assert not queue.renew(session, first.site_id, "w2", LEASE)  # not w2's
        assert queue.renew(session, first.site_id, "w1", LEASE)
        assert queue.finish(session, first.site_id, "w1") == "done"
        state = queue.finish(session, second.site_id, "w2", error="run #1 partial",
                             max_attempts=2, backoff=timedelta(hours=1))
        assert state == "pending"
        assert queue.claim(session, "w1", LEASE) is None  # backing off
        assert queue.summary(session)["counts"] == {"pending": 1, "running": 0, "done": 1,
                                                    "failed": 0}


def test_a_site_failing_every_attempt_is_marked_failed_and_can_be_retried(archive):
    (site,) = _sites(archive, "http://poison.example/")
    with archive.Session.begin() as session:
        queue.enqueue(session, [site])
    for attempt in (1, 2):
        with archive.Session.begin() as session:
            lease = queue.claim(session, "w1", LEASE)
            assert lease.attempt == attempt
            queue.finish(session, site.id, "w1", error="no page answered", max_attempts=2,
                         backoff=timedelta(0))
    with archive.Session.begin() as session:
        facts = queue.summary(session)
        assert facts["counts"]["failed"] == 1
        assert facts["failed"] == [{"site": "http://poison.example/", "attempts": 2,
                                    "error": "no page answered"}]
        assert queue.retry_failed(session) == 1
        assert queue.claim(session, "w1", LEASE).attempt == 1


def test_an_expired_lease_passes_to_another_worker(archive):
    (site,) = _sites(archive, "http://a.example/")
    with archive.Session.begin() as session:
        queue.enqueue(session, [site])
        queue.claim(session, "dead", LEASE)
        session.get_one(QueueEntry, site.id).lease_expires_at -= 2 * LEASE  # its heartbeat stopped
    with archive.Session.begin() as session:
        taken = queue.claim(session, "alive", LEASE)
        assert taken.attempt == 2
        # The dead worker's late report changes nothing: the lease is no longer its.
        assert queue.finish(session, site.id, "dead") is None
        assert session.get_one(QueueEntry, site.id).lease_owner == "alive"


def test_workers_asking_at_once_get_different_sites(pg_url):
    archive = open_archive(pg_url)
    sites = _sites(archive, "http://a.example/", "http://b.example/")
    with archive.Session.begin() as session:
        queue.enqueue(session, sites)
    with archive.Session.begin() as one, archive.Session.begin() as two:
        # The first claim's row stays locked until its transaction ends: the second skips it.
        assert queue.claim(one, "w1", LEASE).site_id != queue.claim(two, "w2", LEASE).site_id
    archive.dispose()


def test_status_shows_the_queue(pg_url):
    archive = open_archive(pg_url)
    sites = _sites(archive, "http://a.example/", "http://b.example/")
    with archive.Session.begin() as session:
        queue.enqueue(session, sites)
        queue.claim(session, "host-1:42", LEASE)
    archive.dispose()
    result = cli(pg_url, "status")
    assert result.returncode == 0, result.stderr
    assert "queue     1 pending · 1 running · 0 done · 0 failed" in result.stdout
    assert "owner host-1:42" in result.stdout


# --- the shared dedupe order -------------------------------------------------------------


def test_two_workers_racing_on_one_story_put_it_in_one_cluster(pg_url):
    """Two processes' indexes (loaded before either copy exists) each save a copy of one
    story, both inserted before either is matched: the lock and the log still cluster them."""
    story = generate_blog(n_posts=3, seed=31, plant=False).posts[0]
    archive = open_archive(pg_url)
    sites = _sites(archive, "http://original.example/", "http://sister.example/")
    with archive.Session.begin() as session:
        indexes = [matching.load_index(session, dedupe.Params()) for _ in sites]
    both_inserted = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(site, index, url: str) -> None:
        try:
            item = post_item(story)
            item.url = url
            with archive.Session.begin() as session:
                saved = repo.upsert_post(session, session.merge(site), item)
                session.flush()
                both_inserted.wait(timeout=30)
                matching.match_post(session, saved.post, saved.outcome, index)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(site, index, f"{site.url}story/"))
               for site, index in zip(sites, indexes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    with archive.Session() as session:
        posts = list(session.scalars(select(Post)))
        assert len(posts) == 2 and posts[0].cluster_id is not None
        assert posts[0].cluster_id == posts[1].cluster_id
    archive.dispose()


def test_an_index_catches_up_with_posts_stored_by_another_process(pg_url):
    blog = generate_blog(n_posts=4, seed=32, plant=False)
    archive = open_archive(pg_url)
    (site,) = _sites(archive, "http://a.example/")
    with archive.Session.begin() as session:
        mine, theirs = (matching.load_index(session, dedupe.Params()) for _ in range(2))
    for post in blog.posts:
        with archive.Session.begin() as session:
            matching.save_post(session, session.merge(site), post_item(post), theirs)
    assert len(mine) == 0
    with archive.Session.begin() as session:
        assert shared_index.catch_up(session, mine) == 4
        assert sorted(mine.keys()) == sorted(theirs.keys())
        assert shared_index.catch_up(session, mine) == 0
    archive.dispose()


# --- a fleet of worker processes ---------------------------------------------------------


def _six_blogs():
    """Six small blogs: three stories' worth of originals, each cross-posted word for word
    on a sister blog (and each with its own planted repeats)."""
    return [generate_blog(n_posts=12, seed=seed) for seed in (41, 42, 43) for _copy in (0, 1)]


@pytest.mark.slow
def test_three_workers_build_the_archive_one_process_builds(pg_server):
    with reference_and_fleet(pg_server, _six_blogs()) as (alone, fleet, urls):
        workers = [start_worker(fleet, name=f"w{i}") for i in range(3)]
        results = [finish(w) for w in workers]
        for code, err in results:
            assert code == 0, err[-3000:]
        # Every worker took part, and every site was crawled once.
        done = [err.count(" done in ") for _, err in results]
        assert sum(done) == 6 and all(done), done
        expected, got = snapshot(alone), snapshot(fleet)
        assert len(got["posts"]) == 6 * 12
        assert all(len(members) >= 2 for members in got["clusters"])
        assert {site for site, *_ in got["posts"].values()} == {u + "/" for u in urls}
        assert got["posts"] == expected["posts"]
        assert got["clusters"] == expected["clusters"]
        assert got["links"] == expected["links"]
        assert got["relations"] == expected["relations"]
        status = cli(fleet, "status")
        assert "queue     0 pending · 0 running · 6 done · 0 failed" in status.stdout


class _AlwaysBroken(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.mark.slow
def test_a_poisoned_site_is_marked_failed_and_the_fleet_moves_on(pg_url):
    broken = ThreadingHTTPServer(("127.0.0.1", 0), _AlwaysBroken)
    threading.Thread(target=broken.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    poisoned = f"http://127.0.0.1:{broken.server_address[1]}/"
    try:
        with serve_blog(generate_blog(n_posts=6, seed=44, plant=False)) as good:
            assert cli(pg_url, "queue", "add", poisoned, good.blog.base_url).returncode == 0
            code, err = finish(start_worker(pg_url, "--max-attempts", "2", "--backoff", "0",
                                            "-s", "RETRY_TIMES=0"))
    finally:
        broken.shutdown()
        broken.server_close()
    assert code == 0, err[-3000:]
    assert f"{poisoned} failed" in err and "no page answered (500" in err
    status = cli(pg_url, "status")
    assert "0 pending · 0 running · 1 done · 1 failed" in status.stdout
    assert f"failed  {poisoned}  after 2 attempt(s)" in status.stdout
    archive = open_archive(pg_url)
    with archive.Session() as session:
        assert len(list(session.scalars(select(Post)))) == 6
    archive.dispose()

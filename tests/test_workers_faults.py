"""Workers under faults: one killed with SIGKILL mid-site, the archive's server restarted
mid-run, and a server that stays down. The archive must end as one undisturbed process
builds it: nothing lost, nothing stored twice."""

from __future__ import annotations

import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from crawler.demo import generate_blog
from storage.models import CrawlRun, Post
from tests.support.postgres import pg_schema
from tests.support.workers import (
    PrivatePostgres,
    cli,
    finish,
    reference_and_fleet,
    snapshot,
    start_worker,
)

pytestmark = pytest.mark.slow

# Fast enough for a test, slow enough that a site's crawl is still going when it is hit.
SLOW_CRAWL = ("-s", "DOWNLOAD_DELAY=0.05", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")


def _wait_for(condition, what: str, timeout: float = 120.0) -> None:
    """Poll ``condition`` until it holds (a bounded wait, never a timed assertion)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def _count(db: str, query) -> int:  # noqa: ANN001 - a select
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return conn.execute(query).scalar() or 0
    finally:
        engine.dispose()


def _posts(db: str) -> int:
    return _count(db, select(func.count()).select_from(Post))


def _site_crawls_of(pid: int) -> list[int]:
    """Pids of the one-site crawl children a worker started."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"crawler.worker_site" in args and str(pid).encode() in args:
            found.append(int(entry.name))
    return found


def _blogs():
    """A blog and its sister blog, which cross-posts every story word for word."""
    return [generate_blog(n_posts=20, seed=51) for _copy in (0, 1)]


def test_a_worker_killed_mid_site_loses_nothing_and_stores_nothing_twice(pg_server):
    with reference_and_fleet(pg_server, _blogs()) as (alone, fleet, _):
        doomed = start_worker(fleet, "--lease", "2", *SLOW_CRAWL, name="doomed")
        _wait_for(lambda: _posts(fleet) >= 5, "the first worker to store posts")
        _wait_for(lambda: _site_crawls_of(doomed.pid), "the first worker's site crawl")
        child = _site_crawls_of(doomed.pid)
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=30)
        # Its site crawl dies with it, so the lease it held simply stops being renewed.
        _wait_for(lambda: not _site_crawls_of(doomed.pid) and not any(
            Path(f"/proc/{pid}").exists() for pid in child), "the killed worker's crawl to die")
        code, err = finish(start_worker(fleet, "--lease", "2", name="survivor"))
        assert code == 0, err[-3000:]
        assert "(attempt 2)" in err  # the killed worker's site, taken after its lease expired
        expected, got = snapshot(alone), snapshot(fleet)
        assert got == expected
        assert _count(fleet, select(func.count()).select_from(CrawlRun)
                      .where(CrawlRun.status == "killed")) == 1


@pytest.fixture
def private_pg() -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="civic-archive-pg-"))
    server = PrivatePostgres(folder)
    if server.problem:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(server.problem)
    try:
        server.init()
    except Exception as exc:  # noqa: BLE001 - any failure to start is a reason to skip
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"cannot start a private PostgreSQL server: {exc}")
    yield server
    if server.running():
        server.stop()
    shutil.rmtree(folder, ignore_errors=True)


def test_workers_wait_out_a_restart_of_the_archive_server(private_pg):
    with reference_and_fleet(private_pg.url, _blogs()) as (alone, fleet, _):
        workers = [start_worker(fleet, "--lease", "5", "--backoff", "0", "--max-attempts", "5",
                                "--max-outage", "120", *SLOW_CRAWL, name=f"w{i}")
                   for i in range(2)]
        _wait_for(lambda: _posts(fleet) >= 10, "the workers to store posts")
        private_pg.stop()
        time.sleep(2)  # the server stays down a moment: workers must notice and wait
        private_pg.start()
        results = [finish(w) for w in workers]
        for code, err in results:
            assert code == 0, err[-3000:]
        logs = "".join(err for _, err in results)
        assert "archive unreachable" in logs and "archive reachable again after" in logs
        expected, got = snapshot(alone), snapshot(fleet)
        assert got == expected
        status = cli(fleet, "status")
        assert "0 pending · 0 running · 2 done · 0 failed" in status.stdout


def test_a_worker_gives_up_on_an_archive_that_stays_down(private_pg):
    with pg_schema(private_pg.url) as fleet:
        assert cli(fleet, "status").returncode == 0
        private_pg.stop()
        code, err = finish(start_worker(fleet, "--max-outage", "1"))
        private_pg.start()  # so the schema can be dropped
    assert code == 7, err[-2000:]
    assert "archive unreachable" in err and "more than --max-outage 1 s" in err

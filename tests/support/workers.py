"""Helpers for the worker tests: private archives, worker processes, archive snapshots."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select

from storage.db import open_archive
from storage.models import Cluster, Post, Relation, Site
from tests.support.postgres import pg_schema


@contextmanager
def reference_and_fleet(server_url: str, blogs: list) -> Iterator[tuple[str, str, list[str]]]:
    """``blogs`` served on loopback and two archives on ``server_url``: one that a single
    ``civic-archive crawl`` process built (the reference) and one with every blog queued for
    workers, the sites added in the same order. Yields (reference, fleet, blog URLs)."""
    from crawler.demo import serve_blog
    from tests.support.blogs import crawl

    with pg_schema(server_url) as alone, pg_schema(server_url) as fleet:
        served = [serve_blog(blog) for blog in blogs]
        try:
            urls = [s.blog.base_url for s in served]
            reference = crawl(alone, *urls)
            assert reference.returncode == 0, reference.stderr[-3000:]
            queued = cli(fleet, "queue", "add", *urls)
            assert queued.returncode == 0, queued.stderr
            assert f"queued {len(urls)} site(s)" in queued.stderr
            yield alone, fleet, urls
        finally:
            for s in served:
                s.close()


def cli(db: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", "--db", db, *args],
                          capture_output=True, text=True, timeout=timeout)


def start_worker(db: str, *extra: str, name: str | None = None) -> subprocess.Popen:
    """``civic-archive worker`` for loopback blogs, stopping when the queue is empty.

    Its log goes to a temporary file, not a pipe: several workers run at once and are read
    one after the other, and a pipe nobody reads would fill and stall its worker."""
    import tempfile

    command = [sys.executable, "-m", "crawler.cli", "--db", db, "-v", "worker", "--loopback",
               "--until-empty", "--poll", "0.3", *extra]
    command += ["--name", name] if name else []
    log = tempfile.TemporaryFile("w+", encoding="utf-8")
    worker = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, text=True)
    worker.log = log  # type: ignore[attr-defined]
    return worker


def finish(worker: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    """Wait for a worker from :func:`start_worker`; returns its exit code and log."""
    worker.wait(timeout=timeout)
    worker.log.seek(0)
    err = worker.log.read()
    worker.log.close()
    return worker.returncode, err


def snapshot(db: str) -> dict:
    """Everything the archive says about posts and stories, keyed by URL (ids differ between
    archives): posts with their fields, aliases and comments, clusters with their canonical
    member, each member's link to it, and text-reuse relations."""
    archive = open_archive(db)
    try:
        with archive.Session() as session:
            sites = {s.id: s.url for s in session.scalars(select(Site))}
            posts = list(session.scalars(select(Post)))
            url = {p.id: p.canonical_url for p in posts}
            records = {p.canonical_url: (
                sites[p.site_id], p.title, hashlib.sha256(p.text.encode()).hexdigest(),
                p.published, p.author, p.status, p.kind, len(p.versions),
                tuple(sorted(u.url for u in p.urls)), len(p.comments),
                tuple(sorted((t.taxonomy, t.name) for t in p.terms))) for p in posts}
            clusters = {}
            for cluster in session.scalars(select(Cluster)):
                members = frozenset(url[p.id] for p in posts if p.cluster_id == cluster.id)
                clusters[members] = url.get(cluster.canonical_post_id)
            links = {p.canonical_url: (p.cluster_method, p.cluster_similarity)
                     for p in posts if p.cluster_id is not None}
            relations = {(url[r.post_id], url[r.source_id]): (r.shared_fraction, r.method)
                         for r in session.scalars(select(Relation))}
    finally:
        archive.dispose()
    return {"posts": records, "clusters": clusters, "links": links, "relations": relations}


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """A throw-away PostgreSQL cluster in a temporary folder on a free port, which a test
    may stop and start at will (the machine's shared server is never touched).

    Built with the server's own ``initdb`` and ``pg_ctl``; as root they run as the
    ``postgres`` user, since PostgreSQL refuses to run as root.
    """

    def __init__(self, folder) -> None:  # noqa: ANN001 - a pathlib.Path
        import glob
        import os
        import pwd
        import shutil

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        self.problem = None if found else "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin)"
        self.bin = os.path.dirname(found[-1]) if found else ""
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._as = []
        if found and os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                self.problem = "running as root and no 'postgres' user to run a private server"
                return
            shutil.chown(folder, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self._run(f"{self.bin}/initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                  "--no-sync")
        self.start()

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off")
        self._run(f"{self.bin}/pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "start")

    def stop(self) -> None:
        self._run(f"{self.bin}/pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        done = subprocess.run([*self._as, f"{self.bin}/pg_ctl", "-D", str(self.data), "status"],
                              capture_output=True)
        return done.returncode == 0

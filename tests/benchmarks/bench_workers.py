"""Crawl workers: pages/s with 1, 2 and 4 workers over loopback blogs, per-site request rates,
archive identical across runs, and the per-page costs behind README's sizing on paper.

Run from the repository root (not part of the test suite; needs PostgreSQL, by default the
test server ``CIVIC_ARCHIVE_TEST_PG`` or postgresql+psycopg://postgres@127.0.0.1:5432/test):

    python -m tests.benchmarks.bench_workers                        # 40 blogs × 100 posts
    python -m tests.benchmarks.bench_workers --blogs 12 --posts 50 --workers 1,2

Blogs come in pairs, the second cross-posting every story of the first word for word (so
deduplication across workers is exercised). Each run gets a fresh archive (a private
schema), queues every blog and starts N ``civic-archive worker --until-empty`` processes
with the loopback settings (no politeness delay: the figure is the machine's throughput;
``-s DOWNLOAD_DELAY=1`` measures the default politeness instead). Wall time runs from the
workers' start to the last one's exit, so it includes each site's child-process start. The
one-worker run also reports table sizes, the dedupe index's load cost, and an unchanged
recrawl of every site (requests per site).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc

from sqlalchemy import create_engine, select, text

PG = os.environ.get("CIVIC_ARCHIVE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def run_fleet(db: str, urls: list[str], workers: int, extra: list[str]) -> dict:
    from tests.support.workers import cli, finish, start_worker

    queued = cli(db, "queue", "add", *urls)
    if queued.returncode != 0:
        raise SystemExit(queued.stderr)
    started = time.perf_counter()
    procs = [start_worker(db, *extra, name=f"bench-{i}") for i in range(workers)]
    for proc in procs:
        code, err = finish(proc, timeout=None)
        if code != 0:
            raise SystemExit(f"worker failed:\n{err[-3000:]}")
    return {"seconds": time.perf_counter() - started}


def run_stats(db: str, after_run: int = 0) -> dict:
    """Pages and per-site request rates of the runs after ``after_run``."""
    from storage.db import open_archive
    from storage.models import CrawlRun

    archive = open_archive(db)
    with archive.Session() as session:
        runs = list(session.scalars(select(CrawlRun).where(CrawlRun.id > after_run)))
    archive.dispose()
    per_site = {}
    for run in runs:
        pages = (run.stats or {}).get("downloader/response_count", 0)
        seconds = (run.finished_at - run.started_at).total_seconds()
        per_site.setdefault(run.site_id, []).append((pages, seconds, run.status))
    rates = [pages / seconds for site in per_site.values() for pages, seconds, _ in site if seconds]
    return {"pages": sum(p for site in per_site.values() for p, _, _ in site),
            "runs_per_site_max": max(len(site) for site in per_site.values()),
            "all_finished": all(s == "finished" for site in per_site.values() for *_, s in site),
            "site_rps_mean": sum(rates) / len(rates), "site_rps_max": max(rates)}


def recrawl(db: str, urls: list[str], extra: list[str]) -> dict:
    """An unchanged nightly recrawl by one worker: requests per site and time."""
    last = _count_runs(db)
    timing = run_fleet(db, urls, 1, extra)
    stats = run_stats(db, after_run=last)
    return {**timing, "pages": stats["pages"], "pages_per_site": stats["pages"] / len(urls)}


def _count_runs(db: str) -> int:
    engine = create_engine(db)
    with engine.connect() as conn:
        last = conn.execute(text("SELECT coalesce(max(id), 0) FROM crawl_runs")).scalar()
    engine.dispose()
    return last


def differences(first: dict, other: dict) -> dict:
    """Per section of two archive snapshots, the keys whose records differ."""
    found = {}
    for section, records in first.items():
        keys = set(records) | set(other[section])
        changed = sorted(str(k)[:120] for k in keys if records.get(k) != other[section].get(k))
        if changed:
            found[section] = changed
    return found


def sizes(db: str) -> dict:
    """Bytes on disk per table (heap, indexes, TOAST) in the archive's schema."""
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r'")).all()
        counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("posts", "captures", "sites", "comments", "dedupe_log")}
    engine.dispose()
    return {"bytes": dict(rows), "counts": counts}


def index_cost(db: str) -> dict:
    """Time and traced memory to load the in-memory dedupe index a site crawl starts with."""
    import dedupe
    from crawler import matching
    from storage.db import open_archive

    archive = open_archive(db)
    with archive.Session() as session:
        matching.load_index(session, dedupe.Params())  # warm: first use loads modules
        started = time.perf_counter()
        index = matching.load_index(session, dedupe.Params())
        seconds = time.perf_counter() - started
        tracemalloc.start()
        matching.load_index(session, dedupe.Params())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    archive.dispose()
    return {"posts": len(index), "seconds": seconds, "peak_bytes": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blogs", type=int, default=40, help="an even number (pairs)")
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("-s", "--set", dest="settings", action="append", default=[],
                        metavar="NAME=VALUE", help="passed to every worker")
    args = parser.parse_args()
    from crawler.demo import generate_blog, serve_blog
    from tests.support.postgres import pg_schema
    from tests.support.workers import snapshot

    blogs = [generate_blog(n_posts=args.posts, seed=100 + i // 2) for i in range(args.blogs)]
    served = [serve_blog(blog) for blog in blogs]
    urls = [s.blog.base_url for s in served]
    extra = [a for setting in args.settings for a in ("-s", setting)]
    results, first = [], None
    try:
        for workers in (int(n) for n in args.workers.split(",")):
            with pg_schema(PG) as db:
                result = {"workers": workers, **run_fleet(db, urls, workers, extra), **run_stats(db)}
                result["pages_per_s"] = result["pages"] / result["seconds"]
                archive = snapshot(db)
                first = first or archive
                result["differences_from_first_run"] = differences(first, archive)
                if workers == 1:
                    result["sizes"] = sizes(db)
                    result["index"] = index_cost(db)
                    result["recrawl"] = recrawl(db, urls, extra)
                results.append(result)
                print(json.dumps({k: v for k, v in result.items() if k not in ("sizes",)},
                                 default=str), file=sys.stderr)
    finally:
        for s in served:
            s.close()
    summary = {"blogs": args.blogs, "posts_per_blog": args.posts, "settings": args.settings,
               "load_average": os.getloadavg(), "runs": results,
               "identical_archives": not any(r["differences_from_first_run"] for r in results)}
    print(json.dumps(summary, indent=2, default=str))


if __name__ == "__main__":
    main()

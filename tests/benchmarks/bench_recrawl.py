"""Incremental recrawl cost: requests of an unchanged recrawl as a share of the first crawl's.

Run from the repository root (not part of the test suite):

    python -m tests.benchmarks.bench_recrawl              # a 2,000-post loopback blog
    python -m tests.benchmarks.bench_recrawl --posts 500

Requests are counted at the server. After the unchanged recrawl, 10 posts are added, 5 edited
and 2 deleted, and the third crawl must find exactly those.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from crawler.demo import generate_blog, serve_blog
from storage.db import open_archive
from storage.models import CrawlRun

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support.blogs import crawl  # noqa: E402


def _run(db: str, url: str, served) -> tuple[int, float]:  # noqa: ANN001
    served.reset_counts()
    started = time.perf_counter()
    result = crawl(db, url, timeout=3600)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    return sum(served.request_count.values()), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    blog = generate_blog(n_posts=args.posts, seed=1)
    with tempfile.TemporaryDirectory() as tmp, serve_blog(blog) as served:
        db, url = f"{tmp}/archive.db", served.blog.base_url
        first, t1 = _run(db, url, served)
        unchanged, t2 = _run(db, url, served)
        served.swap(served.blog.mutate(added=10, edited=5, deleted=2, seed=3))
        changed, t3 = _run(db, url, served)
        archive = open_archive(db)
        with archive.Session() as session:
            stats = session.scalar(select(CrawlRun).order_by(CrawlRun.id.desc()).limit(1)).stats
        archive.dispose()
    print(f"recrawl cost on a loopback blog of {args.posts} posts (requests counted at the server)")
    print(f"{'crawl':<28}{'requests':>10}{'seconds':>10}")
    print(f"{'first crawl':<28}{first:>10}{t1:>10.1f}")
    print(f"{'unchanged recrawl':<28}{unchanged:>10}{t2:>10.1f}")
    print(f"{'after +10 / ~5 / -2':<28}{changed:>10}{t3:>10.1f}")
    print(f"unchanged recrawl / first crawl: {unchanged / first:.1%} (goal ≤ 5%)")
    print(f"found: {stats.get('posts_new', 0)} new, {stats.get('posts_changed', 0)} changed, "
          f"{stats.get('posts_gone', 0)} gone (expected 10, 5, 2)")


if __name__ == "__main__":
    main()

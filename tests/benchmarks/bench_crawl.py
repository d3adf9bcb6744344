"""Crawl overhead: the full pipeline's pages/s beside a bare Scrapy spider fetching the same pages.

Run from the repository root (not part of the test suite):

    python -m tests.benchmarks.bench_crawl            # 2,000-post blog
    python -m tests.benchmarks.bench_crawl --posts 500

Both crawls run in their own process against the same loopback server with the same
settings (no politeness delay, 8 concurrent requests). The bare spider is given exactly the
URLs the full crawl fetched and does nothing with the responses, so the ratio isolates what
extraction, deduplication and the archive writes cost. Peak RSS is each process's own.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
            "ROBOTSTXT_OBEY": True, "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False}


def bare_crawl(urls_file: str) -> dict:
    """Fetch every URL in ``urls_file`` with a spider that does nothing (child process)."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    urls = json.loads(Path(urls_file).read_text())

    class Bare(scrapy.Spider):
        name = "bare"

        async def start(self):  # noqa: ANN201
            for url in urls:
                yield scrapy.Request(url, callback=self.parse, dont_filter=True,
                                     meta={"handle_httpstatus_all": True})

        def parse(self, response):  # noqa: ANN001, ANN201
            return None

    process = CrawlerProcess({**SETTINGS, "USER_AGENT": "bench"})
    started = time.perf_counter()
    process.crawl(Bare)
    process.start()
    return {"seconds": time.perf_counter() - started, "pages": len(urls)}


def full_crawl(url: str, db: str) -> dict:
    """The real ``civic-archive crawl`` (child process)."""
    from crawler.process import CrawlTarget, project_settings, run_crawls

    started = time.perf_counter()
    run_crawls(project_settings(f"sqlite:///{db}", SETTINGS), [CrawlTarget(url)])
    return {"seconds": time.perf_counter() - started}


def child(argv: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-m", "tests.benchmarks.bench_crawl", *argv],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--child", choices=["bare", "full"])
    parser.add_argument("--arg", action="append", default=[])
    args = parser.parse_args()
    if args.child:
        result = bare_crawl(*args.arg) if args.child == "bare" else full_crawl(*args.arg)
        result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    from crawler.demo import generate_blog, serve_blog

    blog = generate_blog(n_posts=args.posts, seed=1)
    with tempfile.TemporaryDirectory() as tmp, serve_blog(blog) as served:
        full = child(["--child", "full", "--arg", served.blog.base_url, "--arg", f"{tmp}/a.db"])
        targets = [served.blog.base_url.rstrip("/") + r.target for r in served.requests]
        full["pages"] = len(targets)
        Path(tmp, "urls.json").write_text(json.dumps(targets))
        served.reset_counts()
        bare = child(["--child", "bare", "--arg", f"{tmp}/urls.json"])
    rows = [("full pipeline", full), ("bare spider", bare)]
    print(f"crawl overhead on a loopback blog of {args.posts} posts")
    print(f"{'crawl':<15}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'peak RSS MB':>13}")
    for name, r in rows:
        print(f"{name:<15}{r['pages']:>8}{r['seconds']:>10.1f}{r['pages'] / r['seconds']:>10.1f}"
              f"{r['max_rss_mb']:>13.0f}")
    ratio = (full["pages"] / full["seconds"]) / (bare["pages"] / bare["seconds"])
    print(f"ratio full/bare pages/s: {ratio:.2f} (goal ≥ 0.8)")


if __name__ == "__main__":
    main()

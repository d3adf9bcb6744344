"""Search latency and export throughput on a synthetic SQLite archive of N posts.

Not collected by pytest. Builds (or reuses) an archive with tests/support/archive_builder.py, runs
50 fixed queries through storage.search and the same MATCH raw on FTS5, then exports
JSONL and Parquet in child processes that report their peak RSS.

Example:

    python tests/benchmarks/bench_search_export.py --posts 100000
    python tests/benchmarks/bench_search_export.py --posts 1000000 --db /tmp/bench-1m.db --reuse
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.archive_builder import BuildSpec, Words, build_archive  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from storage.db import open_archive  # noqa: E402
from storage.models import Post  # noqa: E402
from storage.search import search  # noqa: E402
from storage.search_query import parse, to_fts5  # noqa: E402

GOAL_P95_MS, GOAL_RATIO, GOAL_JSONL_RATE, GOAL_RSS_MB = 50.0, 2.0, 50_000, 300
RAW_SQL = ("SELECT rowid, bm25(posts_fts, 10.0, 1.0) AS score FROM posts_fts "
           "WHERE posts_fts MATCH :q ORDER BY score LIMIT 20")
COUNT_SQL = "SELECT count(*) FROM posts_fts WHERE posts_fts MATCH :q"


def queries(seed: int) -> list[str]:
    """50 queries over the builder's vocabulary (its order is frequency rank): single words
    from common to rare, pairs, phrases, OR, exclusions, prefixes."""
    v = Words(seed).vocab
    singles = [v[r] for r in (30, 60, 100, 200, 400, 700, 1000, 2000, 4000, 7000)]
    pairs = [f"{v[a]} {v[b]}" for a, b in ((20, 300), (40, 900), (80, 1500), (150, 150 + 1),
                                           (250, 2500), (500, 600), (800, 3000), (1200, 1300),
                                           (1800, 5000), (3000, 6000))]
    phrases = [f'"{v[a]} {v[b]}"' for a, b in ((1, 2), (3, 5), (8, 13), (10, 40), (25, 7),
                                              (60, 2), (4, 90), (120, 6))]
    ors = [f"{v[a]} OR {v[b]}" for a, b in ((300, 3000), (500, 5000), (900, 1900), (1500, 2500),
                                            (2000, 7000), (3500, 4500), (6000, 6500), (250, 7500))]
    nots = [f"{v[a]} -{v[b]}" for a, b in ((200, 2), (400, 10), (700, 50), (1000, 100),
                                           (2000, 5), (3000, 30), (5000, 300), (7000, 1))]
    prefixes = [v[r][:4] + "*" for r in (2500, 3500, 4500, 5500, 6500, 7500) if len(v[r]) >= 4]
    return (singles + pairs + phrases + ors + nots + prefixes)[:50]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ensure_archive(path: Path, posts: int, reuse: bool) -> tuple[float | None, int]:
    """Build the archive unless --reuse finds one of the right size; returns (seconds, posts)."""
    archive = open_archive(str(path))
    with archive.Session() as session:
        present = session.scalar(select(func.count()).select_from(Post)) or 0
    if reuse and present >= posts:
        archive.dispose()
        return None, present
    if present:
        raise SystemExit(f"{path} already holds {present} posts: delete it or pass --reuse")
    started = time.perf_counter()
    build_archive(archive, BuildSpec(posts=posts, captures=2000, html=False, batch=10_000),
                  progress=lambda n: print(f"\r  built {n:,} posts", end="", file=sys.stderr))
    print(file=sys.stderr)
    with archive.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.exec_driver_sql("ANALYZE")
    archive.dispose()
    return time.perf_counter() - started, posts


@dataclass
class QueryTiming:
    query: str
    matches: int
    ours_ms: float  # median of the timed runs
    raw_ms: float


def time_searches(path: Path, seed: int, repeat: int) -> list[QueryTiming]:
    """Each query through storage.search and raw on FTS5, medians of ``repeat`` runs
    after one warm-up run (the machine may be shared: medians damp the noise)."""
    archive = open_archive(str(path))
    timings = []
    with archive.Session() as session:
        conn = session.connection()
        for query in queries(seed):
            match = to_fts5(parse(query))
            search(session, query)
            ours, raw = [], []
            for _ in range(repeat):
                started = time.perf_counter()
                search(session, query)
                ours.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                conn.execute(text(RAW_SQL), {"q": match}).all()
                raw.append((time.perf_counter() - started) * 1000)
            matches = conn.execute(text(COUNT_SQL), {"q": match}).scalar() or 0
            timings.append(QueryTiming(query, matches, statistics.median(ours), statistics.median(raw)))
    archive.dispose()
    print("  slowest queries (matches, ours ms, raw ms):", file=sys.stderr)
    for t in sorted(timings, key=lambda t: -t.ours_ms)[:6]:
        print(f"    {t.matches:>9,} {t.ours_ms:8.1f} {t.raw_ms:8.1f}  {t.query}", file=sys.stderr)
    return timings


def search_rows(timings: list[QueryTiming], posts: int) -> list[tuple[str, str, str]]:
    """p50/p95 over all queries, and over the selective ones (matching ≤ 1% of posts)."""
    rows = []
    selective = [t for t in timings if t.matches <= posts / 100]
    for label, group in ((f"all {len(timings)}", timings), (f"{len(selective)} selective", selective)):
        if not group:
            continue
        ours = [t.ours_ms for t in group]
        raw = [t.raw_ms for t in group]
        p50, p95, raw50, raw95 = (percentile(ours, 0.5), percentile(ours, 0.95),
                                  percentile(raw, 0.5), percentile(raw, 0.95))
        rows.append((f"search p50, {label} (ours / raw)", f"{p50:.1f} / {raw50:.1f} ms", ""))
        rows.append((f"search p95, {label} (ours / raw)", f"{p95:.1f} / {raw95:.1f} ms",
                     _goal(p95 <= GOAL_P95_MS and p95 <= GOAL_RATIO * max(raw95, 1.0),
                           f"≤ {GOAL_P95_MS:.0f} ms and ≤ {GOAL_RATIO:.0f}× raw")))
    return rows


def child_export(db: str, fmt: str, out: str) -> None:
    """Run in a subprocess: one export, then report records, seconds and peak RSS."""
    archive = open_archive(db)
    from storage.export import export

    started, cpu_started = time.perf_counter(), time.process_time()
    with archive.Session.begin() as session:
        result = export(session, out, fmt)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"records": result.records, "seconds": seconds, "cpu": cpu,
                      "bytes": result.bytes, "peak_kb": peak_rss_kb()}))


def peak_rss_kb() -> int:
    """This process's peak resident set since exec. /proc's VmHWM starts afresh at exec;
    getrusage's ru_maxrss would also count the forked copy of the (large) parent."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def time_export(db: Path, fmt: str, folder: Path) -> dict[str, float]:
    out = folder / f"bench.{fmt}"
    run = subprocess.run([sys.executable, __file__, "--child-export", fmt, "--db", str(db),
                          "--out", str(out)], capture_output=True, text=True, check=True)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    for path in (out, Path(str(out) + ".manifest.json")):
        path.unlink(missing_ok=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--db", help="archive file (default: a temporary one, deleted after)")
    parser.add_argument("--reuse", action="store_true", help="reuse --db if it holds enough posts")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--child-export", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_export:
        child_export(args.db, args.child_export, args.out)
        return
    with tempfile.TemporaryDirectory(prefix="bench-", dir=os.environ.get("TMPDIR")) as scratch:
        db = Path(args.db) if args.db else Path(scratch) / "bench.db"
        report(args, db, Path(scratch))


def report(args: argparse.Namespace, db: Path, scratch: Path) -> None:
    print(f"archive {db}: {args.posts:,} posts requested", file=sys.stderr)
    build_seconds, posts = ensure_archive(db, args.posts, args.reuse)
    timings = time_searches(db, args.seed, args.repeat)
    exports = {fmt: time_export(db, fmt, scratch) for fmt in ("jsonl", "parquet")}
    load = os.getloadavg()[0]
    rows = [("posts in archive", f"{posts:,}", ""),
            ("archive size", f"{db.stat().st_size / 1e9:.2f} GB", "")]
    if build_seconds is not None:
        rows.append(("build", f"{build_seconds:.0f} s ({posts / build_seconds:,.0f} posts/s)", ""))
    rows += search_rows(timings, posts)
    for fmt, r in exports.items():
        rate, cpu_rate = r["records"] / r["seconds"], r["records"] / r["cpu"]
        rows.append((f"export {fmt}", f"{r['records']:,} records in {r['seconds']:.1f} s = "
                     f"{rate:,.0f}/s ({cpu_rate:,.0f}/s of CPU), {r['bytes'] / 1e6:,.0f} MB",
                     _goal(rate >= GOAL_JSONL_RATE, f"≥ {GOAL_JSONL_RATE:,}/s")
                     if fmt == "jsonl" else ""))
        rows.append((f"export {fmt} peak RSS", f"{r['peak_kb'] / 1024:.0f} MB",
                     _goal(r["peak_kb"] / 1024 <= GOAL_RSS_MB, f"≤ {GOAL_RSS_MB} MB")))
    rows.append(("load average (other work)", f"{load:.1f} on {os.cpu_count()} CPUs", ""))
    width = max(len(r[0]) for r in rows)
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:<48} {goal}".rstrip())


def _goal(ok: bool, goal: str) -> str:
    return f"{'ok' if ok else 'MISSED'} (goal {goal})"


if __name__ == "__main__":
    main()

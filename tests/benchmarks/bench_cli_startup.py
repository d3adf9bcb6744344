"""CLI start-up: each read-only command's wall time beside bare Python importing click.

Run from the repository root::

    python -m tests.benchmarks.bench_cli_startup [--posts 500] [--runs 7]

It builds a sample archive with ``civic-archive demo --posts N --keep`` (real crawl of the
generated blog; skipped when ``--db`` names an existing archive), then times, in one run and
in turns so that load on the machine affects all alike:

* the baseline ``python -c "import sqlite3, click"``;
* ``civic-archive --help``, ``status``, ``search council``, ``show ID``, ``dupes``, ``runs``,
  ``stats``, each a fresh process with output to /dev/null.

It prints the median and best wall time of each (ms), the median ÷ baseline median, and the
load average; ``--json`` prints the same as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).with_name("civic-archive")
BASELINE = [sys.executable, "-c", "import sqlite3, click"]


def commands(db: str) -> dict[str, list[str]]:
    cli = [str(BIN), "--db", db]
    return {
        "--help": [str(BIN), "--help"],
        "status": [*cli, "status"],
        "search": [*cli, "search", "council"],
        "show": [*cli, "show", "1"],
        "dupes": [*cli, "dupes"],
        "runs": [*cli, "runs"],
        "stats": [*cli, "stats"],
    }


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-300:]}")
    return took


def build_archive(folder: Path, posts: int) -> str:
    subprocess.run([str(BIN), "-q", "demo", "--posts", str(posts), "--keep", str(folder)],
                   check=True, stdout=subprocess.DEVNULL)
    return str(folder / "archive.db")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--db", help="an existing archive to use instead of building one")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        db = args.db or build_archive(Path(tmp) / "demo", args.posts)
        targets = {"baseline": BASELINE, **commands(db)}
        for argv in targets.values():  # warm the page cache and compiled bytecode
            wall(argv)
        times: dict[str, list[float]] = {name: [] for name in targets}
        for _ in range(args.runs):
            for name, argv in targets.items():
                times[name].append(wall(argv))
    base = statistics.median(times["baseline"])
    rows = [{"command": name, "median_ms": round(statistics.median(t) * 1000, 1),
             "best_ms": round(min(t) * 1000, 1), "ratio": round(statistics.median(t) / base, 2)}
            for name, t in times.items()]
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"rows": rows, "load_average": load, "runs": args.runs}, indent=2))
        return
    print(f"{'command':<10} {'median ms':>10} {'best ms':>8} {'÷ baseline':>11}")
    for row in rows:
        print(f"{row['command']:<10} {row['median_ms']:>10} {row['best_ms']:>8} {row['ratio']:>11}")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {args.runs} runs each")


if __name__ == "__main__":
    main()

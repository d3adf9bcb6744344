"""The commands' exit codes, documented in the README ("Exit codes"); cron wrappers depend on them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

EXIT_PARTIAL = 3  # some sites' crawls did not finish
EXIT_LOCKED = 4  # another crawl holds the archive's lock
EXIT_INTERRUPTED = 5  # SIGINT/SIGTERM
EXIT_OWED = 6  # every site crawled, but failed fetches are owed to the next run
EXIT_UNREACHABLE = 7  # a worker gave up waiting for the archive
# A closed pipe (`civic-archive dupes | head`) ends a command as SIGPIPE would: 128 + 13.
# (Click itself ends `--help | head` quietly with 1.)
EXIT_BROKEN_PIPE = 141


def for_crawl(runs: Sequence[Any], expected: int) -> int:
    """The exit code of a crawl of ``expected`` sites that recorded ``runs``."""
    from crawler.run_stats import RunStats

    if any(run.status == "interrupted" for run in runs):
        return EXIT_INTERRUPTED
    finished = [run for run in runs if run.status == "finished"]
    if len(finished) != expected:
        return EXIT_PARTIAL
    return EXIT_OWED if any(RunStats.read(run.stats).owed for run in runs) else 0

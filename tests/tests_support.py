"""Helpers shared by the crawl tests."""

from __future__ import annotations

import subprocess
import sys


def crawl(db: str, url: str, *extra: str, timeout: int = 300) -> subprocess.CompletedProcess:
    """``civic-archive crawl`` in its own process (the Twisted reactor starts once per process)."""
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", "--db", db, "crawl", url, "--loopback", *extra],
        capture_output=True, text=True, timeout=timeout,
    )


def crawl_process(db: str, url: str, *extra: str) -> subprocess.Popen:
    """A crawl running in the background, for tests that interrupt or race it."""
    return subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "--db", db, "crawl", url, "--loopback", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )

"""Pages read in worker processes come out as they do in the crawl's own thread."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from crawler.extraction_pool import ExtractionPool
from crawler.pages import extract

PAGES = sorted((Path(__file__).parent / "fixtures" / "html").rglob("*.html"))[:6]
HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def _read_all(pool: ExtractionPool) -> list:
    async def read() -> list:
        return list(await asyncio.gather(*(
            pool.extract(f"https://blog.example/{p.stem}/", p.read_bytes(), HEADERS) for p in PAGES)))
    return asyncio.run(read())


def test_workers_read_pages_as_the_crawl_would():
    assert PAGES
    pool = ExtractionPool(workers=1)
    try:
        got = _read_all(pool)
    finally:
        pool.close()
    want = [extract(f"https://blog.example/{p.stem}/", p.read_bytes(), HEADERS) for p in PAGES]
    assert got == want


def test_a_killed_worker_leaves_the_crawl_reading_pages_itself():
    pool = ExtractionPool(workers=1)
    try:
        for pid in list(pool._pool._processes):  # noqa: SLF001 - the test kills a worker
            os.kill(pid, signal.SIGKILL)
        got = _read_all(pool)
        assert pool.workers == 0
    finally:
        pool.close()
    assert got == [extract(f"https://blog.example/{p.stem}/", p.read_bytes(), HEADERS)
                   for p in PAGES]


def test_no_workers_reads_in_place():
    pool = ExtractionPool(workers=0)
    assert _read_all(pool)[0] == extract(f"https://blog.example/{PAGES[0].stem}/",
                                         PAGES[0].read_bytes(), HEADERS)

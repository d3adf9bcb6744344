"""Crawl blogs built by real engines, served from the fixture folders on loopback.

The spider discovers everything from the home page (listings, pagination, term archives,
the static page); only the six posts may be stored, each with the fields of the truth file.
Engines whose pages use root- or page-relative links are served as they were built (Jekyll and
WordPress pages carry the absolute address they were built for).
"""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from tests.support.engine_matrix import ENGINES, engine_pages
from storage.db import open_archive
from storage.models import Post
from tests.support.blogs import crawl

SERVED = ["hexo-landscape", "hexo-next", "hexo-fluid", "hexo-butterfly", "mkdocs-material"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.slow
@pytest.mark.parametrize("engine", SERVED)
def test_crawl_stores_exactly_the_posts(tmp_path, engine: str) -> None:  # noqa: ANN001
    handler = partial(_Quiet, directory=str(ENGINES / engine / "site"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    db = str(tmp_path / "archive.db")
    try:
        result = crawl(db, base)
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr[-3000:]
    truths = {p.path: p.truth for p in engine_pages() if p.engine == engine and p.truth["kind"] == "post"}
    expected = {base + path.removesuffix("index.html"): truth for path, truth in truths.items()}
    archive = open_archive(db)
    try:
        with archive.Session() as session:
            stored = {p.canonical_url.replace("https://eastmoor.example/", base): p
                      for p in session.scalars(select(Post))}
            assert set(stored) == set(expected)  # listings, archives and the About page are not posts
            for url, truth in expected.items():
                post = stored[url]
                assert post.authors == truth["authors"]
                assert sorted(t.name for t in post.terms if t.taxonomy == "category") == sorted(truth["categories"])
                assert sorted(t.name for t in post.terms if t.taxonomy == "tag") == sorted(truth["tags"])
    finally:
        archive.dispose()

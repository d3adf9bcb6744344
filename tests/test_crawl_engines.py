"""Crawl blogs built by real engines, answered offline from the fixture folders as a static
file server answers.

The spider discovers everything from the home page (listings, pagination, term archives,
the static page); only the six posts may be stored, each with the fields of the truth file.
Engines whose pages use root- or page-relative links are crawled as they were built (Jekyll and
WordPress pages carry the absolute address they were built for).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.db import open_archive
from storage.models import Post
from tests.support.engine_matrix import ENGINES, engine_pages
from tests.support.offline import OfflineCrawl, folder_answers

SERVED = ["hexo-landscape", "hexo-next", "hexo-fluid", "hexo-butterfly", "mkdocs-material"]
BASE = "http://127.0.0.1:8000/"


@pytest.mark.parametrize("engine", SERVED)
def test_crawl_stores_exactly_the_posts(tmp_path, engine: str) -> None:  # noqa: ANN001
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    OfflineCrawl(db, BASE, folder_answers(ENGINES / engine / "site")).run()
    truths = {p.path: p.truth for p in engine_pages() if p.engine == engine and p.truth["kind"] == "post"}
    expected = {BASE + path.removesuffix("index.html"): truth for path, truth in truths.items()}
    archive = open_archive(db)
    try:
        with archive.Session() as session:
            stored = {p.canonical_url.replace("https://eastmoor.example/", BASE): p
                      for p in session.scalars(select(Post))}
            assert set(stored) == set(expected)  # listings, archives and the About page are not posts
            for url, truth in expected.items():
                post = stored[url]
                assert post.authors == truth["authors"]
                assert sorted(t.name for t in post.terms if t.taxonomy == "category") == sorted(truth["categories"])
                assert sorted(t.name for t in post.terms if t.taxonomy == "tag") == sorted(truth["tags"])
    finally:
        archive.dispose()

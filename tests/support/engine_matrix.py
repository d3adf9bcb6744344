"""The real-engine fixture matrix: captured pages of blogs built by real engines, with truth.

Shared by ``tests/test_pages_engines.py`` (every page must be exact) and
``tests/benchmarks/bench_fields.py`` (accuracy per field). The fixtures and their truth files
are made by ``tests/fixtures/engines/render.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from crawler.items import Listing, NotAPost, Post
from crawler.pages import extract

ENGINES = Path(__file__).parents[1] / "fixtures" / "engines"
POST_FIELDS = ("title", "authors", "published", "categories", "tags", "body")


@dataclass(frozen=True)
class Page:
    engine: str
    path: str
    url: str
    truth: dict = field(compare=False, hash=False)

    @property
    def file(self) -> Path:
        return ENGINES / self.engine / "site" / self.path


def page_url(site_url: str, path: str) -> str:
    """The address a static host serves ``path`` at (``x/index.html`` → ``x/``)."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return site_url + path


@cache
def engine_pages() -> tuple[Page, ...]:
    pages = []
    for truth_file in sorted(ENGINES.glob("*/truth.json")):
        data = json.loads(truth_file.read_text(encoding="utf-8"))
        for path, truth in sorted(data["pages"].items()):
            pages.append(Page(truth_file.parent.name, path, page_url(data["site_url"], path), truth))
    return tuple(pages)


def html_pages() -> list[Page]:
    return [p for p in engine_pages() if p.truth["kind"] != "feed"]


def feed_pages() -> list[Page]:
    return [p for p in engine_pages() if p.truth["kind"] == "feed"]


@cache
def extracted(page: Page) -> Post | Listing | NotAPost:
    return extract(page.url, page.file.read_bytes(), {"content-type": "text/html; charset=utf-8"})


def kind_of(item: Post | Listing | NotAPost) -> str:
    return {Post: "post", Listing: "listing"}.get(type(item), "not-a-post")


def field_value(post: Post, name: str, truth: dict) -> object:
    """The extracted value of ``field`` in the form the truth file writes it."""
    field = name
    if field == "published":
        if post.published is None:
            return None
        return post.published.isoformat() if "T" in truth["published"] else f"{post.published:%Y-%m-%d}"
    if field in ("categories", "tags"):
        return sorted(getattr(post, field))
    if field == "body":
        return body_problems(post.text, truth)
    if field == "title":
        return _plain_quotes(post.title)
    return getattr(post, field)


def expected_value(field: str, truth: dict) -> object:
    if field in ("categories", "tags"):
        return sorted(truth[field])
    if field == "title":
        return _plain_quotes(truth["title"])
    return [] if field == "body" else truth[field]


def body_problems(text: str, truth: dict) -> list[str]:
    """Body snippets that are missing (``with``) or present (``without``); [] when right."""
    text = _plain_quotes(text)
    missing = [f"missing: {s[:40]}" for s in truth["with"] if _plain_quotes(s) not in text]
    return missing + [f"foreign: {s[:40]}" for s in truth["without"] if _plain_quotes(s) in text]


def _plain_quotes(text: str) -> str:
    """Engines print smart quotes for straight ones (Markdown typography, WordPress's
    wptexturize); both are the author's text."""
    return text.translate(str.maketrans("‘’“”", "''\"\""))

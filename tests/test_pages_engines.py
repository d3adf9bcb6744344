"""Blogs built by real engines (Jekyll, Hexo themes, MkDocs Material…): every page, every field.

The pages under ``tests/fixtures/engines/<engine-theme>/site/`` were rendered by
``tests/fixtures/engines/render.py`` from hand-written content; ``truth.json`` says what each
page is. Page kind must be right on every page and every post field exact.
"""

from __future__ import annotations

import pytest

from crawler.discovery import feed_links
from crawler.items import Post
from tests.support.engine_matrix import (
    POST_FIELDS, engine_pages, expected_value, extracted, feed_pages, field_value, html_pages,
    kind_of,
)


def _id(page) -> str:  # noqa: ANN001
    return f"{page.engine}/{page.path}"


def test_matrix_has_engines_and_every_kind() -> None:
    engines = {p.engine for p in engine_pages()}
    assert len(engines) >= 4
    kinds = {p.truth["kind"] for p in engine_pages()}
    assert kinds == {"post", "listing", "not-a-post", "feed"}


@pytest.mark.parametrize("page", html_pages(), ids=_id)
def test_page_kind(page) -> None:  # noqa: ANN001
    item = extracted(page)
    assert kind_of(item) == page.truth["kind"], getattr(item, "reason", "")
    if page.truth["kind"] == "not-a-post":
        assert item.reason == page.truth["reason"]


POST_CASES = [(p, f) for p in html_pages() if p.truth["kind"] == "post" for f in POST_FIELDS]


@pytest.mark.parametrize(("page", "field"), POST_CASES, ids=[f"{_id(p)}:{f}" for p, f in POST_CASES])
def test_post_field(page, field: str) -> None:  # noqa: ANN001
    item = extracted(page)
    assert isinstance(item, Post)
    assert field_value(item, field, page.truth) == expected_value(field, page.truth)


@pytest.mark.parametrize("page", feed_pages(), ids=_id)
def test_feed_lists_exactly_the_posts(page) -> None:  # noqa: ANN001
    """A feed names posts, never listings or static pages: a route the spider can trust."""
    posts = {p.url for p in html_pages() if p.engine == page.engine and p.truth["kind"] == "post"}
    links = set(feed_links(page.file.read_bytes()))
    assert links and links <= posts

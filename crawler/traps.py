"""Crawl traps by their structure: chains of look-alike URLs that no route names. Pure.

A trap is an endless family of pages, each linking the next: ``/diary/?date=2024-01-02``
linking ``?date=2024-01-03``, ``/events/2024-02/`` linking ``/events/2024-03/``, ``?d=N``
linking ``?d=N+1``. Whatever the parameter is called, the pages share a *shape* — the URL
with its numbers, dates and query values taken out — and each was found on the one before.
The spider cuts such a chain after a few pages (``CIVIC_ARCHIVE_MAX_CHAIN``) and does not take
its pages for posts unless the blog says they are (sitemap, feed, REST API, post markup).
Posts with slugs keep their own shapes (``/2024/05/bins/`` is not ``/2024/05/roads/``), so
"next post" links between real posts never make a chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlsplit

# A path segment made only of digits and separators: a number, a date, a time.
_NUMERIC = re.compile(r"[\d\W_]*\d[\d\W_]*")


def url_shape(url: str) -> str:
    """The URL with numeric path segments as ``N`` and every query value left out.

    >>> url_shape("http://b.example/diary/?date=2024-01-05")
    'b.example/diary/?date'
    >>> url_shape("http://b.example/events/2024-02/")
    'b.example/events/N/'
    """
    parts = urlsplit(url)
    path = "/".join("N" if _NUMERIC.fullmatch(seg) else seg for seg in parts.path.split("/"))
    keys = sorted({k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return parts.netloc.lower() + (path or "/") + ("?" + "&".join(keys) if keys else "")


def chain_length(parent_url: str, parent_length: int, url: str) -> int:
    """How many look-alike pages in a row ``url`` would make, found on ``parent_url``
    (itself the ``parent_length``-th of its chain)."""
    return parent_length + 1 if url != parent_url and url_shape(url) == url_shape(parent_url) else 1


def in_chain(url: str, length: int, links: Iterable[str]) -> bool:
    """Whether the page at ``url`` belongs to a chain: found on a look-alike page, or linking
    to a look-alike page itself (the chain's first page)."""
    if length > 1:
        return True
    shape = url_shape(url)
    return any(link != url and url_shape(link) == shape for link in links)

"""A generated sample civic blog (ground truth plus WordPress-like site) and its loopback server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .generator import generate_blog, write_site
from .model import Author, Blog, BlogChanges, BlogPost, Comment, Page, Term
from .resource import SiteOptions
from .site import Site, render_site

if TYPE_CHECKING:
    from .server import RequestRecord, ServedBlog, serve_blog

__all__ = [
    "Author",
    "Blog",
    "BlogChanges",
    "BlogPost",
    "Comment",
    "Page",
    "RequestRecord",
    "ServedBlog",
    "Site",
    "SiteOptions",
    "Term",
    "generate_blog",
    "render_site",
    "serve_blog",
    "write_site",
]

_SERVER_NAMES = {"RequestRecord", "ServedBlog", "serve_blog"}


def __getattr__(name: str) -> Any:
    """Import the server lazily, so ``python -m crawler.demo.server`` runs it only once."""
    if name in _SERVER_NAMES:
        from . import server

        return getattr(server, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""A rendered sample site: answers any request target, and can be written out as files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from .render import render_static
from .resource import JSON, Resource, SiteOptions, redirect
from .rest import RestApi

if TYPE_CHECKING:
    from .model import Blog

__all__ = ["Site", "SiteOptions", "render_site", "write_site"]


class Site:
    """One version of a blog, pre-rendered; :meth:`resolve` maps a request target to a response.

    Query-string routes (``/?p=``, ``/feed/?paged=``, the REST API) are answered here;
    REST replies are computed on first request and cached.
    """

    def __init__(self, blog: Blog, options: SiteOptions | None = None) -> None:
        self.blog = blog
        self.options = options or SiteOptions()
        rendered = render_static(blog, self.options)
        self.pages = rendered.pages
        self.feed_pages = rendered.feed_pages
        self.not_found = rendered.not_found
        self.feed_past_end = rendered.feed_past_end
        self.rest = RestApi(blog, rendered.bodies)
        self._rest_cache: dict[str, Resource] = {}
        self._lock = threading.Lock()
        self._ids = {p.id: p.permalink for p in [*blog.posts, blog.protected]}

    def resolve(self, target: str) -> Resource:
        """The response WordPress would give for ``target`` (path plus optional query)."""
        parts = urlsplit(target)
        path = parts.path or "/"
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if self.options.rest_api and (path.startswith("/wp-json") or (path == "/" and "rest_route" in params)):
            return self._rest(path, params)
        if path == "/" and params:
            special = self._home_query(params)
            if special is not None:
                return special
        if path == "/feed/" and "paged" in params and self.options.feed:
            return self._feed_page(params["paged"])
        found = self.pages.get(path)
        if found is not None:
            return found
        if not path.endswith("/") and path + "/" in self.pages:
            query = f"?{parts.query}" if parts.query else ""
            return redirect(f"{self.blog.base_url}{path}/{query}")
        return self._missing()

    def _home_query(self, params: dict[str, str]) -> Resource | None:
        """``?p=``, ``?page_id=`` and ``?paged=`` on the home URL, as WordPress redirects them."""
        if "p" in params:
            link = self._ids.get(int(params["p"])) if params["p"].isdigit() else None
            return redirect(link) if link else self._missing()
        if "page_id" in params:
            about = self.blog.about
            return redirect(about.permalink) if params["page_id"] == str(about.id) else self._missing()
        if "paged" in params and params["paged"].isdigit():
            number = int(params["paged"])
            path = "/" if number <= 1 else f"/page/{number}/"
            return redirect(self.blog.base_url + path) if path in self.pages else self._missing()
        return None

    def _feed_page(self, paged: str) -> Resource:
        number = int(paged) if paged.isdigit() else 1
        return self.feed_pages.get(max(number, 1)) or self.feed_past_end or self._missing()

    def _rest(self, path: str, params: dict[str, str]) -> Resource:
        route = params.pop("rest_route", "") if path == "/" else path.removeprefix("/wp-json")
        key = route + "?" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        with self._lock:
            cached = self._rest_cache.get(key)
        if cached is not None:
            return cached
        reply = self.rest.handle(route, params)
        exposed = ("Access-Control-Expose-Headers", "X-WP-Total, X-WP-TotalPages, Link")
        headers = (("Allow", "GET"), exposed, *reply.headers)
        resource = Resource(reply.status, reply.body, JSON, headers)
        with self._lock:
            self._rest_cache[key] = resource
        return resource

    def _missing(self) -> Resource:
        assert self.not_found is not None
        return self.not_found


def render_site(blog: Blog, options: SiteOptions | None = None) -> Site:
    """Render ``blog`` at its current ``base_url``."""
    return Site(blog, options)


def write_site(blog: Blog, out_dir: str | Path, *, options: SiteOptions | None = None) -> list[Path]:
    """Write every page that has a path of its own under ``out_dir`` and return the files.

    ``/x/`` becomes ``x/index.html`` (``x/index.xml`` for the feed); query-string routes
    and the REST API exist only when served (:func:`crawler.demo.server.serve_blog`).
    """
    site = Site(blog, options)
    root = Path(out_dir)
    written = []
    for path, resource in sorted(site.pages.items()):
        if resource.status != 200:
            continue
        name = path.lstrip("/")
        if path.endswith("/"):
            name += "index.xml" if "rss" in resource.content_type else "index.html"
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(resource.body)
        written.append(target)
    return written

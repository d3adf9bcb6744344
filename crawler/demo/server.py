"""Serve a sample blog on loopback, WordPress-style, for demos, end-to-end tests and benchmarks."""

from __future__ import annotations

import argparse
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

from .resource import SiteOptions
from .site import Site

if TYPE_CHECKING:
    from types import TracebackType

    from .model import Blog
    from .resource import Resource

__all__ = ["RequestRecord", "ServedBlog", "serve_blog"]


@dataclass(frozen=True)
class RequestRecord:
    """One request the server answered: method, target (path and query), status, request headers."""

    method: str
    target: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class ServedBlog:
    """A running loopback server for a blog; use as a context manager or call :meth:`close`.

    ``url`` is the base URL; ``blog`` the served version (its ``base_url`` and permalinks
    point at the real port); ``request_count`` counts requests per target and ``requests``
    lists them in order.
    """

    def __init__(self, blog: Blog, options: SiteOptions | None = None, port: int = 0) -> None:
        self.options = options or SiteOptions()
        self.requests: list[RequestRecord] = []
        self.request_count: Counter[str] = Counter()
        self._log_lock = threading.Lock()
        self._httpd = _QuietServer(("127.0.0.1", port), _handler_for(self))
        self.port = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.site = Site(blog.rebase(self.url), self.options)
        # A short poll interval makes close() quick, which matters in test suites.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name=f"demo-blog-{self.port}", daemon=True
        )
        self._thread.start()

    @property
    def blog(self) -> Blog:
        return self.site.blog

    def swap(self, blog: Blog) -> Blog:
        """Serve another version (e.g. ``blog.mutate()``) from now on; returns it rebased."""
        self.site = Site(blog.rebase(self.url), self.options)
        return blog

    def record(self, entry: RequestRecord) -> None:
        with self._log_lock:
            self.requests.append(entry)
            self.request_count[entry.target] += 1

    def reset_counts(self) -> None:
        """Forget the requests seen so far (e.g. between a crawl and a recrawl)."""
        with self._log_lock:
            self.requests.clear()
            self.request_count.clear()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ServedBlog:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def serve_blog(blog: Blog, options: SiteOptions | None = None, *, port: int = 0) -> ServedBlog:
    """Start serving ``blog`` on 127.0.0.1 (a free port unless ``port`` is given).

    The blog is rebased in place to the real address before rendering, so its ground
    truth permalinks match what a crawler sees.
    """
    return ServedBlog(blog, options, port)


class _QuietServer(ThreadingHTTPServer):
    """Threaded server that ignores clients hanging up mid-response (crawlers cancel requests)."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def _handler_for(served: ServedBlog) -> type[BaseHTTPRequestHandler]:
    class Handler(_BlogHandler):
        owner = served

    return Handler


class _BlogHandler(BaseHTTPRequestHandler):
    """Answers from the current :class:`Site`; keep-alive so crawls don't reconnect per page."""

    owner: ServedBlog
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "Apache"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Stay quiet: tests and the demo read the request log instead."""

    def _answer(self, *, with_body: bool) -> None:
        resource = self.owner.site.resolve(self.path)
        status = 304 if _not_modified(self, resource) else resource.status
        # Logged before replying, so a client that has its answer also sees it counted.
        self.owner.record(RequestRecord(self.command, self.path, status, dict(self.headers.items())))
        self.send_response(status)
        self.send_header("Content-Type", resource.content_type)
        for name, value in resource.headers:
            self.send_header(name, value)
        if resource.etag:
            self.send_header("ETag", resource.etag)
        stamp = resource.http_last_modified()
        if stamp:
            self.send_header("Last-Modified", stamp)
        if status != 304:  # a 304 has no body, so no length either
            self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if with_body and status != 304:
            self.wfile.write(resource.body)


def _not_modified(request: BaseHTTPRequestHandler, resource: Resource) -> bool:
    """Conditional GET: If-None-Match wins over If-Modified-Since, as RFC 9110 says."""
    if resource.status != 200:
        return False
    tags = request.headers.get("If-None-Match")
    if tags is not None:
        wanted = {t.strip().removeprefix("W/") for t in tags.split(",")}
        return "*" in wanted or resource.etag in wanted
    since = request.headers.get("If-Modified-Since")
    if since and resource.last_modified is not None:
        try:
            return resource.last_modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def main(argv: list[str] | None = None) -> int:
    """``python -m crawler.demo.server``: serve a generated blog until Ctrl-C."""
    from .generator import generate_blog

    parser = argparse.ArgumentParser(description="Serve a generated sample civic blog on 127.0.0.1.")
    parser.add_argument("--posts", type=int, default=60, help="number of posts (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    for route in ("sitemap", "rest-api", "feed", "robots"):
        parser.add_argument(f"--no-{route}", action="store_true", help=f"do not serve the {route.replace('-', ' ')}")
    args = parser.parse_args(argv)
    options = SiteOptions(sitemap=not args.no_sitemap, rest_api=not args.no_rest_api,
                          feed=not args.no_feed, robots=not args.no_robots)
    blog = generate_blog(args.posts, args.seed)
    with serve_blog(blog, options, port=args.port) as served:
        print(served.url, flush=True)
        print(f"{len(blog.posts)} posts; Ctrl-C to stop", file=sys.stderr, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

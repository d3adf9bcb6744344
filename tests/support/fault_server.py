"""A loopback sample-blog server whose answers can be broken per path, for crawl fault tests.

Usage::

    with FaultServer(generate_blog(14, seed=3)) as server:
        server.fail(post.path, error(503, times=2))      # two 503s, then the real page
        server.fail("/report/", content(PDF, "application/pdf"))
        server.link("/", "/report/")                     # so the crawler finds it
        ...crawl server.url...
        assert server.hits(post.path) == 3
        server.fail(other.path, followed_by(error(503, times=1), redirect(canary.url + "/secret")))

``FaultServer()`` with no blog is a canary: a witness on another port (or ``host="::1"``)
that must never be asked anything.
"""

from __future__ import annotations

import dataclasses
import random
import re
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Self
from urllib.parse import parse_qsl, urlsplit

from crawler.demo import render_site

if TYPE_CHECKING:
    from crawler.demo import Blog, SiteOptions

HTML = "text/html; charset=UTF-8"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"


@dataclass(frozen=True)
class Fault:
    """How to break the answer to one path; ``times`` limits it to the first N requests.

    ``kind`` is one of ``status`` (``status`` with ``headers`` and an error page), ``slow``
    (sleep ``seconds``, then the real page), ``reset`` (close without answering),
    ``truncate`` (announce more bytes than are sent), ``huge`` (``size`` bytes of HTML,
    streamed without a length unless ``announce``),
    ``redirect`` (to ``location``) and ``rewrite`` (the real page passed through ``rewrite``,
    sent as ``content_type``; a rewrite of a missing page gets ``b""``). After its ``times``,
    a fault gives way to ``then`` (another fault for good) or, without one, to the real page.
    """

    kind: str
    times: int | None = None
    status: int = 500
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    size: int = 0
    announce: bool = True
    location: str = ""
    rewrite: Callable[[bytes], bytes] | None = None
    content_type: str = HTML
    then: Fault | None = None


def error(status: int = 500, times: int | None = None, retry_after: int | None = None) -> Fault:
    headers = (("Retry-After", str(retry_after)),) if retry_after is not None else ()
    return Fault("status", times, status=status, headers=headers)


def slow(seconds: float, times: int | None = None) -> Fault:
    return Fault("slow", times, seconds=seconds)


def reset(times: int | None = None) -> Fault:
    return Fault("reset", times)


def truncated(times: int | None = None) -> Fault:
    return Fault("truncate", times)


def huge(size: int, times: int | None = None, announce: bool = True) -> Fault:
    return Fault("huge", times, size=size, announce=announce)


def redirect(location: str, status: int = 301, times: int | None = None) -> Fault:
    return Fault("redirect", times, status=status, location=location)


def rewrite(change: Callable[[bytes], bytes], content_type: str = HTML, times: int | None = None) -> Fault:
    return Fault("rewrite", times, rewrite=change, content_type=content_type)


def content(body: bytes, content_type: str, times: int | None = None) -> Fault:
    """Answer 200 with ``body`` whatever the path held."""
    return rewrite(lambda _old: body, content_type, times)


def empty(times: int | None = None) -> Fault:
    """A 200 with an empty body, labelled HTML."""
    return content(b"", HTML, times)


# Deterministic binary noise: what a broken cache or a mis-served file looks like.
GARBAGE_BYTES = random.Random(15).randbytes(6000)


def garbage(times: int | None = None) -> Fault:
    """A 200 of binary garbage labelled ``text/html``."""
    return content(GARBAGE_BYTES, "text/html", times)


def meta_refresh(location: str, times: int | None = None) -> Fault:
    """A small page whose ``<meta http-equiv=refresh>`` sends the browser to ``location``."""
    page = (f'<html><head><meta http-equiv="refresh" content="0; url={location}">'
            f"<title>Moved</title></head><body><p>Moved.</p></body></html>").encode()
    return content(page, HTML, times)


def followed_by(first: Fault, after: Fault) -> Fault:
    """``first`` for its ``times``, then ``after`` for good (e.g. a 503, then a redirect)."""
    return dataclasses.replace(first, then=after)


class FaultServer:
    """A threaded HTTP server on ``host`` (port 0) serving ``blog`` with per-path faults.

    ``blog=None`` makes a bare witness server that answers every path with a small page;
    it is there to be counted (e.g. as the target of an off-site redirect). ``traps=True``
    answers trap URLs (calendars, session IDs, endless pages) with pages full of more of them.
    """

    def __init__(self, blog: Blog | None = None, options: SiteOptions | None = None,
                 host: str = "127.0.0.1", traps: bool = False, tls: bool = False) -> None:
        self.faults: dict[str, Fault] = {}
        self.links: dict[str, list[str]] = {}
        self.traps = traps
        self.log: list[tuple[float, str, str]] = []  # (monotonic time, target, fault kind or "ok")
        self._lock = threading.Lock()
        self._seen: Counter[str] = Counter()
        self._httpd = (_Server6 if ":" in host else _Server)((host, 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        if tls:
            self._httpd.socket = _self_signed_context(host).wrap_socket(self._httpd.socket, server_side=True)
        netloc = f"[{host}]" if ":" in host else host
        self.url = f"{'https' if tls else 'http'}://{netloc}:{self.port}"
        self.options = options
        self.site = render_site(blog.rebase(self.url), options) if blog is not None else None
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fault-server-{self.port}", daemon=True)
        self._thread.start()

    @property
    def blog(self) -> Blog:
        assert self.site is not None
        return self.site.blog

    def fail(self, target: str, fault: Fault) -> None:
        """Break ``target`` (a path, or a path with its query) from now on."""
        with self._lock:
            self.faults[target] = fault
            self._seen[target] = 0

    def heal(self) -> None:
        """Drop every fault: from now on each path answers as the blog has it."""
        with self._lock:
            self.faults.clear()

    def swap(self, blog: Blog) -> None:
        """Serve another version of the blog (edits, new posts) at the same address."""
        self.site = render_site(blog.rebase(self.url), self.options)

    def link(self, page: str, *targets: str) -> None:
        """Add links to ``targets`` at the end of ``page``'s body."""
        self.links.setdefault(page, []).extend(targets)

    def hits(self, target: str | None = None, where: Callable[[str], bool] | None = None) -> int:
        """Requests for exactly ``target`` (path and query), or for the targets ``where`` accepts."""
        with self._lock:
            return sum(1 for _t, got, _k in self.log
                       if (target is None or got == target) and (where is None or where(got)))

    def times(self, target: str) -> list[float]:
        with self._lock:
            return [t for t, got, _k in self.log if got == target]

    def stop(self) -> None:
        """Stop answering and close the port (the whole site goes down)."""
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- used by the handler -------------------------------------------------------------

    def fault_for(self, target: str) -> Fault | None:
        """The fault for this request (exact target first, then its path), counting bursts."""
        with self._lock:
            key = target if target in self.faults else target.split("?")[0]
            fault = self.faults.get(key)
            if fault is None:
                return None
            self._seen[key] += 1
            return fault if fault.times is None or self._seen[key] <= fault.times else fault.then

    def record(self, target: str, kind: str) -> None:
        with self._lock:
            self.log.append((time.monotonic(), target, kind))

    def page(self, target: str) -> tuple[int, bytes, str, tuple[tuple[str, str], ...]]:
        """The unbroken answer: status, body, content type and extra headers."""
        trap_links = tuple(self.links.get(target.split("?")[0], ()))
        if self.traps and (trap := trap_page(target, trap_links)) is not None:
            return 200, trap.encode(), HTML, ()
        if self.site is None:
            return 200, b"<html><body><p>Another site.</p></body></html>", HTML, ()
        found = self.site.resolve(target)
        body, path = found.body, target.split("?")[0]
        if self.links.get(path) and found.status == 200:
            anchors = "".join(f'<a href="{t}">{t}</a> ' for t in self.links[path])
            body = body.replace(b"</body>", f"<p>{anchors}</p></body>".encode(), 1)
        return found.status, body, found.content_type, found.headers


def _self_signed_context(host: str) -> ssl.SSLContext:
    """A TLS context with a throwaway self-signed certificate: invalid for any client that
    checks, which is what a blog with a lapsed or home-made certificate looks like."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "self-signed.invalid")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    folder = Path(tempfile.mkdtemp(prefix="fault-tls-"))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FaultServer

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """Crawlers hang up on slow or huge answers; that is the point, not an error."""


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests read ``FaultServer.log``."""

    def do_GET(self) -> None:
        owner = self.server.owner
        fault = owner.fault_for(self.path)
        status, body, ctype, headers = owner.page(self.path)
        kind = fault.kind if fault else "ok"
        owner.record(self.path, kind)
        if kind == "reset":
            # SO_LINGER 0: closing sends a TCP reset instead of an orderly FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if kind == "slow":
            time.sleep(fault.seconds)
        elif kind == "status":
            status, body, headers = fault.status, b"<html><body><p>Try later.</p></body></html>", fault.headers
        elif kind == "redirect":
            status, body, headers = fault.status, b"", (("Location", fault.location),)
        elif kind == "huge":
            body = b"<html><body>" + (b"<p>" + b"x" * 1000 + b"</p>\n") * (fault.size // 1008) + b"</body></html>"
        elif kind == "rewrite":
            status, body, ctype = 200, fault.rewrite(body if status == 200 else b""), fault.content_type
        unannounced = kind == "huge" and not fault.announce
        self._send(status, body, ctype, headers, truncate=kind == "truncate", length=not unannounced)

    def _send(self, status: int, body: bytes, ctype: str, headers: tuple[tuple[str, str], ...],
              *, truncate: bool = False, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for name, value in headers:
            self.send_header(name, value)
        if length:
            self.send_header("Content-Length", str(len(body)))
        if truncate or not length:  # the end of the body is where the connection closes
            self.send_header("Connection", "close")
            self.close_connection = True
        if truncate:
            body = body[: len(body) // 2]
        self.end_headers()
        try:
            self.wfile.write(body)
        except ConnectionError:
            self.close_connection = True


# --- crawl traps --------------------------------------------------------------------------

_ENDLESS = re.compile(r"^/archive/page/(\d+)/$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_CALENDAR = re.compile(r"^/(?:calendar|events)/(\d{4})-(\d{2})/$")


def trap_page(target: str, extra_links: tuple[str, ...] = ()) -> str | None:
    """An endless family of pages, or ``None`` when ``target`` is not a trap URL.

    ``/events/2024-01/`` (and ``/calendar/…``) links every day as ``/?m=YYYYMMDD`` and the
    next month; ``?sid=…`` pages link on with a fresh session ID; ``?orderby=`` pages
    link every other sort order; ``/archive/page/N/`` links ``/archive/page/N+1/``;
    ``/diary/?date=YYYY-MM-DD`` and ``/board/?thread=N`` are post-like pages each linking the
    next day or thread (and ``extra_links``).
    """
    parts = urlsplit(target)
    params = dict(parse_qsl(parts.query))
    if month := _CALENDAR.match(parts.path):
        year, number = int(month.group(1)), int(month.group(2))
        following = f"{year + number // 12}-{number % 12 + 1:02d}"
        days = [f"/?m={year}{number:02d}{day:02d}" for day in range(1, 29)]
        return _links_page("Events calendar", [*days, f"/calendar/{following}/", f"/events/{following}/"])
    if "sid" in params:
        return _links_page("Members", [f"{parts.path}?sid={params['sid']}{n}" for n in range(5)])
    if "orderby" in params or "sort" in params:
        orders = ("date", "title", "author", "modified", "rand")
        return _links_page("Sorted", [f"{parts.path}?orderby={o}&order={d}" for o in orders for d in ("asc", "desc")])
    if page := _ENDLESS.match(parts.path):
        following = int(page.group(1)) + 1
        older = f'<div class="nav-previous"><a href="/archive/page/{following}/">Older posts</a></div>'
        return _links_page("Archive", [], f'<nav class="navigation posts-navigation">{older}</nav>')
    if "m" in params:
        day = params["m"]
        return _links_page("Day", [f"/?m={int(day) + 1}"] if day.isdigit() else [])
    if parts.path == "/diary/" and (day := _DAY.match(params.get("date", ""))):
        when = datetime(*map(int, day.groups()))
        return _diary_page(when, f"/diary/?date={when + timedelta(days=1):%Y-%m-%d}", extra_links)
    if parts.path == "/board/" and params.get("thread", "").isdigit():
        number = int(params["thread"])
        return _diary_page(datetime(2024, 1, 1) + timedelta(days=number), f"/board/?thread={number + 1}",
                           extra_links)
    return None


def _diary_page(when: datetime, following: str, extra_links: tuple[str, ...] = ()) -> str:
    """A page that reads like a post (a title, paragraphs of prose) though no route names it
    and its markup claims nothing; it links the next one (and ``extra_links``)."""
    words = ("ward", "surgery", "notes", "residents", "council", "bins", "library", "road")
    rng = random.Random(when.toordinal())
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(words) for _ in range(40)) + f" on {when:%d %B %Y}.</p>"
        for _ in range(4))
    extra = "".join(f'<a href="{t}">more</a> ' for t in extra_links)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Diary: {when:%A %d %B %Y}</title>"
            f"</head><body><h1>Diary: {when:%A %d %B %Y}</h1>{paragraphs}"
            f'<p><a href="{following}">Next day</a> {extra}</p></body></html>')


def _links_page(title: str, targets: list[str], extra: str = "") -> str:
    anchors = "\n".join(f'<li><a href="{t}">{t}</a></li>' for t in targets)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><h1>{title}</h1><ul>{anchors}</ul>{extra}</body></html>")

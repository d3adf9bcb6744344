"""A two-post blog on 127.0.0.1 whose pages need images, a stylesheet, a font and a script,
with every kind of bad requisite: a 404, a hotlinked image, a file over the size limit, an
HTML page where an image should be, a data: URI and a srcset of many sizes.

The post pages are the saved WordPress fixture ``wp-twentytwentyfour/parking-charges.html``
moved to this server's address, with those images added to the post body.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURE = Path(__file__).parents[1] / "fixtures" / "html" / "wp-twentytwentyfour" / "parking-charges.html"
ORIGIN = "https://eastburyforum.example"
SLUG = "high-street-parking-charges"
SECOND = "second-parking-post"
HUGE_BYTES = 300_000
MAX_BYTES = 100_000  # the crawl's CIVIC_ARCHIVE_REQUISITE_MAX_BYTES in the tests
SRCSET_SIZES = (300, 600, 900, 1200, 2400)
EXTRA_IMAGES = """
<p>Photos from readers.</p>
<img src="/wp-content/uploads/missing.jpg" alt="gone" />
<img src="http://elsewhere.example/hotlinked.jpg" alt="hotlinked" />
<img src="/wp-content/uploads/huge.png" alt="huge" />
<img src="/wp-content/uploads/not-an-image.jpg" alt="an error page" />
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=" alt="inline" />
<img src="/wp-content/uploads/photo-300.png" alt="responsive" srcset="{srcset}" sizes="100vw" />
"""
STYLESHEET = (b"@font-face { font-family: Body; src: url('../fonts/body.woff2') format('woff2'); }\n"
              b"body { font-family: Body, serif; }\n")


def png(width: int, height: int = 1, shade: int = 0) -> bytes:
    """A real (tiny, valid) PNG, so image viewers and replay tools accept it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([shade % 256]) * width * 3 for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _post_page(base: str, slug: str) -> bytes:
    html = FIXTURE.read_text(encoding="utf-8").replace(ORIGIN, base).replace(SLUG, slug)
    srcset = ", ".join(f"/wp-content/uploads/photo-{w}.png {w}w" for w in SRCSET_SIZES)
    marker = '<figure class="wp-block-image size-large">'
    html = html.replace(marker, EXTRA_IMAGES.format(srcset=srcset) + marker, 1)
    if slug == SECOND:
        # Another post (its own WordPress ID, its own title) on the same theme, with the
        # same stylesheet under another ?ver=: a new address, the same bytes.
        html = html.replace("style.min.css?ver=6.7.2", "style.min.css?ver=6.7.3")
        html = html.replace("958", "959").replace("High street parking charges", "Second look at parking")
    return html.encode("utf-8")


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """Crawlers hang up mid-response (a file over the size limit): not an error here."""


class RequisiteSite:
    """Serve the blog on a free loopback port; ``hits`` counts requests per path."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        home = f'<html><body><a href="/{SLUG}/">one</a> <a href="/{SECOND}/">two</a></body></html>'
        self.files: dict[str, tuple[int, str, bytes]] = {
            "/": (200, "text/html; charset=utf-8", home.encode()),
            f"/{SLUG}/": (200, "text/html; charset=utf-8", _post_page(self.base, SLUG)),
            f"/{SECOND}/": (200, "text/html; charset=utf-8", _post_page(self.base, SECOND)),
            "/wp-content/uploads/2025/10/notice-1024x576.jpg": (200, "image/png", png(64, 36)),
            "/wp-content/uploads/huge.png": (200, "image/png", png(8) + bytes(HUGE_BYTES)),
            "/wp-content/uploads/not-an-image.jpg": (200, "text/html", b"<html>Not found</html>"),
            "/wp-includes/css/dist/block-library/style.min.css": (200, "text/css", STYLESHEET),
            "/wp-includes/css/dist/fonts/body.woff2": (200, "font/woff2", b"wOF2" + b"\x00" * 60),
            "/wp-includes/js/comment-reply.min.js": (200, "application/javascript", b"void 0;\n"),
        }
        for width in SRCSET_SIZES:
            self.files[f"/wp-content/uploads/photo-{width}.png"] = (200, "image/png", png(width // 10, 2, width))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def image(self, path: str) -> bytes:
        return self.files[path][2]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                site.hits[path] += 1
                status, kind, body = site.files.get(path, (404, "text/html", b"<h1>Not found</h1>"))
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                """Quiet: tests read ``hits``."""

        return Handler

    def __enter__(self) -> RequisiteSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

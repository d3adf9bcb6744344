"""Rendered responses and the switches that decide which discovery routes a site offers."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime

HTML = "text/html; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class SiteOptions:
    """Which discovery routes the sample site answers; switch one off to test the fallbacks.

    ``per_page`` is WordPress's "Blog pages show at most" (listings and feed pages);
    ``sitemap_max_urls`` is the core sitemap's page size.
    """

    sitemap: bool = True
    rest_api: bool = True
    feed: bool = True
    robots: bool = True
    per_page: int = 10
    sitemap_max_urls: int = 2000


@dataclass(frozen=True)
class Resource:
    """One ready response: status, body bytes, type, extra headers and validators."""

    status: int
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()
    last_modified: datetime | None = None
    etag: str | None = None

    def http_last_modified(self) -> str | None:
        if self.last_modified is None:
            return None
        return format_datetime(self.last_modified.astimezone(timezone.utc), usegmt=True)


def document(
    text: str,
    content_type: str,
    modified: datetime | None,
    headers: tuple[tuple[str, str], ...] = (),
    status: int = 200,
) -> Resource:
    """A 200 (or given status) response with an ETag that changes whenever the body does."""
    body = text.encode("utf-8")
    etag = f'"{zlib.crc32(body):08x}-{len(body):x}"'  # CRC plus length: cheap for 100 MB of pages
    # HTTP dates have whole seconds, so the validator must too for 304s to match.
    stamp = modified.replace(microsecond=0) if modified else None
    return Resource(status, body, content_type, headers, stamp, etag)


def redirect(location: str, status: int = 301) -> Resource:
    """A WordPress-style canonical redirect (``X-Redirect-By: WordPress``)."""
    return Resource(status, b"", HTML, (("Location", location), ("X-Redirect-By", "WordPress")))

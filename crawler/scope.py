"""Which URLs a site crawl may fetch: on-site, http(s), and not a crawl trap."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from storage.urls import normalize_url

# Query parameters that multiply one page into endless URLs: sorting, sessions, calendars,
# search, comment paging and WordPress actions. Their pages add nothing to the archive.
TRAP_PARAMS = frozenset({
    "sort", "sortby", "order", "orderby", "dir", "sid", "sessionid", "phpsessid", "jsessionid",
    "s", "q", "search", "m", "cpage", "action", "calendar", "month", "year", "day", "view",
    "filter", "format", "print", "attachment_id", "preview", "like_comment", "redirect_to",
})
SKIP_PATHS = re.compile(
    r"/(wp-admin|wp-login\.php|wp-includes|xmlrpc\.php|wp-content/uploads|cdn-cgi|comments/feed)"
    r"|/trackback/?$|/embed/?$|/amp/?$|/print/?$|/calendar/|/share/"
    r"|\.(jpe?g|png|gif|webp|svg|ico|pdf|docx?|xlsx?|pptx?|zip|gz|mp[34]|mov|avi|css|js|woff2?)$",
    re.IGNORECASE,
)
PAGE_NUMBER = re.compile(r"/page/(\d+)/?$")


@dataclass
class SiteScope:
    """The site's root URL, other hosts it has lived on, and the pagination cap.

    :param root: registered site URL, e.g. ``https://blog.example/news/``.
    :param aliases: other hosts serving the same blog (moved domains).
    :param max_page: listing/feed page numbers above this are treated as a trap.
    """

    root: str
    aliases: tuple[str, ...] = ()
    max_page: int = 500
    hosts: frozenset[str] = field(init=False)
    prefix: str = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.root)
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        hosts = {parts.netloc.lower()} | {a.lower().split("//")[-1].strip("/") for a in self.aliases}
        hosts |= {h[4:] if h.startswith("www.") else "www." + h for h in hosts}
        self.hosts = frozenset(hosts)

    def on_site(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in self.hosts:
            return False
        path = parts.path or "/"
        return path.startswith(self.prefix) or path + "/" == self.prefix

    def skip_reason(self, url: str) -> str | None:
        """Why ``url`` must not be fetched, or ``None`` when it may be."""
        if not self.on_site(url):
            return "offsite"
        parts = urlsplit(url)
        if SKIP_PATHS.search(parts.path):
            return "not_content"
        params = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
        if any(k in TRAP_PARAMS for k in params):
            return "trap_params"
        page = PAGE_NUMBER.search(parts.path)
        number = int(page.group(1)) if page else _int(params.get("paged") or params.get("page"))
        if number > self.max_page:
            return "pagination_cap"
        return None

    def normalize(self, url: str) -> str:
        return normalize_url(url)


def _int(value: str | None) -> int:
    try:
        return int(value) if value else 0
    except ValueError:
        return 0

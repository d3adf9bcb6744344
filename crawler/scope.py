"""Which URLs a site crawl may fetch: the site's own origin, http(s), and not a crawl trap.

Two layers use this: the spider, before it makes a request from a link, sitemap, feed or REST
record, and :class:`crawler.middlewares.ScopeMiddleware`, before any request is sent (redirects
at every hop, meta refresh, retries and ``dont_filter`` requests included).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from storage.urls import normalize_url

# Query parameters that multiply one page into endless URLs: sorting, sessions, calendars,
# search, comment paging and WordPress actions. Their pages add nothing to the archive.
# (Traps with other parameter names are cut by their shape: see crawler.traps.)
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
WEB_PORTS = frozenset({80, 443})
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass
class SiteScope:
    """The site's root URL, other hosts it has lived on, and the pagination cap.

    A site is its host names *and port*: ``http://127.0.0.1:8123/`` does not reach
    ``127.0.0.1:8099`` (another service on the same machine). A site registered without a
    port answers on the web ports, 80 and 443, under either scheme.

    :param root: registered site URL, e.g. ``https://blog.example/news/``.
    :param aliases: other hosts serving the same blog (moved domains), ``host`` or ``host:port``.
    :param max_page: listing/feed page numbers above this are treated as a trap.
    """

    root: str
    aliases: tuple[str, ...] = ()
    max_page: int = 500
    hosts: frozenset[str] = field(init=False)
    prefix: str = field(init=False)
    origins: frozenset[tuple[str, int | None]] = field(init=False)

    def __post_init__(self) -> None:
        parts = urlsplit(self.root)
        self.prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
        hosts = {parts.netloc.lower()} | {a.lower().split("//")[-1].strip("/") for a in self.aliases}
        hosts |= {h[4:] if h.startswith("www.") else "www." + h for h in hosts}
        self.hosts = frozenset(hosts)
        self.origins = frozenset(_origin(h) for h in hosts)

    def refusal(self, url: str) -> str | None:
        """Why a request for ``url`` must not be sent, or ``None`` when it is the site's own.

        Reasons: ``scheme`` (not http/https: ``file:``, ``ftp:``, ``javascript:``…),
        ``bad_url``, ``port`` (the site's host on another port), ``internal_address``
        (loopback, private, link-local or any IPv6 literal that is not the site) and
        ``offsite`` (any other host). Host names are compared, never resolved.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            return "scheme"
        try:
            host, port = (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS[scheme]
        except ValueError:  # a port that is not a number, or out of range
            return "bad_url"
        if not host:
            return "bad_url"
        if (host, port) in self.origins or (port in WEB_PORTS and (host, None) in self.origins):
            return None
        if any(host == known for known, _ in self.origins):
            return "port"
        return "internal_address" if _internal(host) else "offsite"

    def on_site(self, url: str) -> bool:
        if self.refusal(url) is not None:
            return False
        path = urlsplit(url).path or "/"
        return path.startswith(self.prefix) or path + "/" == self.prefix

    def skip_reason(self, url: str) -> str | None:
        """Why ``url`` must not be fetched, or ``None`` when it may be."""
        refusal = self.refusal(url)
        if refusal is not None:
            return "offsite" if refusal == "offsite" else f"offsite_{refusal}"
        if not self.on_site(url):
            return "offsite"  # the site's host, outside the blog's path
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


def _origin(netloc: str) -> tuple[str, int | None]:
    """``host[:port]`` as (host, port); ``None`` for no port given (the web ports)."""
    parts = urlsplit("//" + netloc)
    try:
        return (parts.hostname or "").lower(), parts.port
    except ValueError:
        return (parts.hostname or "").lower(), None


def _internal(host: str) -> bool:
    """An address literal that reaches this machine or its network, or any IPv6 literal;
    ``localhost`` names count too. (Other names are refused as plain off-site hosts.)"""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.version == 6 or not address.is_global


def _int(value: str | None) -> int:
    try:
        return int(value) if value else 0
    except ValueError:
        return 0

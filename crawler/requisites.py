"""What a post's page needs to show as published: pure link extraction, no network.

Images in the post come first (in the post's order), then the page's stylesheets, scripts
and fonts. Only addresses on the blog's own hosts, their subdomains and the upload/CDN hosts
blogs serve media from are kept; every other address is reported with the reason it was
left out, so nothing is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

KINDS = ("image", "stylesheet", "script", "font")
# Hosts blogs serve their uploads and theme files from (WordPress.com/Jetpack, Blogger).
MEDIA_HOST_PATTERNS = (
    re.compile(r"^i[0-3]\.wp\.com$"), re.compile(r"^s[0-2]\.wp\.com$"),
    re.compile(r"^[a-z0-9-]+\.files\.wordpress\.com$"),
    re.compile(r"^[0-9]\.bp\.blogspot\.com$"), re.compile(r"^blogger\.googleusercontent\.com$"),
)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?['"]?([^'");\s]+)""", re.IGNORECASE)
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)


@dataclass(frozen=True)
class Requisite:
    url: str
    kind: str


@dataclass(frozen=True)
class Skipped:
    url: str
    kind: str
    reason: str  # data_uri, not_http, offsite, srcset_smaller


@dataclass
class Found:
    wanted: list[Requisite] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


@dataclass(frozen=True)
class HostPolicy:
    """Which hosts' files belong to the blog: its own hosts (with port), their subdomains,
    the known media hosts and any the user adds."""

    site_hosts: frozenset[str]
    extra_hosts: frozenset[str] = frozenset()

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        netloc, host = parts.netloc.lower(), (parts.hostname or "").lower()
        if netloc in self.site_hosts or host in self.extra_hosts:
            return True
        bare = {h.split(":")[0].removeprefix("www.") for h in self.site_hosts}
        if any(host.endswith("." + b) for b in bare if "." in b):
            return True
        return any(p.match(host) for p in MEDIA_HOST_PATTERNS)


def srcset_candidates(srcset: str) -> list[tuple[str, float]]:
    """``srcset`` as (url, size) pairs; size is the width (``800w``) or density (``2x``)."""
    found = []
    for part in srcset.split(","):
        bits = part.strip().split()
        if not bits:
            continue
        size = 1.0
        if len(bits) > 1:
            try:
                size = float(bits[1][:-1]) if bits[1][-1:] in ("w", "x") else 1.0
            except ValueError:
                size = 1.0
        found.append((bits[0], size))
    return found


class _Collector:
    """Builds a :class:`Found`, each address once, checking scheme and host."""

    def __init__(self, base: str, policy: HostPolicy, kinds: Iterable[str]) -> None:
        self.base, self.policy, self.kinds = base, policy, set(kinds)
        self.found, self.seen = Found(), set()

    def add(self, href: str | None, kind: str) -> None:
        if kind not in self.kinds or not href or not href.strip():
            return
        href = href.strip()
        if href[:5].lower() == "data:":
            if href[:64] not in self.seen:
                self.seen.add(href[:64])
                self.skip(href[:64], kind, "data_uri")  # already inside the page
            return
        url = urljoin(self.base, href).split("#", 1)[0]
        if url in self.seen:
            return
        self.seen.add(url)
        if urlsplit(url).scheme not in ("http", "https"):
            self.skip(url, kind, "not_http")
        elif not self.policy.allows(url):
            self.skip(url, kind, "offsite")  # hotlinked from another site
        else:
            self.found.wanted.append(Requisite(url, kind))

    def skip(self, url: str, kind: str, reason: str) -> None:
        self.found.skipped.append(Skipped(url, kind, reason))


def page_requisites(page_url: str, html: str, post_images: Sequence[str], policy: HostPolicy,
                    kinds: Iterable[str] = KINDS) -> Found:
    """The requisites of a post's page, post images first.

    :param post_images: the image addresses the page object found in the post body.
    :param kinds: the kinds wanted (settings can turn each off).
    """
    page = Selector(text=html)
    collect = _Collector(page_url, policy, kinds)
    in_post = set(post_images)
    for url in post_images:
        collect.add(url, "image")
    # A responsive image lists many sizes: the largest is kept besides the one shown.
    for img in page.xpath("//img[@srcset]"):
        src = urljoin(page_url, img.attrib.get("src", ""))
        if src not in in_post:
            continue
        candidates = sorted(srcset_candidates(img.attrib["srcset"]), key=lambda c: -c[1])
        for rank, (url, _size) in enumerate(candidates):
            absolute = urljoin(page_url, url)
            if rank == 0:
                collect.add(absolute, "image")
            elif absolute != src and absolute not in collect.seen:
                collect.skip(absolute, "image", "srcset_smaller")
    for src in page.xpath("//img/@src").getall():
        if src.strip()[:5].lower() == "data:":
            collect.add(src, "image")  # recorded as skipped: the bytes are in the page already
    for href in page.xpath("//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]/@href").getall():
        collect.add(href, "stylesheet")
    for src in page.xpath("//script/@src").getall():
        collect.add(src, "script")
    for href in page.xpath("//link[@rel='preload'][@as='font']/@href").getall():
        collect.add(href, "font")
    for style in page.xpath("//style/text()").getall():
        _css_into(collect, style)
    return collect.found


def stylesheet_requisites(css_url: str, css: str, policy: HostPolicy,
                          kinds: Iterable[str] = KINDS) -> Found:
    """Fonts a stylesheet loads (``@font-face``) and stylesheets it imports."""
    collect = _Collector(css_url, policy, kinds)
    _css_into(collect, css)
    return collect.found


def _css_into(collect: _Collector, css: str) -> None:
    for href in _CSS_IMPORT.findall(css):
        collect.add(href, "stylesheet")
    for block in _FONT_FACE.findall(css):
        for _quote, href in _CSS_URL.findall(block):
            collect.add(href, "font")


# What each kind's response may be; anything else (an HTML error page served with 200,
# a redirect to a login page) is skipped as wrong_type.
EXPECTED_TYPES = {
    "image": ("image/",),
    "stylesheet": ("text/css",),
    "script": ("javascript", "ecmascript", "text/plain"),
    "font": ("font/", "application/font", "application/x-font", "application/vnd.ms-fontobject",
             "application/octet-stream"),
}


def type_fits(kind: str, content_type: str) -> bool:
    """Whether a response's Content-Type is what a requisite of ``kind`` should be.
    A missing type is accepted: small servers often send none for static files."""
    value = content_type.split(";", 1)[0].strip().lower()
    return not value or any(t in value for t in EXPECTED_TYPES[kind])

"""A blog's own name and description, as it states them: pure parsers, no network.

Three places say who a blog is: the WordPress REST API's root (``/wp-json/``: ``name``,
``description``), the home page's ``og:site_name`` and description meta tags, and the
feed's channel ``title`` and ``description`` (Atom: ``title``, ``subtitle``). When they
disagree the REST root wins (it is the blog's settings verbatim), then the page, then the feed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree
from parsel import Selector

# Longest name stored (sites.name is 300 characters); descriptions are cut likewise.
MAX_NAME = 300
MAX_DESCRIPTION = 1000
SOURCES = ("rest", "page", "feed")  # most trusted first
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Identity:
    name: str | None = None
    description: str | None = None


def _clean(value: object, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    # WordPress stores its name HTML-escaped ("Tom &amp; Jerry"); feeds may double that.
    text = _SPACE.sub(" ", html.unescape(html.unescape(value))).strip()
    return text[:limit] or None


def _identity(name: object, description: object) -> Identity:
    return Identity(_clean(name, MAX_NAME), _clean(description, MAX_DESCRIPTION))


def from_rest_root(body: bytes) -> Identity:
    """The ``name`` and ``description`` of a WordPress REST API index (``/wp-json/``)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Identity()
    if not isinstance(data, dict) or "namespaces" not in data and "routes" not in data:
        return Identity()  # some other JSON (an error object, a login page's reply)
    return _identity(data.get("name"), data.get("description"))


def from_home_page(text: str) -> Identity:
    """``og:site_name`` (else ``application-name``) and the page's description meta tag."""
    page = Selector(text=text)

    def meta(*keys: str) -> str | None:
        for key in keys:
            value = page.xpath(f"//meta[@property='{key}' or @name='{key}']/@content").get()
            if value and value.strip():
                return value
        return None

    return _identity(meta("og:site_name", "application-name"),
                     meta("description", "og:description"))


def from_feed(body: bytes) -> Identity:
    """An RSS channel's title and description, or an Atom feed's title and subtitle."""
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True,
                                                      recover=True))
    except (etree.XMLSyntaxError, ValueError):
        return Identity()
    if root is None:
        return Identity()
    tag = etree.QName(root).localname
    if tag == "rss":
        channel = root.find("channel")
        if channel is None:
            return Identity()
        return _identity(channel.findtext("title"), channel.findtext("description"))
    if tag == "feed":
        def child(name: str) -> str | None:
            found = [e for e in root if isinstance(e.tag, str) and etree.QName(e).localname == name]
            return "".join(found[0].itertext()) if found else None
        return _identity(child("title"), child("subtitle"))
    return Identity()


def combine(found: Mapping[str, Identity]) -> Identity:
    """Each field from the most trusted source that states it."""
    ranked = [found[s] for s in SOURCES if s in found]
    return Identity(next((i.name for i in ranked if i.name), None),
                    next((i.description for i in ranked if i.description), None))

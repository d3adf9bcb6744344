"""Page metadata shared by page objects: meta tags, JSON-LD, canonical URL, language."""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from .furniture import css
from .selectors import AUTHOR_BIO_TEXT
from .text import node_text, normalize_space

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Iterator, Sequence

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({"Article", "BlogPosting", "NewsArticle", "Report", "SocialMediaPosting",
                           "LiveBlogPosting", "OpinionNewsArticle", "AnalysisNewsArticle",
                           "ReportageNewsArticle", "TechArticle", "ScholarlyArticle"})
MAX_NAME = 80  # longer "author" texts are bios or whole bylines, not names
_BY = re.compile(r"^(posted by|written by|published by|about|by)\s+", re.IGNORECASE)
_LANG = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def meta_map(root: HtmlElement) -> dict[str, str]:
    """First content of each ``<meta name|property|itemprop>``, keys lower-cased."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        content = el.get("content")
        if key and content and content.strip():
            found.setdefault(key.strip().lower(), content.strip())
    return found


def meta_values(root: HtmlElement, key: str) -> list[str]:
    """Every content of a repeated meta tag (``article:tag`` appears once per tag)."""
    out = []
    for el in root.iter("meta"):
        name = (el.get("property") or el.get("name") or "").strip().lower()
        if name == key and (el.get("content") or "").strip():
            out.append(el.get("content").strip())
    return out


def _walk(node: Any) -> Iterator[dict]:
    """Every dict in a JSON-LD tree (``@graph``, nested ``mainEntity``, lists)."""
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for value in node.values():
            if isinstance(value, (list, dict)):
                yield from _walk(value)


def json_ld(root: HtmlElement, url: str = "") -> list[dict]:
    """All JSON-LD objects on the page; broken blocks are skipped and logged."""
    objects: list[dict] = []
    for script in css("script[type='application/ld+json']")(root):
        raw = (script.text or "").strip().rstrip(";")
        if not raw:
            continue
        try:
            objects.extend(_walk(json.loads(raw, strict=False)))
        except ValueError as exc:
            logger.debug("bad JSON-LD at %s: %s", url, exc)
    return objects


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    return set(kind) if isinstance(kind, list) else {kind} if isinstance(kind, str) else set()


def article_ld(objects: Iterable[dict]) -> dict:
    """The JSON-LD object describing the article (Article, BlogPosting, NewsArticle…)."""
    return next((obj for obj in objects if _types(obj) & ARTICLE_TYPES), {})


def ld_names(value: Any, by_id: dict[str, dict] | None = None) -> list[str]:
    """Names from a JSON-LD person/term value: string, object, ``@id`` reference or list."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict) and "name" not in item and by_id and item.get("@id") in by_id:
            item = by_id[item["@id"]]
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and normalize_space(name):
            names.append(normalize_space(name))
    return names


def ld_index(objects: Iterable[dict]) -> dict[str, dict]:
    """JSON-LD objects by ``@id`` (Yoast's ``@graph`` refers to authors that way)."""
    return {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}


def _allowed(el: HtmlElement, exclude: Collection[HtmlElement]) -> bool:
    return not exclude or not any(a in exclude for a in el.iterancestors())


def first_match(scope: HtmlElement, selectors: Sequence[str], default: Any = None,
                exclude: Collection[HtmlElement] = ()) -> Any:
    """The first element matched by the first selector that matches anything."""
    for selector in selectors:
        found = [el for el in css(selector)(scope) if _allowed(el, exclude)]
        if found:
            return found[0]
    return default


def first_text(scope: HtmlElement, selectors: Sequence[str],
               exclude: Collection[HtmlElement] = ()) -> str | None:
    """Text of the first non-empty match outside the ``exclude`` containers."""
    for selector in selectors:
        for el in css(selector)(scope):
            text = node_text(el) if _allowed(el, exclude) else ""
            if text:
                return text
    return None


def all_texts(scope: HtmlElement, selectors: Sequence[str],
              exclude: Collection[HtmlElement] = ()) -> list[str]:
    """Distinct texts of every match of the first selector that matches anything."""
    for selector in selectors:
        texts = [node_text(el) for el in css(selector)(scope) if _allowed(el, exclude)]
        texts = list(dict.fromkeys(t for t in texts if t))
        if texts:
            return texts
    return []


def absolute(base: str, href: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or ``None`` for other schemes."""
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "mailto:", "tel:", "data:", "#")):
        return None
    full = urljoin(base, href).split("#", 1)[0]
    return full if urlsplit(full).scheme in ("http", "https") else None


def canonical_url(root: HtmlElement, url: str, meta: dict[str, str]) -> str | None:
    """``<link rel=canonical>``, else ``og:url``."""
    for link in css("link[rel~='canonical'][href]")(root):
        found = absolute(url, link.get("href"))
        if found:
            return found
    return absolute(url, meta.get("og:url"))


def language(root: HtmlElement, meta: dict[str, str], ld: dict) -> str | None:
    """``<html lang>``, else ``og:locale``, else JSON-LD ``inLanguage``; as a BCP 47 tag."""
    candidates = [root.get("lang"), root.get("xml:lang"), meta.get("og:locale"),
                  ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None,
                  meta.get("content-language")]
    for value in candidates:
        value = (value or "").strip()
        if _LANG.match(value):
            return value.replace("_", "-")
    return None


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)


def unescape_leftover(value: str, visible_text: str = "") -> str:
    """Metadata text with HTML entities decoded exactly once.

    The parser has already decoded the attribute or script once; an entity still there
    (``&#39;`` from a double-escaping engine, ``&amp;`` in JSON-LD) is decoded again, unless
    the page's visible text shows it literally (a headline about "&#163;8m" keeps it).
    """
    if not _ENTITY.search(value):
        return value
    if any(m.group(0) in visible_text for m in _ENTITY.finditer(value)):
        return value
    return html_lib.unescape(value)


def clean_title(title: str | None, site_name: str | None = None) -> str | None:
    """Strip a trailing " – Site name" from a ``<title>`` or og:title."""
    title = normalize_space(title)
    if not title:
        return None
    if site_name:
        for sep in (" | ", " – ", " — ", " - ", " :: ", " » "):
            if title.endswith(sep + site_name):
                return title[: -len(sep + site_name)].strip()
    return title


def person_names(values: Iterable[str]) -> list[str]:
    """Distinct, plausible person names: no URLs, handles or whole bylines."""
    names = (normalize_space(_BY.sub("", v)) for v in values if not AUTHOR_BIO_TEXT.search(v))
    return list(dict.fromkeys(n for n in names if n and len(n) <= MAX_NAME
                              and not n.startswith(("http://", "https://", "@"))))

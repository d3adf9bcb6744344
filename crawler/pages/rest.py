"""WordPress REST API items (``/wp-json/wp/v2/posts``) as ``Post`` records.

The REST API gives what HTML only hints at: the numeric ID, exact GMT dates, the author's
user ID and term IDs. ``maps`` turns those IDs into names: ``{"users": {id: user},
"categories": {id: term}, "tags": {id: term}}`` where each value is a name or the API's
object with a ``name`` (from ``/wp/v2/users``, ``/wp/v2/categories``, ``/wp/v2/tags``).
Items fetched with ``?_embed`` carry their author and terms and need no maps. Unknown IDs
are skipped rather than guessed.
"""

from __future__ import annotations

import html as html_lib
import logging
from collections.abc import Collection, Mapping
from datetime import timezone
from typing import TYPE_CHECKING, Any

import lxml.html

from ..items import Post
from . import content
from .dates import parse_datetime
from .furniture import clean_content
from .sanitize import html_sanitize, links_and_images, prepare_media
from .text import join_blocks, normalize_space

if TYPE_CHECKING:
    from datetime import datetime

logger = logging.getLogger(__name__)


def _rendered(obj: Mapping[str, Any], key: str) -> str:
    """``obj[key]["rendered"]`` (or a plain string), ``""`` when absent."""
    value = obj.get(key)
    if isinstance(value, Mapping):
        value = value.get("rendered")
    return value if isinstance(value, str) else ""


def _gmt(obj: Mapping[str, Any], key: str) -> datetime | None:
    """``date_gmt``/``modified_gmt`` are UTC written without an offset."""
    return parse_datetime(obj.get(f"{key}_gmt"), timezone.utc)


def _name(value: Any) -> str | None:
    name = value.get("name") if isinstance(value, Mapping) else value
    name = normalize_space(html_lib.unescape(name)) if isinstance(name, str) else ""
    return name or None


def _names(ids: Any, names: Mapping[int, Any] | None) -> list[str]:
    """Names for a list of IDs (or one ID); IDs missing from ``names`` are skipped."""
    if ids is None or not names:
        return []
    found = (_name(names.get(i)) for i in (ids if isinstance(ids, list) else [ids]))
    return list(dict.fromkeys(n for n in found if n))


def names_pending(obj: Mapping[str, Any], maps: Mapping[str, Mapping[int, Any]],
                  loading: Collection[str]) -> bool:
    """Whether the record names an author or term whose ID ``maps`` does not hold yet while
    that kind's pages (``loading``: "users", "categories", "tags") are still on their way,
    so that a merge now would lose the name."""
    for field, kind in (("author", "users"), ("categories", "categories"), ("tags", "tags")):
        if kind not in loading:
            continue
        ids = obj.get(field)
        known = maps.get(kind) or {}
        if any(isinstance(i, int) and i not in known for i in (ids if isinstance(ids, list) else [ids])):
            return True
    return False


def _embedded(obj: Mapping[str, Any], taxonomy: str) -> list[str]:
    """Author or term names from an ``?_embed`` response."""
    embedded = obj.get("_embedded") or {}
    groups = [embedded.get("author") or []] if taxonomy == "author" else embedded.get("wp:term") or []
    names = (_name(item) for group in groups if isinstance(group, list) for item in group
             if isinstance(item, Mapping) and item.get("taxonomy", "author") == taxonomy)
    return list(dict.fromkeys(n for n in names if n))


def body_from_html(rendered: str, url: str) -> tuple[str, str, list[str], list[str]]:
    """Text, sanitized HTML, links and images of a post's own HTML (``content.rendered``, a
    feed item's content), furniture removed."""
    if not rendered.strip():
        return "", "", [], []
    node = lxml.html.fragment_fromstring(rendered, create_parent="div")
    prepare_media(clean_content(node), url)
    text = join_blocks(content.content_blocks([node]))
    links, images = links_and_images(node, url)
    return text, html_sanitize(node, url), links, images


def extract_feed_body(link: str, content_html: str) -> Post:
    """The body a feed item carries for the post at ``link`` (the other fields are the page's)."""
    text, body_html, links, images = body_from_html(content_html, link)
    return Post(url=link, title="", text=text, html=body_html, links=links, images=images)


def extract_rest_post(obj: Mapping[str, Any],
                      maps: Mapping[str, Mapping[int, Any]] | None = None) -> Post:
    """A :class:`Post` from one ``/wp-json/wp/v2/posts`` item.

    :param obj: the decoded JSON object of one post.
    :param maps: ``{"users": …, "categories": …, "tags": …}``, each ID → name or API object.
    """
    maps = maps or {}
    url = obj.get("link") or ""
    text, body_html, links, images = body_from_html(_rendered(obj, "content"), url)
    return Post(
        url=url, title=_name(_rendered(obj, "title")) or "", text=text, html=body_html,
        canonical_url=url or None,
        authors=_names(obj.get("author"), maps.get("users")) or _embedded(obj, "author"),
        published=_gmt(obj, "date"), modified=_gmt(obj, "modified"),
        categories=_names(obj.get("categories"), maps.get("categories")) or _embedded(obj, "category"),
        tags=_names(obj.get("tags"), maps.get("tags")) or _embedded(obj, "post_tag"),
        platform="wordpress", platform_id=str(obj["id"]) if obj.get("id") is not None else None,
        links=links, images=images,
    )

"""The WordPress REST API (``/wp-json/``) computed from the blog: posts, pages, users, terms."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .html_lists import excerpt
from .html_parts import esc, shown_title

if TYPE_CHECKING:
    from collections.abc import Callable

    from .model import Author, Blog, BlogPost, Page, Term

MAX_PER_PAGE = 100
_ITEM = re.compile(r"^/wp/v2/(posts|pages|users|categories|tags)/(\d+)$")


class RestReply:
    """Status, JSON body and headers of one API answer."""

    def __init__(self, status: int, data: Any, headers: list[tuple[str, str]] | None = None) -> None:
        self.status = status
        self.body = json.dumps(data, ensure_ascii=False).encode()
        self.headers = headers or []


def _error(status: int, code: str, message: str, **extra: Any) -> RestReply:
    return RestReply(status, {"code": code, "message": message, "data": {"status": status, **extra}})


def _local(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat()


def _gmt(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat()


class RestApi:
    """Answers ``/wp-json/…`` routes from the blog in memory; the caller caches replies."""

    def __init__(self, blog: Blog, bodies: dict[int, str]) -> None:
        self.blog = blog
        self.bodies = bodies
        self.api = f"{blog.base_url}/wp-json"
        self.entries = blog.entries()
        self.built: dict[str, list[dict[str, Any]]] = {}
        self.collections: dict[str, Callable[[], list[dict[str, Any]]]] = {
            "posts": lambda: [self.post(p) for p in self.entries],
            "pages": lambda: [self.page(blog.about)],
            "users": lambda: [self.user(a) for a in self._writers()],
            "categories": lambda: [self.term(t) for t in blog.categories],
            "tags": lambda: [self.term(t) for t in blog.tags if self._count(t)],
        }

    def handle(self, route: str, params: dict[str, str]) -> RestReply:
        route = "/" + route.strip("/") if route.strip("/") else "/"
        if route == "/":
            return RestReply(200, self.index())
        if route == "/wp/v2":
            return RestReply(200, {"namespace": "wp/v2", "routes": {f"/wp/v2/{c}": {} for c in self.collections}})
        match = _ITEM.match(route)
        if match:
            return self._item(match.group(1), int(match.group(2)))
        name = route.removeprefix("/wp/v2/")
        if route.startswith("/wp/v2/") and name in self.collections:
            return self._collection(name, params)
        return _error(404, "rest_no_route", "No route was found matching the URL and request method.")

    def index(self) -> dict[str, Any]:
        blog = self.blog
        return {
            "name": blog.name,
            "description": blog.tagline,
            "url": blog.base_url,
            "home": blog.base_url,
            "gmt_offset": int(blog.now.utcoffset().total_seconds() // 3600),
            "timezone_string": "Europe/London",
            "namespaces": ["oembed/1.0", "wp/v2", "wp-site-health/v1"],
            "authentication": [],
            "routes": {f"/wp/v2/{c}": {"namespace": "wp/v2", "methods": ["GET"]} for c in self.collections},
            "_links": {"help": [{"href": "https://developer.wordpress.org/rest-api/"}]},
        }

    def post(self, post: BlogPost) -> dict[str, Any]:
        blog = self.blog
        locked = bool(post.password)
        return {
            "id": post.id,
            "date": _local(post.published),
            "date_gmt": _gmt(post.published),
            "guid": {"rendered": f"{blog.base_url}/?p={post.id}"},
            "modified": _local(post.modified),
            "modified_gmt": _gmt(post.modified),
            "slug": post.slug,
            "status": "publish",
            "type": "post",
            "link": post.permalink,
            "title": {"rendered": esc(shown_title(post))},
            "content": {"rendered": "" if locked else self.bodies[post.id], "protected": locked},
            "excerpt": {"rendered": "" if locked else f"<p>{esc(excerpt(post))}</p>\n", "protected": locked},
            "author": blog.author(post.author_login).id,
            "featured_media": 0,
            "comment_status": "open",
            "ping_status": "open",
            "sticky": False,
            "template": "",
            "format": "standard",
            "meta": {"footnotes": ""},
            "categories": [blog.term(n).id for n in post.categories],
            "tags": [blog.term(n, "post_tag").id for n in post.tags],
            "_links": self._links("posts", post.id, author=blog.author(post.author_login).id),
        }

    def page(self, page: Page) -> dict[str, Any]:
        return {
            "id": page.id,
            "date": _local(page.published),
            "date_gmt": _gmt(page.published),
            "modified": _local(page.modified),
            "modified_gmt": _gmt(page.modified),
            "slug": page.slug,
            "status": "publish",
            "type": "page",
            "link": page.permalink,
            "title": {"rendered": esc(page.title)},
            "content": {"rendered": "".join(f"<p>{esc(p)}</p>\n" for p in page.paragraphs), "protected": False},
            "parent": 0,
            "_links": self._links("pages", page.id),
        }

    def user(self, author: Author) -> dict[str, Any]:
        return {
            "id": author.id,
            "name": author.name,
            "url": "",
            "description": author.bio,
            "link": f"{self.blog.base_url}/author/{author.login}/",
            "slug": author.login,
            "avatar_urls": {},
            "_links": self._links("users", author.id),
        }

    def term(self, term: Term) -> dict[str, Any]:
        route = "categories" if term.taxonomy == "category" else "tags"
        base = "category" if term.taxonomy == "category" else "tag"
        return {
            "id": term.id,
            "count": self._count(term),
            "description": term.description,
            "link": f"{self.blog.base_url}/{base}/{term.slug}/",
            "name": term.name,
            "slug": term.slug,
            "taxonomy": term.taxonomy,
            "parent": 0,
            "_links": self._links(route, term.id),
        }

    def _collection(self, name: str, params: dict[str, str]) -> RestReply:
        per_page, page = params.get("per_page", "10"), params.get("page", "1")
        if not per_page.isdigit() or not 1 <= int(per_page) <= MAX_PER_PAGE:
            return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page",
                          params={"per_page": f"per_page must be between 1 (inclusive) and {MAX_PER_PAGE} (inclusive)"})
        if not page.isdigit() or int(page) < 1:
            return _error(400, "rest_invalid_param", "Invalid parameter(s): page",
                          params={"page": "page must be greater than or equal to 1"})
        items = self._ordered(name, self._items(name), params)
        size, number = int(per_page), int(page)
        pages = math.ceil(len(items) / size)
        if items and number > pages:
            code = "rest_user_invalid_page_number" if name == "users" else "rest_post_invalid_page_number"
            return _error(400, code, "The page number requested is larger than the number of pages available.")
        headers = [("X-WP-Total", str(len(items))), ("X-WP-TotalPages", str(pages))]
        headers += self._paging_links(name, params, number, pages)
        return RestReply(200, items[(number - 1) * size : number * size], headers)

    def _ordered(self, name: str, items: list[dict[str, Any]], params: dict[str, str]) -> list[dict[str, Any]]:
        """Posts honour ``modified_after``, ``after``, ``orderby`` (date, modified, id) and ``order``."""
        if name != "posts":
            return items
        for param, field in (("modified_after", "modified"), ("after", "date")):
            if param in params:
                items = [i for i in items if i[field] > params[param][:19]]
        key = {"date": "date", "modified": "modified", "id": "id"}.get(params.get("orderby", "date"), "date")
        return sorted(items, key=lambda i: (i[key], i["id"]), reverse=params.get("order", "desc") != "asc")

    def _paging_links(self, name: str, params: dict[str, str], page: int, pages: int) -> list[tuple[str, str]]:
        links = []
        for rel, number in (("prev", page - 1), ("next", page + 1)):
            if 1 <= number <= pages:
                query = urlencode({**params, "page": number})
                links.append(f'<{self.api}/wp/v2/{name}?{query}>; rel="{rel}"')
        return [("Link", ", ".join(links))] if links else []

    def _items(self, name: str) -> list[dict[str, Any]]:
        """A collection's items, built on first use (a benign race if two threads build it)."""
        if name not in self.built:
            self.built[name] = self.collections[name]()
        return self.built[name]

    def _item(self, name: str, item_id: int) -> RestReply:
        for item in self._items(name):
            if item["id"] == item_id:
                return RestReply(200, item)
        if name in ("posts", "pages"):
            return _error(404, "rest_post_invalid_id", "Invalid post ID.")
        if name == "users":
            return _error(404, "rest_user_invalid_id", "Invalid user ID.")
        return _error(404, "rest_term_invalid", "Term does not exist.")

    def _links(self, route: str, item_id: int, author: int | None = None) -> dict[str, Any]:
        links: dict[str, Any] = {
            "self": [{"href": f"{self.api}/wp/v2/{route}/{item_id}"}],
            "collection": [{"href": f"{self.api}/wp/v2/{route}"}],
        }
        if author is not None:
            links["author"] = [{"embeddable": True, "href": f"{self.api}/wp/v2/users/{author}"}]
            links["replies"] = [{"embeddable": True, "href": f"{self.api}/wp/v2/comments?post={item_id}"}]
        return links

    def _writers(self) -> list[Author]:
        logins = {p.author_login for p in self.blog.posts}
        return [a for a in self.blog.authors if a.login in logins]

    def _count(self, term: Term) -> int:
        field = "categories" if term.taxonomy == "category" else "tags"
        return sum(term.name in getattr(p, field) for p in self.entries)

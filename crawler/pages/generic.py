"""The generic page object (Blogger, Ghost, Hugo/Jekyll, Substack, news sites); WordPress refines it."""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import lxml.html

from ..items import Comment, Listing, NotAPost, Post
from . import content, dates, metadata
from . import selectors as S
from .comments import extract_comments
from .furniture import css, outermost, select_all
from .listing import extract_listing, permalinks
from .sanitize import html_sanitize, links_and_images, prepare_media
from .text import join_blocks, normalize_space

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, tzinfo

    from lxml.html import HtmlElement

logger = logging.getLogger(__name__)


class GenericPage:
    """A parsed page at ``url``: JSON-LD and OpenGraph metadata, heuristic main content."""

    platform: ClassVar[str] = "generic"
    body_selectors: ClassVar[Sequence[str]] = S.GENERIC_BODY
    title_selectors: ClassVar[Sequence[str]] = S.GENERIC_TITLE
    min_body_text: ClassVar[int] = content.MIN_SELECTOR_TEXT

    def __init__(self, url: str, root: HtmlElement) -> None:
        self.url = url
        self.root = root

    # --- shared lookups -----------------------------------------------------------------

    @cached_property
    def meta(self) -> dict[str, str]:
        return metadata.meta_map(self.root)

    @cached_property
    def ld_objects(self) -> list[dict]:
        return metadata.json_ld(self.root, self.url)

    @cached_property
    def ld(self) -> dict:
        """The JSON-LD Article/BlogPosting object, or ``{}``."""
        return metadata.article_ld(self.ld_objects)

    @cached_property
    def body_classes(self) -> set[str]:
        body = self.root.find("body")
        return set((body.get("class") or "").split()) if body is not None else set()

    @cached_property
    def foreign(self) -> set[HtmlElement]:
        """Containers of other posts and site furniture (related posts, widgets, comments)."""
        return set(select_all(self.root, S.FOREIGN))

    def is_own(self, el: HtmlElement) -> bool:
        """Whether an element belongs to this page's post rather than a foreign container."""
        return el not in self.foreign and not any(a in self.foreign for a in el.iterancestors())

    @cached_property
    def scope(self) -> HtmlElement:
        """The post's own element when the page has exactly one, else the whole page."""
        articles = [a for a in outermost(css("article, .hentry")(self.root)) if self.is_own(a)]
        return articles[0] if len(articles) == 1 else self.root

    def texts(self, selectors: Sequence[str]) -> list[str]:
        """Distinct texts of the first selector matching inside the scope, foreign parts aside."""
        return metadata.all_texts(self.scope, selectors, self.foreign)

    # --- body ---------------------------------------------------------------------------

    @cached_property
    def content_node(self) -> HtmlElement:
        """Cleaned main content wrapped in one ``div`` (split bodies are joined)."""
        nodes = content.main_nodes(self.root, self.body_selectors, self.min_body_text)
        wrapper = lxml.html.Element("div")
        wrapper.extend(nodes)
        return prepare_media(wrapper, self.url)

    @cached_property
    def _text(self) -> str:
        titles = content.page_titles(self.root)
        return join_blocks(content.content_blocks([self.content_node], titles))

    @cached_property
    def _links_and_images(self) -> tuple[list[str], list[str]]:
        return links_and_images(self.content_node, self.url)

    def text(self) -> str:
        """Body prose, paragraphs separated by a blank line."""
        return self._text

    def html(self) -> str:
        return html_sanitize(self.content_node, self.url)

    def links(self) -> list[str]:
        return self._links_and_images[0]

    def images(self) -> list[str]:
        return self._links_and_images[1]

    # --- metadata -----------------------------------------------------------------------

    def title(self) -> str:
        """JSON-LD headline, og:title, the page's heading, then ``<title>``."""
        site = self.meta.get("og:site_name")
        for value in (self.ld.get("headline"), self.meta.get("og:title"),
                      metadata.first_text(self.scope, self.title_selectors, self.foreign),
                      metadata.first_text(self.root, ["title"])):
            title = metadata.clean_title(value if isinstance(value, str) else None, site)
            if title:
                return title
        return ""

    def authors(self) -> list[str]:
        """JSON-LD authors, then the byline, then ``<meta name=author>``."""
        names = metadata.ld_names(self.ld.get("author"), metadata.ld_index(self.ld_objects))
        names = names or self.texts(S.AUTHORS)
        names = names or [self.meta[k] for k in S.AUTHOR_META if k in self.meta]
        return metadata.person_names(names)

    def _meta_dates(self, keys: Sequence[str]) -> list[str | None]:
        return [self.meta.get(key) for key in keys]

    def _dom_dates(self, selectors: Sequence[str]) -> list[str | None]:
        """``datetime``/``title``/``content`` attributes, then visible text, of date elements."""
        found: list[str | None] = []
        for selector in selectors:
            for el in filter(self.is_own, css(selector)(self.scope)):
                found.append(el.get("datetime") or el.get("content") or el.get("title")
                             or normalize_space(el.text_content()))
        return found

    @cached_property
    def _published(self) -> datetime | None:
        candidates = [self.ld.get("datePublished"), *self._meta_dates(S.PUBLISHED_META),
                      *self._dom_dates(S.PUBLISHED_TIME)]
        return dates.choose(_strings(candidates)) or dates.date_from_url(self.url)

    def published(self) -> datetime | None:
        """JSON-LD, ``article:published_time`` and other meta, ``<time>``, then the URL."""
        return self._published

    def modified(self) -> datetime | None:
        candidates = [self.ld.get("dateModified"), *self._meta_dates(S.MODIFIED_META),
                      *self._dom_dates(S.MODIFIED_TIME)]
        return dates.choose(_strings(candidates))

    def site_tz(self) -> tzinfo | None:
        """The site's UTC offset as shown by the publication date, for zone-less comment dates."""
        published = self.published()
        return published.tzinfo if published else None

    def categories(self) -> list[str]:
        return (self.texts(S.CATEGORIES) or _terms(self.ld.get("articleSection"))
                or metadata.meta_values(self.root, "article:section"))

    def tags(self) -> list[str]:
        return (self.texts(S.TAGS) or _terms(self.ld.get("keywords"))
                or metadata.meta_values(self.root, "article:tag"))

    def comments(self) -> list[Comment]:
        return extract_comments(self.root, self.url, self.site_tz())

    def canonical_url(self) -> str | None:
        return metadata.canonical_url(self.root, self.url, self.meta)

    def language(self) -> str | None:
        return metadata.language(self.root, self.meta, self.ld)

    def platform_id(self) -> str | None:
        value = next((self.meta[k] for k in S.PLATFORM_ID_META if k in self.meta), None)
        return value or None

    # --- classification -----------------------------------------------------------------

    def is_password_protected(self) -> bool:
        """WordPress marks the entry and shows a password form instead of the content."""
        return bool(css(".post-password-required, form.post-password-form")(self.scope))

    def has_listing(self) -> bool:
        """Two or more post blocks with their own permalinks."""
        return len(permalinks(self.root, self.url)) >= 2

    def kind(self) -> str:
        """``"post"``, ``"listing"`` or the reason the page is not a post."""
        if self.ld or self.meta.get("og:type", "").lower() == "article":
            return "password-protected post" if self.is_password_protected() else "post"
        if self.has_listing():
            return "listing"
        if self.is_password_protected():
            return "password-protected post"
        if not self.text() or (not self.title() and len(self.text().split()) < 25):
            return "no article content"
        return "post"

    def to_item(self) -> Post | Listing | NotAPost:
        kind = self.kind()
        if kind == "post" and not (self.text() or self.images()):
            kind = "post with an empty body"  # never stored empty; a REST record may stand in
        logger.debug("%s page at %s: %s", self.platform, self.url, kind)
        if kind == "listing":
            return extract_listing(self.root, self.url)
        if kind != "post":
            return NotAPost(url=self.url, reason=kind, links=self.links())
        return self.to_post()

    def to_post(self) -> Post:
        return Post(
            url=self.url, title=self.title(), text=self.text(), html=self.html(),
            canonical_url=self.canonical_url(), authors=self.authors(),
            published=self.published(), modified=self.modified(),
            categories=self.categories(), tags=self.tags(), comments=self.comments(),
            platform=self.platform, platform_id=self.platform_id(), language=self.language(),
            links=self.links(), images=self.images(),
        )


def _strings(values: Sequence[object]) -> list[str]:
    return [v for v in values if isinstance(v, str) and v.strip()]


def _terms(value: object) -> list[str]:
    """JSON-LD ``keywords``/``articleSection``: a list or a comma-separated string."""
    items = value if isinstance(value, list) else str(value).split(",") if value else []
    return list(dict.fromkeys(normalize_space(str(i)) for i in items if normalize_space(str(i))))

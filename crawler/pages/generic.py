"""The generic page object (Blogger, Ghost, Hugo/Jekyll, Substack, news sites); WordPress refines it."""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

import lxml.html

from ..items import Comment, Listing, NotAPost, Post
from . import content, dates, kinds, metadata, terms
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

    @cached_property
    def foreign_around(self) -> set[HtmlElement]:
        """Foreign containers, less those that hold the post's own element (broken nesting)."""
        around = set(self.scope.iterancestors())
        return {f for f in self.foreign if f not in around}

    def _outside_foreign(self, el: HtmlElement) -> bool:
        return el not in self.foreign and not any(a in self.foreign for a in el.iterancestors())

    def is_own(self, el: HtmlElement) -> bool:
        """Whether an element belongs to this page's post rather than a foreign container.

        Inside the post's own element only containers below it count: an unclosed ``<div>``
        can pull the whole post into a ``<header>``, which must not disown it.
        """
        for node in (el, *el.iterancestors()):
            if node is self.scope and node is not self.root:
                return True
            if node in self.foreign:
                return False
        return True

    @cached_property
    def scope(self) -> HtmlElement:
        """The post's own element when the page has exactly one (even one that broken nesting
        put inside a header or sidebar), else the whole page."""
        articles = outermost(css("article, .hentry, .h-entry")(self.root))
        own = [a for a in articles if self._outside_foreign(a)]
        if len(own) == 1:
            return own[0]
        return articles[0] if not own and len(articles) == 1 else self.root

    def texts(self, selectors: Sequence[str]) -> list[str]:
        """Distinct texts of the first selector matching inside the scope, foreign parts aside."""
        return metadata.all_texts(self.scope, selectors, self.foreign_around)

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
        """The post's own visible heading, then JSON-LD ``headline``, og/twitter title, any
        page heading, then ``<title>`` without the site name.

        The heading inside the post's element is exactly what readers see (engines re-type
        quotes or escape entities in their metadata). Metadata text left with an entity is
        unescaped once more unless the page shows that entity literally.
        """
        site = self.meta.get("og:site_name")
        own_heading = (metadata.first_text(self.scope, self.title_selectors, self.foreign_around)
                       if self.scope is not self.root else
                       metadata.first_text(self.root, [s for s in self.title_selectors if "." in s],
                                           self.foreign))
        visible = normalize_space(self.root.text_content())
        meta_titles = [self.ld.get("headline"), self.meta.get("og:title"), self.meta.get("twitter:title")]
        for value in (own_heading, *meta_titles,
                      metadata.first_text(self.scope, self.title_selectors, self.foreign),
                      metadata.first_text(self.root, ["title"])):
            value = metadata.unescape_leftover(value, visible) if isinstance(value, str) else None
            title = metadata.clean_title(value, site)
            if title:
                return title
        return ""

    def authors(self) -> list[str]:
        """JSON-LD authors, the byline (microformats and hCard included) in the post's element,
        post metadata beside it, then ``<meta name=author>``; author boxes and bio links never."""
        names = metadata.ld_names(self.ld.get("author"), metadata.ld_index(self.ld_objects))
        names = names or self._bylines(S.AUTHORS)
        names = names or self._page_authors()
        names = names or [self.meta[k] for k in S.AUTHOR_META if k in self.meta]
        names = names or metadata.all_texts(self.scope, S.AUTHOR_BOX_NAME)
        return metadata.person_names(metadata.unescape_leftover(n) for n in names)

    def _bylines(self, selectors: Sequence[str]) -> list[str]:
        """Byline names in the post's element; only the first when the page has no single
        post element, as the other bylines then belong to teasers and comments."""
        names = metadata.person_names(self.texts(selectors))
        return names if self.scope is not self.root else names[:1]

    def _page_authors(self) -> list[str]:
        for selector in S.PAGE_AUTHORS:
            found = [el.get("alt") if el.tag == "img" else normalize_space(el.text_content())
                     for el in css(selector)(self.root)]
            found = [n for n in found if n]
            if found:
                return list(dict.fromkeys(found))
        return []

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

    def _own_published(self) -> datetime | None:
        """The publication date the page itself gives (metadata or markup), not its URL's;
        else the one ``<time datetime>`` of the whole page (MkDocs prints it in a sidebar)."""
        candidates = [self.ld.get("datePublished"), *self._meta_dates(S.PUBLISHED_META),
                      *self._dom_dates(S.PUBLISHED_TIME)]
        found = dates.choose(_strings(candidates))
        if found is None:
            stamps = {el.get("datetime").strip() for el in css("time[datetime]")(self.root)
                      if (el.get("datetime") or "").strip()}
            found = dates.parse_datetime(stamps.pop()) if len(stamps) == 1 else None
        return found

    @cached_property
    def _published(self) -> datetime | None:
        return self._own_published() or dates.date_from_url(self.url)

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

    @cached_property
    def _visible_terms(self) -> tuple[list[str], list[str]]:
        foreign = set(select_all(self.root, S.FOREIGN_TERMS))

        def own(el: HtmlElement) -> bool:
            return el not in foreign and not any(a in foreign for a in el.iterancestors())

        return terms.visible_terms(self.root, self.scope, own)

    def categories(self) -> list[str]:
        """What the page shows (see :mod:`crawler.pages.terms`), then JSON-LD ``articleSection``
        or ``article:section`` that the page did not show as a tag."""
        meta = _terms(self.ld.get("articleSection")) or metadata.meta_values(self.root, "article:section")
        return terms.merge(self._visible_terms[0], meta, self._visible_terms[1])

    def tags(self) -> list[str]:
        """As :meth:`categories`, with JSON-LD ``keywords`` and ``article:tag``."""
        meta = _terms(self.ld.get("keywords")) or metadata.meta_values(self.root, "article:tag")
        return terms.merge(self._visible_terms[1], meta, self._visible_terms[0])

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
        """Two or more post blocks with their own permalinks, or repeated entry blocks."""
        return len(permalinks(self.root, self.url)) >= 2 or len(self.entry_links) >= 2

    @cached_property
    def entry_links(self) -> list[str]:
        return kinds.entry_permalinks(self.root, self.url, self.is_own)

    def has_post_marks(self) -> bool:
        """The page calls itself an article: JSON-LD Article/BlogPosting or ``og:type=article``."""
        return bool(self.ld) or self.meta.get("og:type", "").lower() == "article"

    def listing_reason(self) -> str | None:
        """Why the page is a listing (see :mod:`crawler.pages.kinds`), else ``None``."""
        reason = kinds.archive_reason(self.url)
        if reason:
            return reason
        types = kinds.ld_types(self.ld_objects)
        if types & kinds.LISTING_LD_TYPES and not self.ld:
            return "collection (JSON-LD)"
        if self.has_post_marks():
            return None
        if kinds.pagination_links(self.root, self.url):
            return "pagination links"
        if len(permalinks(self.root, self.url)) >= 2:
            return "post blocks"
        if len(self.entry_links) >= 2 and kinds.entries_share(
                self.root, self.entry_links, self.url) >= kinds.ENTRIES_MIN_SHARE:
            return "repeated entries"
        return None

    def is_static_page(self) -> bool:
        """A page that says it is not an article (see :mod:`crawler.pages.kinds`).

        Undated articles are common (news sites print no machine-readable date) and many
        sites call every page ``og:type=website``, so neither alone makes a static page. What
        does: a ``/pages/`` address; ``og:type=website`` from an engine that writes
        ``article:*`` metadata on the same page (it calls its posts articles: Hexo); or no date
        at all with a ``WebPage``/``AboutPage`` JSON-LD and no Article, a ``WebSite`` JSON-LD
        describing this very (non-root) address (jekyll-seo-tag), or
        from a documentation generator (MkDocs, Sphinx…: their pages are docs unless dated).
        """
        if kinds.is_static_path(self.url) and not self.ld:
            return True
        if self.has_post_marks() or dates.date_from_url(self.url) or kinds.is_dated_permalink(self.url):
            return False
        og_type = self.meta.get("og:type", "").lower()
        if og_type in ("website", "profile") and any(k.startswith("article:") for k in self.meta):
            return True
        if self._own_published() is not None or dates.has_visible_date(self.scope):
            return False
        return (bool(kinds.ld_types(self.ld_objects) & kinds.STATIC_LD_TYPES)
                or kinds.website_ld_for(self.ld_objects, self.url)
                or bool(kinds.DOCS_GENERATOR.search(self.meta.get("generator", ""))))

    def kind(self) -> str:
        """``"post"``, ``"listing"`` or the reason the page is not a post."""
        if self.is_password_protected():
            return "password-protected post"
        if self.listing_reason():
            return "listing"
        if not self.text() or (not self.title() and len(self.text().split()) < 25):
            return "no article content"
        return "static page" if self.is_static_page() else "post"

    def to_item(self, listed_as: str | None = None) -> Post | Listing | NotAPost:
        kind = self.kind()
        if self.platform != "wordpress":  # WordPress's body classes are exact
            if kind == "static page" and listed_as == "post":
                kind = "post"  # the feed or a sitemap of posts lists it among the posts
            elif kind == "post" and listed_as == "page":
                kind = "static page"  # only a sitemap of pages lists it (Ghost, SEO plugins)
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

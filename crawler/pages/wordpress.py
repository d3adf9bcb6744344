"""WordPress page object: classic and block themes, Jetpack, Yoast; classification by body class."""

from __future__ import annotations

import re
from functools import cached_property
from typing import TYPE_CHECKING, ClassVar

from . import selectors as S
from .furniture import css
from .generic import GenericPage
from .metadata import first_text

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_TYPE_CLASS = re.compile(r"^type-([\w-]+)$")


class WordPressPage(GenericPage):
    """A WordPress page: theme markup first, metadata from Yoast/Jetpack as fallback."""

    platform: ClassVar[str] = "wordpress"
    body_selectors = S.WORDPRESS_BODY
    title_selectors = S.WORDPRESS_TITLE
    min_body_text = 0  # a known WordPress container is trusted even for a one-line post

    @cached_property
    def scope(self) -> HtmlElement:
        """``#post-123``/``.post-123`` for the ID in ``body.postid-123``, else the generic scope."""
        match = re.search(r"\bpostid-(\d+)\b", " ".join(self.body_classes))
        if match:
            found = css(f"#post-{match.group(1)}, .post-{match.group(1)}")(self.root)
            if found:
                return found[0]
        return super().scope

    def title(self) -> str:
        """The theme's entry title is the post title exactly; SEO titles may differ."""
        return first_text(self.scope, self.title_selectors, self.foreign) or super().title()

    def authors(self) -> list[str]:
        """The theme's byline names the WordPress user; Yoast JSON-LD is the fallback."""
        return self._bylines(S.WORDPRESS_AUTHORS) or super().authors()

    def platform_id(self) -> str | None:
        """Post ID from ``article#post-123``, ``body.postid-123``, ``?p=123`` or the REST link."""
        for selector, pattern, attribute in S.WP_POST_ID:
            for el in css(selector)(self.root):
                match = pattern.search(el.get(attribute) or "")
                if match:
                    return match.group(1)
        return None

    def post_type(self) -> str | None:
        """``post``, ``page``, ``attachment``… from the entry's ``type-*`` class."""
        for word in (self.scope.get("class") or "").split():
            match = _TYPE_CLASS.match(word)
            if match:
                return match.group(1)
        return None

    def kind(self) -> str:
        """Classify by body classes (``single``, ``page``, ``attachment``, ``archive``…)."""
        classes = self.body_classes
        if "error404" in classes:
            return "not found (404 page)"
        if "attachment" in classes or self.post_type() == "attachment":
            return "attachment page"
        if "page" in classes or any(c.startswith("page-id-") for c in classes):
            return "static page"
        if "single" in classes or any(c.startswith("postid-") for c in classes):
            return "password-protected post" if self.is_password_protected() else self._single_kind()
        if "author" in classes:
            return "listing" if self.has_listing() else "author page"
        if classes & S.WP_LISTING_CLASSES:
            return "listing"
        return self._unmarked_kind()

    def _single_kind(self) -> str:
        """A singular view is a post unless it shows a custom post type."""
        post_type = self.post_type()
        if post_type in (None, "post"):
            return "post"
        return f"not a blog post (post type {post_type})"

    def _unmarked_kind(self) -> str:
        """Themes that drop body classes: judge by the entries on the page."""
        if self.has_listing():
            return "listing"
        if self.post_type() == "page":
            return "static page"
        if self.is_password_protected():
            return "password-protected post"
        return "post" if self.text() else "no article content"


def is_wordpress(root: HtmlElement) -> bool:
    """Generator meta, a ``wp-json`` link or WordPress asset paths."""
    for el in root.iter("meta"):
        if (el.get("name") or "").lower() == "generator" and S.WP_GENERATOR.search(el.get("content") or ""):
            return True
    return any(css(selector)(root) for selector in S.WP_MARKERS)

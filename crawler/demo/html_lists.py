"""Markup of listing pages (home, archives), the About page and the 404 page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .html_parts import esc, head, json_script, page, shown_title
from .html_post import article_class, byline, entry_footer, posted_on, sharing

if TYPE_CHECKING:
    from .html_parts import Furniture
    from .model import Blog, BlogPost, Page

PROTECTED_EXCERPT = "There is no excerpt because this is a protected post."
EXCERPT_WORDS = 55


def excerpt(post: BlogPost) -> str:
    """WordPress's automatic excerpt: the first 55 words and a bracketed ellipsis."""
    if post.password:
        return PROTECTED_EXCERPT
    words: list[str] = []
    for paragraph in post.paragraphs:
        words += paragraph.split()
        if len(words) > EXCERPT_WORDS:
            break
    if len(words) <= EXCERPT_WORDS:
        return " ".join(words)
    return " ".join(words[:EXCERPT_WORDS]) + " [\u2026]"


def full_entry(blog: Blog, post: BlogPost, body: str) -> str:
    """A post as the home page shows it: whole content plus share buttons."""
    content = body if post.password else body + sharing(post)
    return f"""<article id="post-{post.id}" class="{article_class(blog, post)}">
<header class="entry-header"><h2 class="entry-title"><a href="{post.permalink}" rel="bookmark">{esc(shown_title(post))}</a></h2></header>
<div class="entry-meta">{posted_on(post)}{byline(blog, post)}</div>
<div class="entry-content">
{content}
</div><!-- .entry-content -->
{entry_footer(blog, post, comments_link=True)}
</article><!-- #post-{post.id} -->"""


def summary_entry(blog: Blog, post: BlogPost) -> str:
    """A post as archive pages show it: excerpt and a "Continue reading" link."""
    return f"""<article id="post-{post.id}" class="{article_class(blog, post)}">
<header class="entry-header"><h2 class="entry-title"><a href="{post.permalink}" rel="bookmark">{esc(shown_title(post))}</a></h2></header>
<div class="entry-meta">{posted_on(post)}{byline(blog, post)}</div>
<div class="entry-summary">
<p>{esc(excerpt(post))}</p>
<p class="read-more"><a href="{post.permalink}" class="more-link">Continue reading<span class="screen-reader-text"> &#8220;{esc(post.title)}&#8221;</span></a></p>
</div><!-- .entry-summary -->
{entry_footer(blog, post, comments_link=True)}
</article><!-- #post-{post.id} -->"""


def listing_page(
    f: Furniture,
    blog: Blog,
    *,
    url: str,
    heading: str,
    description: str,
    entries: list[str],
    older: str | None,
    newer: str | None,
    body_class: str,
) -> str:
    """One page of a listing; ``older``/``newer`` are the neighbouring page URLs."""
    header = ""
    if heading:
        desc = f'<div class="taxonomy-description"><p>{esc(description)}</p></div>' if description else ""
        header = f'<header class="page-header"><h1 class="page-title">{heading}</h1>{desc}</header><!-- .page-header -->\n'
    main = header + "\n".join(entries) + "\n" + _pagination(older, newer)
    title = f"{_plain(heading)} &#8211; {esc(blog.name)}" if heading else f"{esc(blog.name)} &#8211; {esc(blog.tagline)}"
    return page(f, head(f, title, url), body_class, main)


def _pagination(older: str | None, newer: str | None) -> str:
    if not older and not newer:
        return ""
    links = []
    if older:
        links.append(f'<div class="nav-previous"><a href="{older}">Older posts</a></div>')
    if newer:
        links.append(f'<div class="nav-next"><a href="{newer}">Newer posts</a></div>')
    return (
        '<nav class="navigation posts-navigation" aria-label="Posts"><h2 class="screen-reader-text">Posts navigation</h2>'
        f'<div class="nav-links">{"".join(links)}</div></nav>'
    )


def _plain(heading: str) -> str:
    """The archive heading without its inner markup, for ``<title>``."""
    return heading.replace('<span class="vcard">', "").replace("<span>", "").replace("</span>", "")


def about_page(f: Furniture, blog: Blog, about: Page) -> str:
    paras = "\n".join(f"<p>{esc(p)}</p>\n" for p in about.paragraphs)
    main = f"""<article id="post-{about.id}" class="post-{about.id} page type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{esc(about.title)}</h1></header><!-- .entry-header -->
<div class="entry-content">
{paras}
</div><!-- .entry-content -->
</article><!-- #post-{about.id} -->"""
    schema = json_script({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": about.permalink,
        "name": about.title,
        "datePublished": about.published.isoformat(),
        "dateModified": about.modified.isoformat(),
    })
    extra = f"<link rel='shortlink' href='{blog.base_url}/?page_id={about.id}' />\n{schema}"
    html_head = head(f, f"{esc(about.title)} &#8211; {esc(blog.name)}", about.permalink, extra)
    return page(f, html_head, f"page-template-default page page-id-{about.id}", main)


def not_found_page(f: Furniture, blog: Blog) -> str:
    main = f"""<section class="error-404 not-found">
<header class="page-header"><h1 class="page-title">Nothing at this address</h1></header><!-- .page-header -->
<div class="page-content">
<p>The page you asked for is not here. It may have moved, or the link may be mistyped. Searching might help.</p>
<form role="search" method="get" class="search-form" action="{blog.base_url}/">
<label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label>
<button type="submit" class="search-submit"><span class="screen-reader-text">Search</span></button>
</form>
</div><!-- .page-content -->
</section><!-- .error-404 -->"""
    html_head = head(f, f"Page not found &#8211; {esc(blog.name)}", None, robots="noindex, follow")
    return page(f, html_head, "error404", main)

"""Shared markup of the sample WordPress theme: escaping, dates, head, masthead, sidebar."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .texts import MONTHS

if TYPE_CHECKING:
    from datetime import datetime

    from .model import Blog, BlogPost

WP_VERSION = "6.5.3"
THEME = "twentysixteen"
# wptexturize output: WordPress writes typographic characters as numeric entities.
_ENTITIES = (
    ("\u2018", "&#8216;"), ("\u2019", "&#8217;"), ("\u201c", "&#8220;"), ("\u201d", "&#8221;"),
    ("\u2013", "&#8211;"), ("\u2014", "&#8212;"), ("\u2026", "&#8230;"),
)


def esc(text: str) -> str:
    """Escape text for HTML the way WordPress prints it (typographic entities included)."""
    text = html.escape(text, quote=True)
    if not text.isascii():
        for char, entity in _ENTITIES:  # str.replace is far quicker than str.translate here
            text = text.replace(char, entity)
    return text


def long_date(moment: datetime) -> str:
    """``4 March 2021``: the en-GB date format of the theme."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def comment_date(moment: datetime) -> str:
    """``5 March 2021 at 9:12 am``."""
    hour = moment.hour % 12 or 12
    return f"{long_date(moment)} at {hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}"


def json_script(data: object) -> str:
    """A JSON-LD block that cannot close its own script element."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json" class="yoast-schema-graph">{text}</script>'


@dataclass(frozen=True)
class Furniture:
    """The pieces every page shares, rendered once per site version."""

    base: str
    site_name: str
    head_links: str
    masthead: str
    sidebar: str
    footer: str


def furniture(blog: Blog, *, feed: bool, rest_api: bool) -> Furniture:
    base = blog.base_url
    links = []
    if feed:
        links.append(f'<link rel="alternate" type="application/rss+xml" title="{esc(blog.name)} &raquo; Feed" href="{base}/feed/" />')
    if rest_api:
        links.append(f'<link rel="https://api.w.org/" href="{base}/wp-json/" />')
    links.append(f'<link rel="EditURI" type="application/rsd+xml" title="RSD" href="{base}/xmlrpc.php?rsd" />')
    links.append(f'<meta name="generator" content="WordPress {WP_VERSION}" />')
    return Furniture(base, blog.name, "\n".join(links), _masthead(blog), _sidebar(blog), _footer(blog))


def head(f: Furniture, title: str, canonical: str | None, extra: str = "", robots: str = "max-image-preview:large") -> str:
    """``<head>`` with WordPress's usual links; ``extra`` adds page-specific tags."""
    canon = f'<link rel="canonical" href="{canonical}" />' if canonical else ""
    return f"""<head>
<meta charset="UTF-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<link rel="profile" href="https://gmpg.org/xfn/11" />
<title>{title}</title>
<meta name='robots' content='{robots}' />
<link rel='dns-prefetch' href='//stats.wp.com' />
<link rel='stylesheet' id='wp-block-library-css' href='{f.base}/wp-includes/css/dist/block-library/style.min.css?ver={WP_VERSION}' media='all' />
<link rel='stylesheet' id='{THEME}-style-css' href='{f.base}/wp-content/themes/{THEME}/style.css?ver=20240402' media='all' />
<link rel='stylesheet' id='jetpack_css-css' href='{f.base}/wp-content/plugins/jetpack/css/jetpack.css?ver=13.4' media='all' />
<script src="{f.base}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
{f.head_links}
{canon}
{extra}
</head>"""


def page(f: Furniture, head_html: str, body_class: str, main: str) -> str:
    """A whole HTML document around the ``<main>`` content."""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
{head_html}
<body class="{body_class}">
<div id="page" class="site">
<div class="site-inner">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
{f.masthead}
<div id="content" class="site-content">
<div id="primary" class="content-area">
<main id="main" class="site-main">
{main}
</main><!-- .site-main -->
</div><!-- .content-area -->
{f.sidebar}
</div><!-- .site-content -->
{f.footer}
</div>
</div>
<script src="{f.base}/wp-content/plugins/jetpack/_inc/build/likes/queuehandler.min.js?ver=13.4" id="jetpack_likes_queuehandler-js"></script>
<script src="{f.base}/wp-includes/js/comment-reply.min.js?ver={WP_VERSION}" id="comment-reply-js" async data-wp-strategy="async"></script>
</body>
</html>
"""


def _masthead(blog: Blog) -> str:
    base = blog.base_url
    cats = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category"><a href="{base}/category/{c.slug}/">{esc(c.name)}</a></li>'
        for c in blog.categories[1:5]
    )
    return f"""<header id="masthead" class="site-header">
<div class="site-header-main">
<div class="site-branding">
<p class="site-title"><a href="{base}/" rel="home">{esc(blog.name)}</a></p>
<p class="site-description">{esc(blog.tagline)}</p>
</div><!-- .site-branding -->
<button id="menu-toggle" class="menu-toggle">Menu</button>
<div id="site-header-menu" class="site-header-menu">
<nav id="site-navigation" class="main-navigation" aria-label="Primary Menu">
<div class="menu-main-container"><ul id="menu-main" class="primary-menu">
<li class="menu-item menu-item-home"><a href="{base}/">Home</a></li>
<li class="menu-item menu-item-type-post_type menu-item-object-page"><a href="{base}/about/">About</a></li>
{cats}
</ul></div>
</nav><!-- .main-navigation -->
</div><!-- .site-header-menu -->
</div><!-- .site-header-main -->
</header><!-- .site-header -->"""


def _sidebar(blog: Blog) -> str:
    return f"""<aside id="secondary" class="sidebar widget-area">
{_search_widget(blog.base_url)}
{_recent_posts(blog)}
{_recent_comments(blog)}
{_subscribe_widget(blog.base_url)}
{_archives_widget(blog)}
{_categories_widget(blog)}
</aside><!-- .sidebar .widget-area -->"""


def _search_widget(base: str) -> str:
    return f"""<section id="search-2" class="widget widget_search">
<form role="search" method="get" class="search-form" action="{base}/">
<label><span class="screen-reader-text">Search for:</span>
<input type="search" class="search-field" placeholder="Search &hellip;" value="" name="s" /></label>
<button type="submit" class="search-submit"><span class="screen-reader-text">Search</span></button>
</form></section>"""


def _recent_posts(blog: Blog) -> str:
    items = "".join(f'<li><a href="{p.permalink}">{esc(shown_title(p))}</a></li>\n' for p in blog.entries()[:5])
    return f"""<section id="recent-posts-2" class="widget widget_recent_entries">
<h2 class="widget-title">Recent Posts</h2>
<nav aria-label="Recent Posts"><ul>
{items}</ul></nav></section>"""


def _recent_comments(blog: Blog) -> str:
    latest = sorted(
        ((c, p) for p in blog.posts for c in p.comments), key=lambda cp: cp[0].published, reverse=True
    )[:5]
    items = "".join(
        f'<li class="recentcomments"><span class="comment-author-link">{esc(c.author)}</span> on '
        f'<a href="{p.permalink}#comment-{c.id}">{esc(p.title)}</a></li>\n'
        for c, p in latest
    )
    return f"""<section id="recent-comments-2" class="widget widget_recent_comments">
<h2 class="widget-title">Recent Comments</h2>
<nav aria-label="Recent Comments"><ul id="recentcomments">
{items}</ul></nav></section>"""


def _subscribe_widget(base: str) -> str:
    return f"""<section id="blog_subscription-3" class="widget widget_blog_subscription jetpack_subscription_widget">
<h2 class="widget-title">Follow by email</h2>
<div class="wp-block-jetpack-subscriptions__container">
<form action="#" method="post" accept-charset="utf-8" id="subscribe-blog-blog_subscription-3">
<div id="subscribe-text"><p>Get each new post in your inbox. No spam, unsubscribe any time.</p></div>
<p id="subscribe-email"><label id="jetpack-subscribe-label" class="screen-reader-text" for="subscribe-field-blog_subscription-3">Email Address</label>
<input type="email" name="email" required="required" value="" id="subscribe-field-blog_subscription-3" placeholder="Email Address" /></p>
<p id="subscribe-submit"><input type="hidden" name="action" value="subscribe" />
<input type="hidden" name="source" value="{base}/" />
<button type="submit" class="wp-block-button__link" name="jetpack_subscriptions_widget">Subscribe</button></p>
</form></div></section>"""


def _archives_widget(blog: Blog) -> str:
    counts: dict[tuple[int, int], int] = {}
    for post in blog.entries():
        key = (post.published.year, post.published.month)
        counts[key] = counts.get(key, 0) + 1
    items = "".join(
        f'<li><a href="{blog.base_url}/{y:04d}/{m:02d}/">{MONTHS[m - 1]} {y}</a>&nbsp;({n})</li>\n'
        for (y, m), n in counts.items()
    )
    return f"""<section id="archives-2" class="widget widget_archive">
<h2 class="widget-title">Archives</h2>
<nav aria-label="Archives"><ul>
{items}</ul></nav></section>"""


def _categories_widget(blog: Blog) -> str:
    counts = {c.name: 0 for c in blog.categories}
    for post in blog.entries():
        for name in post.categories:
            counts[name] += 1
    items = "".join(
        f'<li class="cat-item cat-item-{c.id}"><a href="{blog.base_url}/category/{c.slug}/">{esc(c.name)}</a> ({counts[c.name]})</li>\n'
        for c in blog.categories
        if counts[c.name]
    )
    return f"""<section id="categories-2" class="widget widget_categories">
<h2 class="widget-title">Categories</h2>
<nav aria-label="Categories"><ul>
{items}</ul></nav></section>"""


def _footer(blog: Blog) -> str:
    return f"""<footer id="colophon" class="site-footer">
<nav class="main-navigation" aria-label="Footer Primary Menu"><ul class="primary-menu">
<li class="menu-item"><a href="{blog.base_url}/">Home</a></li>
<li class="menu-item"><a href="{blog.base_url}/about/">About</a></li>
</ul></nav>
<div class="site-info">
<span class="site-title"><a href="{blog.base_url}/" rel="home">{esc(blog.name)}</a></span>
<a href="https://wordpress.org/" class="imprint">Proudly powered by WordPress</a>
</div><!-- .site-info -->
</footer><!-- .site-footer -->"""


def shown_title(post: BlogPost) -> str:
    """The title as WordPress prints it: protected posts get a "Protected: " prefix."""
    return f"Protected: {post.title}" if post.password else post.title

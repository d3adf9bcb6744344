"""Which pages are posts, listings or neither, on WordPress and elsewhere."""

from __future__ import annotations

import pytest

from crawler.items import Listing, NotAPost, Post
from crawler.pages import detect_platform, extract

WP_HEAD = ('<head><meta name="generator" content="WordPress 6.8"><title>{title}</title>'
           '<link rel="https://api.w.org/" href="https://b.example/wp-json/"></head>')
PROSE = "<p>The council met on Tuesday and agreed, after a long debate, to publish the report in full.</p>"


def wp_page(body_class: str, inner: str, title: str = "A title") -> str:
    return f'<html>{WP_HEAD.format(title=title)}<body class="{body_class}">{inner}</body></html>'


def entry(post_id: int, kind: str = "post", extra: str = "") -> str:
    return (f'<article id="post-{post_id}" class="post-{post_id} {kind} type-{kind} hentry {extra}">'
            f'<h2 class="entry-title"><a href="https://b.example/p{post_id}/" rel="bookmark">'
            f"Post {post_id}</a></h2>"
            f'<div class="entry-content">{PROSE}</div></article>')


@pytest.mark.parametrize(("body_class", "inner", "reason"), [
    ("page-template-default page page-id-2", entry(2, "page"), "static page"),
    ("attachment attachment-template-default single single-attachment postid-9",
     entry(9, "attachment"), "attachment page"),
    ("error404", "<h1>Not found</h1>", "not found (404 page)"),
    ("single single-product postid-5", entry(5, "product"), "not a blog post (post type product)"),
    ("archive author author-jo author-3", "<h1>Jo</h1><p>Jo writes about planning.</p>", "author page"),
    ("single single-post postid-7", entry(7, extra="post-password-required")
     + '<form class="post-password-form"><input type="password"></form>', "password-protected post"),
])
def test_wordpress_not_a_post(body_class: str, inner: str, reason: str) -> None:
    item = extract("https://b.example/x/", wp_page(body_class, inner))
    assert isinstance(item, NotAPost)
    assert item.reason == reason


@pytest.mark.parametrize("body_class", [
    "archive category category-council category-3", "archive tag tag-budget", "archive date",
    "search search-results", "blog paged paged-2", "archive author author-jo author-3",
])
def test_wordpress_archives_are_listings(body_class: str) -> None:
    item = extract("https://b.example/category/council/", wp_page(body_class, entry(1) + entry(2)))
    assert isinstance(item, Listing)
    assert item.permalinks == ["https://b.example/p1/", "https://b.example/p2/"]


def test_block_theme_archive_pagination() -> None:
    inner = ('<ul class="wp-block-post-template">'
             '<li class="wp-block-post post-4 post type-post"><h2 class="wp-block-post-title">'
             '<a href="/four/">Four</a></h2></li>'
             '<li class="wp-block-post post-3 post type-post"><h2 class="wp-block-post-title">'
             '<a href="/three/">Three</a></h2></li></ul>'
             '<nav class="wp-block-query-pagination"><a href="/category/news/page/2/" '
             'class="wp-block-query-pagination-next">Next Page</a>'
             '<div class="wp-block-query-pagination-numbers"><span class="page-numbers current">1</span>'
             '<a class="page-numbers" href="/category/news/page/2/">2</a>'
             '<a class="page-numbers" href="/category/news/?paged=3">3</a></div></nav>')
    item = extract("https://b.example/category/news/", wp_page("archive category", inner))
    assert isinstance(item, Listing)
    assert item.permalinks == ["https://b.example/four/", "https://b.example/three/"]
    assert item.next_pages == ["https://b.example/category/news/page/2/",
                               "https://b.example/category/news/?paged=3"]


def test_single_post_with_related_entries_is_a_post() -> None:
    related = '<div class="wp-block-query">' + entry(20) + entry(21) + "</div>"
    html = wp_page("single single-post postid-7", entry(7, extra="category-news") + related)
    item = extract("https://b.example/p7/", html)
    assert isinstance(item, Post)
    assert item.platform == "wordpress" and item.platform_id == "7"
    assert item.title == "Post 7"


def test_theme_without_body_classes_is_judged_by_entries() -> None:
    assert isinstance(extract("https://b.example/", wp_page("", entry(1) + entry(2))), Listing)
    assert isinstance(extract("https://b.example/p1/", wp_page("", entry(1))), Post)
    item = extract("https://b.example/about/", wp_page("", entry(3, "page")))
    assert isinstance(item, NotAPost) and item.reason == "static page"


def test_front_page_set_to_a_static_page_is_not_a_listing() -> None:
    html = wp_page("home page-template-default page page-id-5", entry(5, "page"))
    item = extract("https://b.example/", html)
    assert isinstance(item, NotAPost) and item.reason == "static page"


def test_generic_listing_and_post() -> None:
    cards = "".join(f'<article class="post-card"><h2><a href="/posts/{i}/">Post {i}</a></h2>'
                    f"<p>Summary {i}</p></article>" for i in range(3))
    listing = ('<html><head><meta property="og:type" content="website"></head><body>'
               f'{cards}<a href="/page/2/">Older posts</a></body></html>')
    item = extract("https://g.example/", listing)
    assert isinstance(item, Listing)
    assert item.permalinks == [f"https://g.example/posts/{i}/" for i in range(3)]
    assert item.next_pages == ["https://g.example/page/2/"]
    post = (f"<html><body><main><article><h1>One</h1><p>4 March 2025</p>{PROSE * 3}</article>"
            "</main></body></html>")
    assert isinstance(extract("https://g.example/posts/1/", post), Post)
    # Undated articles are common: without a date the page is still a post…
    undated = post.replace("<p>4 March 2025</p>", "")
    assert isinstance(extract("https://g.example/posts/1/", undated), Post)
    # …unless it also says it is no article (About, Contact pages).
    about = undated.replace("<html>", '<html><head><script type="application/ld+json">'
                            '{"@type": "AboutPage"}</script></head>')
    assert extract("https://g.example/about/", about).reason == "static page"


def test_generic_page_without_text_is_not_a_post() -> None:
    item = extract("https://g.example/gallery/", "<html><body><div><img src='a.jpg'></div></body></html>")
    assert isinstance(item, NotAPost) and item.reason == "no article content"


@pytest.mark.parametrize(("html", "platform"), [
    ('<meta name="generator" content="WordPress 6.8.1">', "wordpress"),
    ('<link rel="https://api.w.org/" href="https://b.example/wp-json/">', "wordpress"),
    ('<script src="https://b.example/wp-includes/js/jquery/jquery.min.js"></script>', "wordpress"),
    ('<link rel="stylesheet" href="/wp-content/themes/x/style.css">', "wordpress"),
    ('<meta name="generator" content="Ghost 5.96">', "generic"),
    ('<meta content="blogger" name="generator">', "generic"),
    ("", "generic"),
])
def test_detect_platform(html: str, platform: str) -> None:
    assert detect_platform(f"<html><head>{html}</head><body><p>x</p></body></html>") == platform


def test_listing_that_shows_a_protected_post_is_still_a_listing() -> None:
    protected = entry(3, extra="post-password-required").replace(
        PROSE, '<form class="post-password-form"><input type="password"></form>')
    item = extract("https://b.example/", wp_page("home blog", entry(1) + protected + entry(2)))
    assert isinstance(item, Listing)
    assert len(item.permalinks) == 3


def test_a_page_a_feed_lists_among_posts_is_a_post() -> None:
    """Routes know what markup cannot: an undated page that says "website" but is in the feed."""
    html = ('<html><head><meta property="og:type" content="website"><meta property="article:author" '
            f'content="Jo"></head><body><article><h1>Minutes</h1>{PROSE * 3}</article></body></html>')
    assert extract("https://g.example/minutes/", html).reason == "static page"
    assert isinstance(extract("https://g.example/minutes/", html, listed_as="post"), Post)
    listing = html.replace("<article>", '<article><a href="/page/2/">Older</a>')
    assert isinstance(extract("https://g.example/", listing, listed_as="post"), Listing)


def test_a_post_like_page_only_a_sitemap_of_pages_lists_is_a_static_page() -> None:
    """Ghost and SEO plugins keep pages in their own sitemap: an About page dressed as an
    article is a page there; WordPress's own body classes still win."""
    html = ('<html><head><meta property="og:type" content="article"></head><body><article>'
            f'<h1>About us</h1><time datetime="2024-05-01">1 May</time>{PROSE * 3}</article>'
            '</body></html>')
    assert isinstance(extract("https://g.example/about/", html), Post)
    page = extract("https://g.example/about/", html, listed_as="page")
    assert isinstance(page, NotAPost) and page.reason == "static page"
    wordpress = wp_page("single single-post postid-3", entry(3))
    assert isinstance(extract("https://b.example/2024/05/x/", wordpress, listed_as="page"), Post)

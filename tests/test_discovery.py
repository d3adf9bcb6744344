"""Discovery parsers and the crawl scope, offline."""

from __future__ import annotations

import pytest

from crawler import discovery
from crawler.scope import SiteScope

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>http://blog.example/wp-sitemap-posts-post-1.xml</loc></sitemap>
  <sitemap><loc>http://blog.example/wp-sitemap-users-1.xml</loc></sitemap>
</sitemapindex>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>http://blog.example/2024/01/02/bins/</loc><lastmod>2024-01-03T10:00:00+00:00</lastmod></url>
  <url><loc>http://blog.example/2024/02/02/libraries/</loc></url>
</urlset>"""

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>b</title>
<item><title>A</title><link>http://blog.example/a/</link></item>
<item><title>B</title><link> http://blog.example/b/ </link></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>A</title><link rel="alternate" href="http://blog.example/a.html"/>
<link rel="replies" href="http://blog.example/a.html#comments"/></entry></feed>"""


def test_robots_sitemap_lines():
    body = "User-agent: *\nDisallow: /wp-admin/\nsitemap: http://blog.example/s.xml\nSitemap:\n"
    assert discovery.robots_sitemaps(body) == ["http://blog.example/s.xml"]


def test_sitemap_index_and_urlset():
    assert discovery.parse_sitemap(SITEMAP_INDEX).sitemaps[0].endswith("posts-post-1.xml")
    pages = discovery.parse_sitemap(URLSET).pages
    assert pages == [("http://blog.example/2024/01/02/bins/", "2024-01-03T10:00:00+00:00"),
                     ("http://blog.example/2024/02/02/libraries/", None)]


@pytest.mark.parametrize("body", [b"", b"<html><body>404</body></html>", b"\xff\xfe garbage"])
def test_not_a_sitemap_is_a_clear_error(body):
    with pytest.raises(ValueError, match="not a sitemap"):
        discovery.parse_sitemap(body)


def test_feeds():
    assert discovery.feed_links(RSS) == ["http://blog.example/a/", "http://blog.example/b/"]
    assert discovery.feed_links(ATOM) == ["http://blog.example/a.html"]
    with pytest.raises(ValueError):
        discovery.feed_links(b"<html><p>no</p></html>")


def test_rest_items():
    assert discovery.rest_items(b'[{"id": 1}, 3]') == [{"id": 1}]
    with pytest.raises(ValueError, match="REST"):
        discovery.rest_items(b'{"code": "rest_post_invalid_page_number"}')
    with pytest.raises(ValueError, match="JSON"):
        discovery.rest_items(b"<html>")
    assert discovery.rest_total_pages({"X-WP-TotalPages": "7"}) == 7


def test_rest_page_count_read_from_scrapy_headers():
    """Scrapy title-cases header names (``X-Wp-Totalpages``): the count is still read, so
    REST collections past their first page are walked."""
    from scrapy.http import Headers

    from storage.headers import first_values
    assert discovery.rest_total_pages(first_values(Headers({"X-WP-TotalPages": "4"}))) == 4
    assert discovery.rest_total_pages({"x-wp-totalpages": "nope"}) == 1


@pytest.mark.parametrize("url, reason", [
    ("http://blog.example/2024/01/02/bins/", None),
    ("http://www.blog.example/2024/01/02/bins/", None),
    ("http://old-blog.example/x/", None),
    ("http://elsewhere.example/x/", "offsite"),
    ("ftp://blog.example/x/", "offsite_scheme"),
    ("http://blog.example/wp-admin/post.php", "not_content"),
    ("http://blog.example/wp-content/uploads/a.jpg", "not_content"),
    ("http://blog.example/a/?replytocom=3", None),
    ("http://blog.example/?s=council", "trap_params"),
    ("http://blog.example/?m=20240101", "trap_params"),
    ("http://blog.example/shop?orderby=price&sid=9", "trap_params"),
    ("http://blog.example/page/3/", None),
    ("http://blog.example/page/900/", "pagination_cap"),
    ("http://blog.example/?paged=901", "pagination_cap"),
])
def test_scope(url, reason):
    scope = SiteScope("http://blog.example/", aliases=("old-blog.example",))
    assert scope.skip_reason(url) == reason


def test_scope_keeps_a_blog_under_a_path_prefix():
    scope = SiteScope("http://127.0.0.1:8123/news/")
    assert scope.on_site("http://127.0.0.1:8123/news/2024/a/")
    assert scope.on_site("http://127.0.0.1:8123/news")
    assert not scope.on_site("http://127.0.0.1:8123/shop/")
    assert not scope.on_site("http://127.0.0.1:9999/news/")


def test_feed_autodiscovery():
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="Posts" href="/feeds/posts/default?alt=rss">
    <link rel="alternate" type="application/atom+xml" href="https://blog.example/atom.xml">
    <link rel="alternate" hreflang="cy" href="/cy/">
    <link rel="stylesheet" href="/style.css"></head><body></body></html>"""
    assert discovery.feed_hrefs(html) == ["/feeds/posts/default?alt=rss", "https://blog.example/atom.xml"]
    assert discovery.feed_hrefs("") == []


@pytest.mark.parametrize("url, lists", [
    ("https://b.example/wp-sitemap-posts-post-1.xml", "post"),
    ("https://b.example/wp-sitemap-posts-page-2.xml", "page"),
    ("https://b.example/wp-sitemap-posts-attachment-1.xml", None),
    ("https://b.example/wp-sitemap-taxonomies-category-1.xml", None),
    ("https://b.example/post-sitemap.xml", "post"),
    ("https://b.example/page-sitemap2.xml", "page"),
    ("https://b.example/post_tag-sitemap.xml", None),
    ("https://g.example/sitemap-posts.xml", "post"),
    ("https://g.example/sitemap-pages.xml", "page"),
    ("https://g.example/sitemap-tags.xml", None),
    ("https://b.example/sitemap.xml", None),
    ("https://b.example/sitemap_index.xml", None),
])
def test_what_a_sitemap_lists_is_read_from_its_name(url, lists):
    assert discovery.sitemap_lists(url) == lists

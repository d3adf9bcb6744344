"""The loopback sample-blog server: every route, paging, redirects, 304s, options, swap()."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import pytest

from crawler.demo import SiteOptions, generate_blog, render_site, serve_blog, write_site

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from crawler.demo import ServedBlog

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, without following redirects or raising on errors."""
    request = urllib.request.Request(url, headers={k.replace("_", "-"): v for k, v in headers.items()})
    try:
        with _OPENER.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def served() -> Iterator[ServedBlog]:
    with serve_blog(generate_blog(60, seed=0)) as running:
        yield running


def links(html: bytes, pattern: str) -> list[str]:
    return re.findall(pattern, html.decode())


def test_post_page_looks_like_wordpress(served: ServedBlog) -> None:
    post = next(p for p in served.blog.posts if len(p.comments) > 1)
    status, headers, body = fetch(post.permalink)
    html = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=UTF-8"
    assert served.blog.base_url == served.url and post.permalink.startswith(served.url)
    for needle in (
        '<meta name="generator" content="WordPress 6.',
        f'<article id="post-{post.id}" class="post-{post.id} post type-post',
        '<h1 class="entry-title">', '<div class="entry-content">',
        f'<time class="entry-date published" datetime="{post.published.isoformat()}">',
        f'<time class="updated" datetime="{post.modified.isoformat()}">',
        '<span class="author vcard">', 'rel="category tag"', f'<link rel="canonical" href="{post.permalink}" />',
        f"<link rel='shortlink' href='{served.url}/?p={post.id}' />", '"datePublished"', "Share this:",
        "Like this:", "jp-relatedposts", '<div id="comments"', f"{len(post.comments)} thoughts on &ldquo;",
        '<ol class="comment-list">', f'<li id="comment-{post.comments[0].id}"', "Leave a Reply", "wp-content",
    ):
        assert needle in html, needle
    assert "Protected" not in html.split('<h1 class="entry-title">')[1][:20]


def test_home_listing_pages_through_every_post(served: ServedBlog) -> None:
    url, seen, pages = served.url + "/", [], 0
    while url:
        status, _, body = fetch(url)
        assert status == 200
        articles = links(body, r'<h2 class="entry-title"><a href="([^"]+)"')
        assert len(articles) <= 10
        seen += articles
        older = links(body, r'<div class="nav-previous"><a href="([^"]+)">Older posts</a>')
        url, pages = (older[0] if older else ""), pages + 1
    assert seen == [p.permalink for p in served.blog.entries()]
    assert pages == 7
    assert fetch(served.url + "/page/1/")[0] == 301


def test_archives_and_static_pages(served: ServedBlog) -> None:
    blog = served.blog
    post = blog.posts[0]
    category = blog.term(post.categories[0])
    for path in (f"/category/{category.slug}/", f"/tag/{blog.term(post.tags[0], 'post_tag').slug}/",
                 f"/author/{post.author_login}/", f"/{post.published:%Y/%m}/", "/about/"):
        status, _, body = fetch(served.url + path)
        assert status == 200, path
    status, _, body = fetch(blog.protected.permalink)
    assert status == 200 and b"post-password-required" in body and b"post_password" in body
    assert blog.protected.paragraphs[0].encode() not in body


def test_robots_and_sitemaps(served: ServedBlog) -> None:
    _, _, robots = fetch(served.url + "/robots.txt")
    assert f"Sitemap: {served.url}/wp-sitemap.xml".encode() in robots
    _, headers, index = fetch(served.url + "/wp-sitemap.xml")
    assert headers["Content-Type"].startswith("application/xml")
    files = [e.text for e in ElementTree.fromstring(index).iter(SITEMAP + "loc")]
    assert f"{served.url}/wp-sitemap-posts-post-1.xml" in files
    _, _, posts = fetch(files[0])
    urls = ElementTree.fromstring(posts).findall(SITEMAP + "url")
    assert {u.find(SITEMAP + "loc").text for u in urls} == {p.permalink for p in served.blog.posts}
    assert all(u.find(SITEMAP + "lastmod") is not None for u in urls)
    assert all(fetch(f)[0] == 200 for f in files)


def test_feed_pages_until_404(served: ServedBlog) -> None:
    seen, number = [], 1
    while True:
        status, headers, body = fetch(served.url + "/feed/" + (f"?paged={number}" if number > 1 else ""))
        if status == 404:
            break
        assert headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
        items = ElementTree.fromstring(body).findall("./channel/item")
        assert 1 <= len(items) <= 10 and b"content:encoded" in body
        seen += [i.findtext("link") for i in items]
        number += 1
    assert seen == [p.permalink for p in served.blog.entries()]


def test_rest_api_pages_with_headers(served: ServedBlog) -> None:
    ids, page, total_pages = [], 1, 1
    while page <= total_pages:
        status, headers, body = fetch(f"{served.url}/wp-json/wp/v2/posts?per_page=25&page={page}")
        assert status == 200 and headers["X-WP-Total"] == "61"
        total_pages = int(headers["X-WP-TotalPages"])
        items = json.loads(body)
        ids += [item["id"] for item in items]
        page += 1
    assert total_pages == 3
    assert ids == [p.id for p in served.blog.entries()]
    status, _, body = fetch(f"{served.url}/wp-json/wp/v2/posts?per_page=25&page=4")
    assert status == 400 and json.loads(body)["code"] == "rest_post_invalid_page_number"
    assert fetch(f"{served.url}/wp-json/wp/v2/posts?per_page=101")[0] == 400


def test_rest_post_fields(served: ServedBlog) -> None:
    post = served.blog.posts[5]
    _, _, body = fetch(f"{served.url}/wp-json/wp/v2/posts/{post.id}")
    item = json.loads(body)
    assert item["link"] == post.permalink and item["slug"] == post.slug
    assert item["date"] == post.published.replace(tzinfo=None).isoformat()
    assert item["status"] == "publish" and item["content"]["rendered"].startswith("<p>")
    expected = {"id", "date_gmt", "modified", "modified_gmt", "title", "excerpt", "author", "categories", "tags"}
    assert expected <= set(item)
    for route in ("/wp-json/", "/wp-json/wp/v2/users", "/wp-json/wp/v2/categories", "/wp-json/wp/v2/tags"):
        assert fetch(served.url + route)[0] == 200, route


def test_redirects_and_not_found(served: ServedBlog) -> None:
    post = served.blog.posts[3]
    status, headers, _ = fetch(f"{served.url}/?p={post.id}")
    assert status == 301 and headers["Location"] == post.permalink
    assert fetch(post.permalink.rstrip("/"))[1]["Location"] == post.permalink
    status, headers, body = fetch(served.url + "/no-such-page/")
    assert status == 404 and headers["Content-Type"].startswith("text/html") and b"error404" in body
    assert fetch(f"{served.url}/?p=999999")[0] == 404


def test_conditional_get_answers_304(served: ServedBlog) -> None:
    url = served.blog.posts[1].permalink
    _, headers, _ = fetch(url)
    assert fetch(url, If_None_Match=headers["ETag"])[0] == 304
    assert fetch(url, If_Modified_Since=headers["Last-Modified"])[0] == 304
    assert fetch(url, If_None_Match='"something-else"')[0] == 200


def test_requests_are_counted(served: ServedBlog) -> None:
    path = served.blog.posts[2].path
    before = served.request_count[path]
    fetch(served.url + path)
    fetch(served.url + path)
    assert served.request_count[path] == before + 2
    assert served.requests[-1].target == path and served.requests[-1].status == 200


def test_swap_serves_the_next_version() -> None:
    blog = generate_blog(40, seed=3)
    with serve_blog(blog) as running:
        first = {p.id: fetch(p.permalink)[1]["ETag"] for p in blog.posts}
        after = running.swap(blog.mutate(added=3, edited=2, deleted=1, seed=0))
        assert after.base_url == running.url
        for post_id in after.changes.added:
            assert fetch(after.post(post_id).permalink)[0] == 200
        for post_id in after.changes.deleted:
            assert fetch(blog.post(post_id).permalink)[0] == 404
        for post_id in after.changes.edited:
            assert fetch(after.post(post_id).permalink, If_None_Match=first[post_id])[0] == 200
        _, _, body = fetch(running.url + "/wp-sitemap-posts-post-1.xml")
        assert body.count(b"<url>") == len(after.posts)


def test_options_remove_discovery_routes() -> None:
    options = SiteOptions(sitemap=False, rest_api=False, feed=False, robots=False)
    with serve_blog(generate_blog(15, seed=1), options) as running:
        for path in ("/robots.txt", "/wp-sitemap.xml", "/feed/", "/feed/?paged=2", "/wp-json/", "/wp-json/wp/v2/posts"):
            assert fetch(running.url + path)[0] == 404, path
        _, _, home = fetch(running.url + "/")
        assert b"api.w.org" not in home and b"application/rss+xml" not in home
    with serve_blog(generate_blog(15, seed=1), SiteOptions(sitemap=False)) as running:
        status, _, robots = fetch(running.url + "/robots.txt")
        assert status == 200 and b"Sitemap:" not in robots


def test_sitemap_splits_at_the_url_limit() -> None:
    site = render_site(generate_blog(60, seed=0), SiteOptions(sitemap_max_urls=25))
    files = [f"/wp-sitemap-posts-post-{n}.xml" for n in (1, 2, 3)]
    assert [site.pages[f].body.count(b"<url>") for f in files] == [25, 25, 10]
    assert "/wp-sitemap-posts-post-4.xml" not in site.pages


def test_write_site_as_files(tmp_path: Path) -> None:
    blog = generate_blog(15, seed=2)
    written = write_site(blog, tmp_path, options=SiteOptions())
    assert (tmp_path / "index.html").exists() and (tmp_path / "robots.txt").exists()
    assert (tmp_path / "feed" / "index.xml").exists() and (tmp_path / "wp-sitemap.xml").exists()
    assert (tmp_path / blog.posts[0].path.strip("/") / "index.html") in written


def test_two_thousand_posts_render_whole() -> None:
    # How fast is the benchmarks' business (bench_crawl renders such blogs); this checks
    # that a blog that size renders completely.
    blog = generate_blog(2000, seed=11)
    site = render_site(blog)
    assert site.pages["/wp-sitemap-posts-post-1.xml"].body.count(b"<url>") == 2000
    assert all(p.path in site.pages for p in blog.posts)

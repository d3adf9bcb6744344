"""Page routing by the blog spider's public callbacks, in-process and offline: each callback is
handed a response built from the rendered demo blog and what it yields is checked."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse

from crawler.demo import generate_blog, render_site
from crawler.items import AliasItem, GoneItem, PostItem
from crawler.pipelines import PostPipeline
from tests.support.offline import answer, offline_spider, outputs, site_answers, start_requests


@pytest.fixture(scope="module")
def blog():
    return generate_blog(n_posts=25, seed=3)


@pytest.fixture(scope="module")
def answers(blog):
    return site_answers(render_site(blog))


@pytest.fixture
def spider(blog, tmp_path):
    return offline_spider(f"sqlite:///{tmp_path / 'archive.db'}", blog.base_url)


def requests(outputs) -> list[scrapy.Request]:
    return [o for o in outputs if isinstance(o, scrapy.Request)]


def request_for(spider, url: str, callback, kind: str = "post", **meta) -> scrapy.Request:
    """A request as the spider makes one: its errback and kind; discovery routes handle every
    status themselves, pages get Scrapy's allowed codes only."""
    handles_all = kind not in ("post", "link", "listing_page")
    return scrapy.Request(url, callback=callback, errback=spider.on_error,
                          meta={"civic_kind": kind, "handle_httpstatus_all": handles_all, **meta})


def test_start_asks_every_discovery_route_before_any_page(spider, blog):
    started = start_requests(spider)
    by_path = {r.url.removeprefix(blog.base_url): r for r in started}
    assert {"/robots.txt", "/wp-sitemap.xml", "/sitemap_index.xml", "/sitemap.xml", "/feed/",
            "/wp-json/wp/v2/posts?per_page=100&page=1", "/"} <= set(by_path)
    assert any(p.startswith("/wp-json/wp/v2/categories") for p in by_path)
    assert any(p.startswith("/wp-json/wp/v2/tags") for p in by_path)
    # robots.txt first and read by the spider itself; the home page, a listing, last.
    assert started[0].url.endswith("/robots.txt") and started[0].meta["dont_obey_robotstxt"]
    assert max(r.priority for r in started) == started[0].priority
    home = by_path["/"]
    assert home.priority == min(r.priority for r in started) and home.meta["route"] == "listing"
    # Guessed locations are probes: a soft 404 there is no failure.
    assert all(r.meta.get("probe") for r in started if r is not home)
    # A first crawl knows no posts, so there is no comments feed to read.
    assert "/comments/feed/" not in by_path


def test_robots_names_the_sitemaps_on_the_site_only(spider, blog):
    body = (f"User-agent: *\nDisallow: /wp-admin/\nSitemap: {blog.base_url}/wp-sitemap.xml\n"
            "Sitemap: https://elsewhere.example/sitemap.xml\n").encode()
    request = request_for(spider, blog.base_url + "/robots.txt", spider.parse_robots, kind="robots")
    out = list(spider.parse_robots(TextResponse(request.url, body=body, request=request)))
    assert [(r.url, r.callback) for r in out] == [(blog.base_url + "/wp-sitemap.xml", spider.parse_sitemap)]
    assert spider.crawler.stats.get_value("skipped/offsite") == 1


def test_sitemap_index_leads_to_its_sitemaps_and_they_to_every_post(spider, blog, answers):
    index = request_for(spider, blog.base_url + "/wp-sitemap.xml", spider.parse_sitemap, kind="sitemap")
    children = requests(spider.parse_sitemap(answer(index, answers)))
    names = {r.url.rsplit("/", 1)[-1] for r in children}
    # Every sitemap but the users' one (author pages are no posts).
    assert names == {"wp-sitemap-posts-post-1.xml", "wp-sitemap-posts-page-1.xml",
                     "wp-sitemap-taxonomies-category-1.xml", "wp-sitemap-taxonomies-post_tag-1.xml"}
    assert all(r.callback == spider.parse_sitemap for r in children)
    posts_map = next(r for r in children if r.url.endswith("posts-post-1.xml"))
    pages = requests(spider.parse_sitemap(answer(posts_map, answers)))
    assert {r.url for r in pages} == {p.permalink for p in blog.posts}
    assert all(r.callback == spider.parse_page and r.meta["route"] == "sitemap" for r in pages)


def test_a_missing_sitemap_is_counted_and_yields_nothing(spider, blog, answers):
    probe = request_for(spider, blog.base_url + "/sitemap_index.xml", spider.parse_sitemap,
                        kind="sitemap", probe=True)
    assert list(spider.parse_sitemap(answer(probe, answers))) == []
    assert spider.crawler.stats.get_value("discovery/sitemap_missing") == 1


def test_feed_names_its_posts_and_asks_for_the_next_page(spider, blog, answers):
    first = request_for(spider, blog.base_url + "/feed/", spider.parse_feed, kind="feed", page=1)
    out = requests(spider.parse_feed(answer(first, answers)))
    posts = [r for r in out if r.callback == spider.parse_page]
    assert len(posts) == 10 and all(r.meta["route"] == "feed" for r in posts)
    # The password-protected post is in the feed too; its page will say it is no post.
    assert {r.url for r in posts} <= {p.permalink for p in [*blog.posts, blog.protected]}
    [following] = [r for r in out if r.callback == spider.parse_feed]
    assert following.url.endswith("/feed/?paged=2") and following.meta["page"] == 2
    # The same page again brings nothing new: no further page is asked for.
    again = request_for(spider, blog.base_url + "/feed/?paged=2", spider.parse_feed, kind="feed", page=2)
    again = HtmlResponse(again.url, body=answer(first, answers).body, request=again,
                         headers={"Content-Type": "application/rss+xml"})
    assert list(spider.parse_feed(again)) == []


def test_rest_posts_page_through_the_api_and_name_every_post(spider, blog, answers):
    url = blog.base_url + "/wp-json/wp/v2/posts?per_page=10&page=1"
    first = request_for(spider, url, spider.parse_rest_posts, kind="rest", page=1)
    out = requests(spider.parse_rest_posts(answer(first, answers)))
    more = [r for r in out if r.callback == spider.parse_rest_posts]
    # X-WP-TotalPages says 3: pages 2 and 3 are asked for, each once.
    assert sorted(r.meta["page"] for r in more) == [2, 3]
    posts = [r for r in out if r.callback == spider.parse_page]
    assert all(r.meta["route"] == "rest" for r in posts) and len(posts) == 10
    assert {r.url for r in posts} <= {p.permalink for p in [*blog.posts, blog.protected]}


def test_rest_posts_name_every_post_they_list(spider, blog, answers):
    url = blog.base_url + "/wp-json/wp/v2/posts?per_page=100&page=1"
    first = request_for(spider, url, spider.parse_rest_posts, kind="rest", page=1)
    posts = requests(spider.parse_rest_posts(answer(first, answers)))
    assert all(r.callback == spider.parse_page and r.meta["route"] == "rest" for r in posts)
    assert {r.url for r in posts} == {p.permalink for p in [*blog.posts, blog.protected]}


def test_rest_api_that_is_not_there_is_counted(spider, blog):
    url = blog.base_url + "/wp-json/wp/v2/posts?per_page=100&page=1"
    request = request_for(spider, url, spider.parse_rest_posts, kind="rest", page=1, probe=True)
    missing = HtmlResponse(url, status=404, body=b"<html>no</html>", request=request)
    assert list(spider.parse_rest_posts(missing)) == []
    assert spider.crawler.stats.get_value("discovery/rest_unavailable") == 1


def test_a_post_page_becomes_one_post_item_with_its_fields(spider, blog, answers):
    post = blog.posts[4]
    request = request_for(spider, post.permalink, spider.parse_page, route="sitemap")
    out = outputs(spider.parse_page(answer(request, answers)))
    [item] = [o for o in out if isinstance(o, PostItem)]
    assert item.post.title == post.title and item.post.platform_id == str(post.id)
    assert item.post.published == post.published
    assert item.post.text.split("\n\n") == post.paragraphs
    assert item.routes == {"sitemap"}
    assert (post.shortlink, "shortlink") in item.aliases


def test_a_listing_page_names_its_posts_and_the_next_page(spider, blog, answers):
    home = request_for(spider, blog.base_url + "/", spider.parse_page, kind="listing_page",
                       route="listing")
    out = requests(outputs(spider.parse_page(answer(home, answers))))
    listed = [r for r in out if r.meta.get("route") == "listing" and r.meta["civic_kind"] == "post"]
    newest = sorted([*blog.posts, blog.protected], key=lambda p: p.published, reverse=True)[:10]
    assert {r.url for r in listed} == {p.permalink for p in newest}
    assert blog.base_url + "/page/2/" in {r.url for r in out if r.meta["civic_kind"] == "listing_page"}
    # The home page announces the feed; it is read like /feed/.
    assert any(r.callback == spider.parse_feed for r in out)
    assert spider.crawler.stats.get_value("pages/listing") == 1


def test_pages_that_are_not_posts_are_counted_by_reason(spider, blog, answers):
    about = request_for(spider, blog.about.permalink, spider.parse_page)
    assert not [o for o in outputs(spider.parse_page(answer(about, answers))) if not isinstance(o, scrapy.Request)]
    stats = spider.crawler.stats
    assert stats.get_value("pages/not_a_post/static page") == 1
    pdf = request_for(spider, blog.base_url + "/report/", spider.parse_page)
    assert outputs(spider.parse_page(TextResponse(pdf.url, body=b"%PDF-1.7", request=pdf,
                                               headers={"Content-Type": "application/pdf"}))) == []
    assert stats.get_value("skipped/non_html") == 1
    gone = request_for(spider, blog.base_url + "/nowhere/", spider.parse_page)
    assert outputs(spider.parse_page(HtmlResponse(gone.url, status=404, body=b"<html></html>",
                                               request=gone))) == []
    assert stats.get_value("pages/status_404") == 1


def test_an_empty_page_is_asked_again_within_the_run(spider, blog):
    request = request_for(spider, blog.posts[0].permalink, spider.parse_page)
    [retry] = outputs(spider.parse_page(HtmlResponse(request.url, body=b"", request=request)))
    assert retry.url == request.url and retry.dont_filter and retry.meta["retry_times"] == 1


def test_trap_links_are_skipped_and_counted_by_reason(spider, blog):
    base = blog.base_url
    links = [f"{base}/?s=library", f"{base}/category/x/?orderby=date", f"{base}/wp-admin/",
             "http://127.0.0.1:9/elsewhere/", "file:///etc/passwd", "https://other.example/",
             f"{base}/a-new-page/"]
    body = "".join(f'<a href="{u}">x</a>' for u in links)
    request = request_for(spider, base + "/hub/", spider.parse_page)
    out = requests(outputs(spider.parse_page(HtmlResponse(request.url, request=request,
                                                  body=f"<html><body>{body}</body></html>".encode()))))
    assert [r.url for r in out] == [f"{base}/a-new-page/"]
    stats = spider.crawler.stats
    assert stats.get_value("skipped/trap_params") == 2 and stats.get_value("skipped/not_content") == 1
    assert stats.get_value("skipped/offsite_port") == 1 and stats.get_value("skipped/offsite_scheme") == 1


def test_a_page_the_rest_api_lists_is_taken_from_its_record_when_unrecognised(spider, blog, answers):
    odd = blog.posts[5]
    rest_url = blog.base_url + "/wp-json/wp/v2/posts?per_page=100&page=1"
    rest = request_for(spider, rest_url, spider.parse_rest_posts, kind="rest", page=1)
    list(spider.parse_rest_posts(answer(rest, answers)))
    cards = "".join(f'<article><h2><a href="/elsewhere-{i}/">Card {i}</a></h2></article>' for i in range(3))
    request = request_for(spider, odd.permalink, spider.parse_page, route="rest")
    out = outputs(spider.parse_page(HtmlResponse(odd.permalink, request=request,
                                              body=f"<html><body>{cards}</body></html>".encode())))
    [item] = [o for o in out if isinstance(o, PostItem)]
    assert item.post.title == odd.title and item.post.text.split("\n\n") == odd.paragraphs
    assert spider.crawler.stats.get_value("pages/post_from_rest") == 1


def test_a_known_post_that_answers_404_is_gone_and_one_seen_again_is_an_alias(blog, answers, tmp_path):
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    first = offline_spider(db, blog.base_url)
    post = blog.posts[2]
    request = request_for(first, post.permalink, first.parse_page, route="sitemap")
    [item] = [o for o in outputs(first.parse_page(answer(request, answers))) if isinstance(o, PostItem)]
    PostPipeline.from_crawler(first.crawler).process_item(item)

    recrawl = offline_spider(db, blog.base_url)
    # Known, unchanged and named by a new route: not fetched, only the route recorded.
    assert list(recrawl.follow_post(post.permalink, "feed")) == [AliasItem(url=post.permalink, route="feed")]
    assert recrawl.crawler.stats.get_value("skipped/unchanged") == 1
    # A changed one (the sitemap's lastmod is newer) is fetched again.
    [refetch] = recrawl.follow_post(post.permalink, "sitemap", changed_at=post.modified.replace(year=2100))
    assert refetch.url == post.permalink
    gone = request_for(recrawl, post.permalink, recrawl.parse_page)
    out = outputs(recrawl.parse_page(HtmlResponse(post.permalink, status=410, body=b"<html></html>",
                                               request=gone)))
    assert out == [GoneItem(url=post.permalink, status=410)]
    # The recrawl reads the comments feed: new comments change neither a date nor a sitemap.
    assert any(r.url.endswith("/comments/feed/") for r in start_requests(recrawl))

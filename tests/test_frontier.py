"""The crawl's frontier decides fetch / alias / skip from plain values: no Scrapy, no server."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from crawler.freshness import Freshness
from crawler.frontier import Decision, Frontier, Skip
from storage.crawl_state import KnownPost, OwedUrl, PageState, SiteState

POST = "http://blog.example/2024/05/bins/"
PAGE = "http://blog.example/about/"
WHEN = datetime(2024, 5, 1, tzinfo=timezone.utc)


def _frontier(*, full: bool = False, owed: dict | None = None, last_run: str | None = "finished",
              pages: dict | None = None) -> Frontier:
    state = SiteState(posts={POST: KnownPost(1, WHEN, "live", frozenset({"sitemap"}))},
                      pages=pages or {}, owed=owed or {}, last_run_status=last_run)
    return Frontier(Freshness(state, full=full))


def test_a_new_address_is_fetched_once_whatever_names_it_next():
    frontier = _frontier()
    url = "http://blog.example/2024/06/new/"
    assert frontier.decide(url, "sitemap") == Decision(fetch=True)
    # Already on its way: the page reads every route it collected when it arrives.
    assert frontier.decide(url, "feed") == Decision()
    assert frontier.routes_of([url]) == {"sitemap", "feed"}


def test_a_known_post_is_fetched_only_when_a_route_says_it_changed():
    frontier = _frontier()
    assert frontier.decide(POST, "sitemap", WHEN) == Decision(skipped=Skip.UNCHANGED)
    # A route the archive did not know for it yet is recorded as another way to it.
    assert frontier.decide(POST, "feed") == Decision(alias=True)
    changed = _frontier().decide(POST, "sitemap", WHEN + timedelta(days=1))
    assert changed == Decision(fetch=True, conditional=True)


def test_full_fetches_known_posts_again():
    assert _frontier(full=True).decide(POST, "sitemap", WHEN).fetch


def test_an_archived_post_named_by_a_new_route_gets_an_alias_not_a_fetch():
    frontier = _frontier()
    url = "http://blog.example/2024/06/new/"
    frontier.decide(url, "listing")
    frontier.archived.add(url)
    assert frontier.decide(url, "rest") == Decision(alias=True)
    assert frontier.decide(url, "rest") == Decision()


def test_a_known_non_post_page_is_not_fetched_again_unless_listings_are_rewalked():
    pages = {PAGE: PageState(200, WHEN)}
    assert _frontier(pages=pages).decide(PAGE, "link") == Decision(skipped=Skip.KNOWN_PAGE)
    # After a run that did not finish, pages it captured may never have been followed.
    assert _frontier(pages=pages, last_run="killed").decide(PAGE, "link").fetch
    failed = {PAGE: PageState(503, WHEN)}
    assert _frontier(pages=failed).decide(PAGE, "link").fetch


def test_a_url_that_keeps_failing_sits_runs_out():
    owed = {PAGE: OwedUrl(PAGE, "post", "parse_page", {}, "http_503", failures=6, runs_since=0)}
    assert _frontier(owed=owed).decide(PAGE, "sitemap") == Decision(skipped=Skip.OWED_BACKOFF)
    assert _frontier(owed=owed, full=True).decide(PAGE, "sitemap").fetch


def test_a_trap_chain_page_is_fetched_again_when_the_blog_names_it():
    frontier = _frontier()
    url = "http://blog.example/diary/?date=2024-01-05"
    assert frontier.decide(url, "link").fetch
    frontier.chain_pages.add(url)
    assert frontier.decide(url, "link") == Decision()  # a link is no evidence
    assert frontier.decide(url, "sitemap") == Decision(fetch=True, refetch=True)
    assert url not in frontier.chain_pages


def test_claims_links_and_feed_items_are_counted_once():
    frontier = _frontier()
    assert frontier.claim(PAGE) and not frontier.claim(PAGE)
    assert frontier.decide(PAGE, "sitemap") == Decision()
    assert frontier.first_sight(POST) and not frontier.first_sight(POST)
    assert frontier.new_in_feed([POST, PAGE, POST]) == [POST, PAGE]
    assert frontier.new_in_feed([PAGE]) == []
    assert frontier.named([PAGE])  # the sitemap named it
    other = "http://blog.example/contact/"
    frontier.decide(other, "link")
    assert not frontier.named([other])


def test_the_blogs_own_lists_say_post_or_page():
    frontier = _frontier()
    about, story = "http://blog.example/about/", "http://blog.example/2024/06/new/"
    frontier.note_listed(about, "page")
    frontier.note_listed(story, "post")
    frontier.note_listed(story, None)
    assert frontier.listed_as([about]) == "page" and frontier.listed_as([story]) == "post"
    frontier.decide(about, "feed")  # a feed lists only posts
    assert frontier.listed_as([about]) == "post"
    assert frontier.listed_as(["http://blog.example/contact/"]) is None

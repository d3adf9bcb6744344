"""The page and the REST record of one post merge into the same record in any arrival order."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest

from crawler.items import Post
from crawler.pages import extract, extract_rest_post
from crawler.pages.merge import merge_post
from crawler.rest_pairing import RestPairing

URL = "https://b.example/2025/03/04/library-hours/"
RECORD = {
    "id": 41, "link": URL, "status": "publish",
    "date_gmt": "2025-03-04T09:30:00", "modified_gmt": "2025-03-05T10:00:00",
    "title": {"rendered": "Library hours: the council&#8217;s plan"},
    "content": {"rendered": "<p>The cabinet papers set out a plan to open the library four days a week.</p>"},
    "author": 3, "categories": [7], "tags": [],
}
MAPS = {"users": {3: {"name": "Anil Mehta"}}, "categories": {7: {"name": "Council"}}, "tags": {}}


def page_post() -> Post:
    return Post(url=URL, title="Library hours: the council’s plan",
                text="The cabinet papers set out a plan to open the library four days a week. "
                     "Officers say the change saves money.",
                authors=["View all of Anil Mehta's posts."], categories=[], tags=["Council"],
                published=datetime(2025, 3, 4, tzinfo=timezone.utc), platform="wordpress",
                platform_id="41")


def test_rest_wins_where_it_is_exact_and_a_category_is_no_tag() -> None:
    post = merge_post(page_post(), extract_rest_post(RECORD, MAPS))
    assert post.authors == ["Anil Mehta"]
    assert post.categories == ["Council"] and post.tags == []
    assert post.published == datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc)
    assert post.title == "Library hours: the council’s plan"
    assert post.text.endswith("saves money.")  # the page's body is the longer, full one


def test_empty_page_body_takes_the_rest_body() -> None:
    page = page_post()
    page.text = ""
    assert merge_post(page, extract_rest_post(RECORD, MAPS)).text.startswith("The cabinet papers")


def test_merge_needs_a_source() -> None:
    with pytest.raises(ValueError, match="needs"):
        merge_post(None, None)


def _pairing() -> RestPairing:
    pairing = RestPairing(lambda keys: {"sitemap"})
    for kind, names in MAPS.items():
        pairing.terms[kind] = dict(names)
    return pairing


def _arrive(order: tuple[str, ...]) -> Post:
    """Give the pairing the page and the REST record in ``order``; the last post it emits."""
    pairing, emitted = _pairing(), []
    for event in order:
        if event == "rest":
            emitted.extend(filter(None, [pairing.add_record(URL, RECORD)]))
        else:
            emitted.append(pairing.merge(page_post(), {URL}, {"sitemap"}, []))
    return emitted[-1].post


def test_spider_result_does_not_depend_on_arrival_order() -> None:
    results = [_arrive(order) for order in itertools.permutations(["page", "rest"])]
    assert all(r == results[0] for r in results)
    assert results[0].authors == ["Anil Mehta"] and results[0].tags == []


TAGGED = {**RECORD, "tags": [9]}


def _arrive_with_terms(order: tuple[str, ...]) -> Post:
    """The page, its REST record and the tags page (naming tag 9) in ``order``."""
    pairing, emitted = _pairing(), []
    pairing.terms["tags"] = {}
    for event in order:
        if event == "rest":
            emitted.extend(filter(None, [pairing.add_record(URL, TAGGED)]))
        elif event == "tags":
            emitted.extend(pairing.add_terms("tags", [{"id": 9, "name": "Libraries"}], last=True))
        else:
            emitted.append(pairing.merge(page_post(), {URL}, {"sitemap"}, []))
    return emitted[-1].post


def test_names_that_arrive_after_the_page_and_record_still_reach_the_record() -> None:
    results = [_arrive_with_terms(order)
               for order in itertools.permutations(["page", "rest", "tags"])]
    assert all(r == results[0] for r in results)
    assert results[0].tags == ["Libraries"] and results[0].categories == ["Council"]


BIO_PAGE = """<html><head><meta name="generator" content="WordPress 6.8"></head>
<body class="post-template-default single single-post postid-41">
<article id="post-41" class="post-41 post type-post hentry">
<h1 class="entry-title">Library hours</h1>
<div class="entry-meta"><time class="entry-date published" datetime="2025-03-04T09:30:00+00:00">4 March</time></div>
<div class="entry-content"><p>The cabinet papers set out a plan to open the branch library on four days.</p>
<p>Officers say the change saves about forty thousand pounds a year in staff overtime.</p></div>
<div class="author-info"><div class="author-description"><h2 class="author-title">Anil Mehta</h2>
<p class="author-bio">Anil writes about libraries.
<a class="author-link" href="/author/anil/" rel="author">View all of Anil Mehta's posts.</a></p></div></div>
</article></body></html>"""


def test_author_bio_link_is_never_the_author() -> None:
    """The box's name heading is the author (no byline here); its link text never is."""
    post = extract(URL, BIO_PAGE)
    assert isinstance(post, Post)
    assert post.authors == ["Anil Mehta"]
    assert "View all" not in post.text
    no_heading = extract(URL, BIO_PAGE.replace('<h2 class="author-title">Anil Mehta</h2>', ""))
    assert no_heading.authors == []

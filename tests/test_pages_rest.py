"""WordPress REST API items become posts with exact IDs, GMT dates, authors and terms."""

from __future__ import annotations

from datetime import datetime, timezone

from crawler.pages import extract_rest_post

ITEM = {
    "id": 412,
    "date": "2025-09-01T19:30:12",
    "date_gmt": "2025-09-01T18:30:12",
    "modified": "2025-09-03T10:02:44",
    "modified_gmt": "2025-09-03T09:02:44",
    "slug": "library-consultation-closes",
    "status": "publish",
    "link": "https://northfieldwatch.example/2025/09/01/library-consultation-closes/",
    "title": {"rendered": "Library consultation closes with 3,000&nbsp;responses &#8211; update"},
    "content": {"rendered": (
        "<p>The consultation closed on Friday.</p>\n<p>Read the <a href=\"/papers/\">papers</a>.</p>"
        "<script>track()</script><img src=\"https://b.example/p.gif\" width=\"1\" height=\"1\">"
        "<div class=\"sharedaddy sd-sharing-enabled\"><h3 class=\"sd-title\">Share this:</h3></div>"
        "<div id=\"jp-relatedposts\" class=\"jp-relatedposts\"><h3>Related</h3></div>"),
        "protected": False},
    "author": 3,
    "categories": [2, 5],
    "tags": [7, 99],
}
MAPS = {"users": {3: {"id": 3, "name": "Priya Sharma"}},
        "categories": {2: {"id": 2, "name": "Council"}, 5: "Libraries"},
        "tags": {7: {"id": 7, "name": "budget"}}}


def test_rest_item_fields() -> None:
    post = extract_rest_post(ITEM, MAPS)
    assert post.platform == "wordpress" and post.platform_id == "412"
    assert post.url == post.canonical_url == ITEM["link"]
    assert post.title == "Library consultation closes with 3,000 responses – update"
    assert post.published == datetime(2025, 9, 1, 18, 30, 12, tzinfo=timezone.utc)
    assert post.modified == datetime(2025, 9, 3, 9, 2, 44, tzinfo=timezone.utc)
    assert post.authors == ["Priya Sharma"]
    assert post.categories == ["Council", "Libraries"]
    assert post.tags == ["budget"]  # 99 is unknown: skipped, not guessed


def test_rest_body_is_clean() -> None:
    post = extract_rest_post(ITEM, MAPS)
    assert post.text == "The consultation closed on Friday.\n\nRead the papers."
    assert post.links == ["https://northfieldwatch.example/papers/"]
    assert "<script" not in post.html and "Share this" not in post.html and "p.gif" not in post.html
    assert post.images == []


def test_embedded_author_and_terms_without_maps() -> None:
    item = dict(ITEM, _embedded={
        "author": [{"id": 3, "name": "Priya Sharma"}],
        "wp:term": [[{"id": 2, "name": "Council", "taxonomy": "category"}],
                    [{"id": 7, "name": "budget", "taxonomy": "post_tag"}]],
    })
    post = extract_rest_post(item)
    assert (post.authors, post.categories, post.tags) == (["Priya Sharma"], ["Council"], ["budget"])


def test_minimal_item_does_not_raise() -> None:
    post = extract_rest_post({"id": 1})
    assert post.platform_id == "1" and post.title == "" and post.text == ""
    assert post.published is None and post.authors == []

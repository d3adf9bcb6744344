"""Dates are timezone-aware, prefer precise sources, and never come from the crawl clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.items import Post
from crawler.pages import extract
from crawler.pages.dates import choose, date_from_url, parse_datetime, parse_stamp

UTC = timezone.utc
PLUS_ONE = timezone(timedelta(hours=1))


@pytest.mark.parametrize(("text", "expected", "precise"), [
    ("2025-09-01T18:30:12+00:00", datetime(2025, 9, 1, 18, 30, 12, tzinfo=UTC), True),
    ("2025-06-02T08:15:00.000Z", datetime(2025, 6, 2, 8, 15, tzinfo=UTC), True),
    ("Tue, 02 Sep 2025 10:15:00 +0100", datetime(2025, 9, 2, 10, 15, tzinfo=PLUS_ONE), True),
    ("2025-09-01T10:00:00", datetime(2025, 9, 1, 10, 0, tzinfo=UTC), False),
    ("2025-09-01", datetime(2025, 9, 1, tzinfo=UTC), False),
    ("September 2, 2025 at 10:15 am", datetime(2025, 9, 2, 10, 15, tzinfo=UTC), False),
    ("1756750512", datetime(2025, 9, 1, 18, 15, 12, tzinfo=UTC), True),
])
def test_parse_stamp(text: str, expected: datetime, precise: bool) -> None:
    stamp = parse_stamp(text)
    assert stamp is not None
    assert stamp.value == expected and stamp.value.tzinfo is not None
    assert stamp.precise is precise


@pytest.mark.parametrize("text", ["", "   ", "yesterday-ish", "not a date at all", None, "x" * 200])
def test_non_dates_are_none(text: str | None) -> None:
    assert parse_datetime(text) is None


def test_naive_time_takes_the_site_offset_when_known() -> None:
    value = parse_datetime("19 July 2025 at 17:10", PLUS_ONE)
    assert value == datetime(2025, 7, 19, 17, 10, tzinfo=PLUS_ONE)


def test_choose_prefers_a_precise_value_over_an_earlier_vague_one() -> None:
    assert choose(["2025-06-02", "2025-06-02T08:15:00+01:00"]) == datetime(2025, 6, 2, 8, 15, tzinfo=PLUS_ONE)
    assert choose(["junk", "2025-06-02"]) == datetime(2025, 6, 2, tzinfo=UTC)
    assert choose([None, ""]) is None


def test_date_from_url() -> None:
    assert date_from_url("https://b.example/2025/09/01/slug/") == datetime(2025, 9, 1, tzinfo=UTC)
    assert date_from_url("https://b.example/2025/13/01/slug/") is None
    assert date_from_url("https://b.example/about/") is None


def _post(head: str, body: str, url: str = "https://b.example/2024/02/03/slug/") -> Post:
    html = (f"<html><head><meta property='og:type' content='article'>{head}</head><body><article>"
            f"<h1>T</h1>{body}<p>{'Enough words to count as the body of a post. ' * 6}</p>"
            "</article></body></html>")
    item = extract(url, html)
    assert isinstance(item, Post)
    return item


def test_meta_beats_url_and_visible_text() -> None:
    post = _post("<meta property='article:published_time' content='2025-01-05T07:00:00+00:00'>",
                 "<p class='post-date'>5 January</p>")
    assert post.published == datetime(2025, 1, 5, 7, 0, tzinfo=UTC)


def test_time_element_used_when_no_meta() -> None:
    post = _post("", "<time class='entry-date published' datetime='2025-01-05T07:00:00+01:00'>5 Jan</time>"
                     "<time class='updated' datetime='2025-01-06T09:00:00+01:00'>6 Jan</time>")
    assert post.published == datetime(2025, 1, 5, 7, 0, tzinfo=PLUS_ONE)
    assert post.modified == datetime(2025, 1, 6, 9, 0, tzinfo=PLUS_ONE)


def test_url_date_is_the_last_resort_and_nothing_means_none() -> None:
    assert _post("", "").published == datetime(2024, 2, 3, tzinfo=UTC)
    assert _post("", "", url="https://b.example/slug/").published is None
    assert _post("", "").modified is None


def test_zone_abbreviations() -> None:
    assert parse_datetime("Nov 19, 2019 10:00 EST") == datetime(2019, 11, 19, 15, 0, tzinfo=UTC)
    # An ambiguous abbreviation is not guessed: the value is read as UTC (or the site's offset).
    assert parse_datetime("Nov 19, 2019 10:00 IST") == datetime(2019, 11, 19, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("published", [
    '<time class="dt-published" datetime="2025-01-14T09:30:00+01:00">14 Jan</time>',
    '<data class="dt-published" value="2025-01-14T09:30:00+01:00">14 Jan</data>',
    '<abbr class="dt-published" title="2025-01-14T09:30:00+01:00">14 Jan</abbr>',
    '<span class="dt-published">2025-01-14 09:30:00 +0100</span>',
])
def test_microformats_published_on_any_element(published: str) -> None:
    """microformats2 reads ``dt-published`` from ``<time datetime>``, ``<data value>``,
    ``<abbr title>`` or the element's text."""
    html = (f'<html><body><article class="h-entry"><h1 class="p-name">Budget night</h1>{published}'
            '<div class="e-content"><p>The council met on Tuesday and agreed to publish the report.</p>'
            "<p>Residents may comment until March.</p></div></article></body></html>")
    post = extract("https://g.example/notes/budget-night/", html)
    assert isinstance(post, Post)
    assert post.published == datetime(2025, 1, 14, 9, 30, tzinfo=PLUS_ONE)

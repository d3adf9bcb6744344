"""Body text and HTML: furniture lines removed, markup sanitized, comments threaded."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.items import Post
from crawler.pages import extract, html_sanitize
from crawler.pages.comments import extract_comments
from crawler.pages.furniture import is_dateline, is_furniture_text
from crawler.pages.text import blocks

PROSE = "The parish clerk confirmed the figures at the meeting, and they were minuted in full."


def wp_post(content: str, after: str = "") -> Post:
    html = ('<html><head><meta name="generator" content="WordPress 6.8"></head>'
            '<body class="single single-post postid-3"><article id="post-3" class="post-3 post type-post">'
            f'<h1 class="entry-title">Title</h1><div class="entry-content">{content}</div>'
            f"</article>{after}</body></html>")
    item = extract("https://b.example/2025/01/02/title/", html)
    assert isinstance(item, Post)
    return item


@pytest.mark.parametrize("line", [
    "Share this:", "Like this:", "Like Loading...", "Loading...", "Related", "Be the first to like this.",
    "One thought on “Under the notice”", "12 thoughts on “Budget”", "Leave a Reply Cancel reply",
    "(play – click Settings at bottom right – Quality – 1080HD for more enjoyable viewing)",
    "(watch in full screen, click the HD button for better quality)", "Advertisement",
    "Copyright © 2025 Residents' Forum", "Image copyright Reuters", "By Phil Helsel",
    "By Sean Martin | Published 10:48", "Photo: Jo Bloggs", "All rights reserved.",
])
def test_furniture_lines(line: str) -> None:
    el = lxml.html.fragment_fromstring(f"<p>{line}</p>")
    assert is_furniture_text(el, line)


@pytest.mark.parametrize("line", [
    PROSE, "Related matters were deferred to the next meeting, said the chair.",
    "Share this with your neighbours: the meeting is open to all residents and starts at 7pm.",
    "Posted in the village hall window, the notice gave only a week's warning.",
    "Sign up for the consultation at the library by Friday", "Video shows the roof collapsing",
    "By the numbers", "Copyright law protects the minutes too", "Highlights of the budget debate",
])
def test_prose_is_not_furniture(line: str) -> None:
    el = lxml.html.fragment_fromstring(f"<p>{line}</p>")
    assert not is_furniture_text(el, line)


def test_posted_in_footer_needs_links() -> None:
    line = "This entry was posted in Council and tagged budget."
    plain = lxml.html.fragment_fromstring(f"<p>{line}</p>")
    linked = lxml.html.fragment_fromstring(
        '<p>This entry was posted in <a href="/c/">Council</a> and tagged <a href="/t/">budget</a>.</p>')
    assert not is_furniture_text(plain, line)
    assert is_furniture_text(linked, line)


@pytest.mark.parametrize(("text", "expected"), [
    ("Nov. 19, 2019, 8:41 AM UTC", True), ("Updated 10:43, Tue, Nov 19, 2019", True),
    ("19 November 2019", True), ("1 2 3 4 5", False), ("Meeting on 19 November about the budget", False),
])
def test_dateline(text: str, expected: bool) -> None:
    assert is_dateline(text) is expected


def test_embed_instructions_and_widgets_leave_the_body() -> None:
    post = wp_post(
        f"<p>{PROSE}</p><figure class='wp-block-embed'>"
        "<iframe src='https://www.youtube.com/embed/x'></iframe></figure>"
        "<p>(play – click Settings at bottom right – Quality – 1080HD for more enjoyable viewing)</p>"
        "<div class='sharedaddy'><h3 class='sd-title'>Share this:</h3>"
        "<ul><li><a href='?share=x'>X</a></li></ul></div>"
        "<div class='sharedaddy sd-like'><h3 class='sd-title'>Like this:</h3>"
        "<span>Like</span> <span>Loading...</span></div>"
        "<div class='social-share-buttons'><a href='https://facebook.example/share'>Facebook</a></div>"
        "<div class='author-box'><p>Jo writes about planning and has lived here since 1998.</p></div>"
        "<div class='jp-relatedposts'><h3>Related</h3>"
        "<p>Another story about the same council and its budget.</p></div>")
    assert post.text == PROSE
    assert "youtube.com/embed/x" in post.html and "Share" not in post.html


def test_tables_lists_and_breaks_in_text() -> None:
    post = wp_post(f"<p>{PROSE}<br>Second line.</p><ul><li>One</li><li>Two</li></ul>"
                   "<table><tr><th>Ward</th><th>Votes</th></tr><tr><td>North</td><td>812</td></tr></table>")
    assert post.text == f"{PROSE}\nSecond line.\n\nOne\n\nTwo\n\nWard | Votes\n\nNorth | 812"


def test_sanitize_removes_active_content_and_pixels() -> None:
    dirty = ('<p onclick="steal()" style="color:red" class="x">Hi <a href="javascript:alert(1)">bad</a> '
             '<a href="/ok">ok</a></p><script>alert(1)</script><style>p{}</style>'
             '<img src="/real.jpg" width="600"><img src="/t.gif" width="1" height="1">'
             '<img src="data:image/gif;base64,R0lGOD" data-src="/lazy.jpg">'
             '<iframe src="https://evil.example/frame"></iframe>'
             '<iframe src="https://player.vimeo.com/video/1"></iframe><svg><circle/></svg>')
    clean = html_sanitize(dirty, "https://b.example/post/")
    for banned in ("onclick", "style=", "class=", "<script", "<style", "javascript:", "t.gif",
                   "evil.example", "<svg", "data:image"):
        assert banned not in clean
    for kept in ('href="https://b.example/ok"', 'src="https://b.example/real.jpg"',
                 'src="https://b.example/lazy.jpg"', "player.vimeo.com"):
        assert kept in clean


def test_sanitize_empty_input() -> None:
    assert html_sanitize("") == "" and html_sanitize("   ") == ""


def test_classic_comments_with_text_dates_and_threading() -> None:
    html = lxml.html.document_fromstring(
        '<html><body><div id="comments"><h3>2 Responses to “Post”</h3><ol class="commentlist">'
        '<li class="comment" id="li-comment-5"><div id="comment-5"><div class="comment-author vcard">'
        '<cite class="fn">Ann</cite> <span class="says">says:</span></div>'
        '<div class="comment-meta commentmetadata"><a href="#comment-5">March 3, 2025 at 9:05 pm</a></div>'
        "<p>First point.</p><p>Second point.</p>"
        '<div class="reply"><a class="comment-reply-link" href="#">Reply</a></div></div>'
        '<ul class="children"><li class="comment" id="li-comment-6"><div id="comment-6">'
        '<div class="comment-author vcard"><cite class="fn">Bob</cite></div>'
        '<div class="comment-meta commentmetadata"><a href="#comment-6">March 4, 2025 at 8:00 am</a></div>'
        "<p>A reply.</p></div></li></ul></li></ol></div></body></html>")
    first, reply = extract_comments(html)
    assert (first.platform_id, first.author) == ("comment-5", "Ann")
    assert first.text == "First point.\n\nSecond point."
    assert first.published is not None and first.published.isoformat() == "2025-03-03T21:05:00+00:00"
    assert (reply.platform_id, reply.parent_id, reply.text) == ("comment-6", "comment-5", "A reply.")


def test_blocks_keep_link_share() -> None:
    (block,) = blocks(lxml.html.fragment_fromstring('<p>See <a href="/x">the report</a></p>'))
    assert block.text == "See the report" and block.link_chars == len("the report")

"""Body text and HTML: furniture lines removed, markup sanitized, comments threaded."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.items import Post
from crawler.pages import extract, html_sanitize
from crawler.pages.comments import extract_comments
from crawler.pages.content import falls_short
from crawler.pages.furniture import is_dateline, is_furniture_text
from crawler.pages.second_opinion import prefer_other
from crawler.pages.text import Block, blocks

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
    "Oct 18, 2019 · 8 min read", "5 min read",
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
    "It took me 5 min to read the report.",
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


# --- failure classes seen on pages of engines and themes not in the fixtures ----------------

def generic_page(body: str, head: str = "") -> str:
    return (f"<html><head><title>Budget night</title>{head}</head><body>"
            '<nav><a href="/">Home</a> <a href="/about/">About</a></nav>'
            f"{body}<footer>© The Residents' Forum</footer></body></html>")


def post_text(html: str, url: str = "https://g.example/2025/03/budget-night.html") -> str:
    item = extract(url, html)
    assert isinstance(item, Post), item
    return item.text


def test_invisible_characters_never_reach_the_text() -> None:
    word = "co\u00adop\u200ber\u200cat\u200dion\u2060\ufeff"
    text = wp_post(f"<p>{PROSE} Full {word} was promised.</p>").text
    assert "Full cooperation was promised." in text
    assert not any(ch in text for ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff")


def test_blogger_body_written_in_divs_inside_a_date_wrapper() -> None:
    # Blogger's classic template: paragraphs are <div>/<br> runs inside div.date-outer,
    # whose class word "date" looks like furniture.
    lines = "".join(f'<div style="text-align: justify;"><span>{PROSE} ({i})</span></div><br>'
                    for i in range(4))
    html = generic_page(f'<div class="date-outer"><h2 class="date-header">Monday, 3 March 2025</h2>'
                        f'<div class="post hentry"><h3 class="post-title">Budget night</h3>'
                        f'<div class="post-body entry-content">{lines}</div></div></div>'
                        '<div class="sidebar"><p>Blog archive, labels and a profile.</p></div>')
    text = post_text(html)
    assert text.count(PROSE) == 4


def test_linked_names_inside_sentences_survive_odd_classes() -> None:
    html = wp_post(f'<p>STOCKHOLM — <a class="companyRollover" href="/q/nok">Nokia</a> Corp. '
                   f'said on Monday that <span class="tooltip">the handset</span> would ship. {PROSE}</p>')
    assert "STOCKHOLM — Nokia Corp. said on Monday that the handset would ship." in html.text


def test_a_space_inside_an_empty_span_is_kept() -> None:
    text = wp_post(f'<p>{PROSE} Download it from our<a href="/d/"><span> </span>'
                   "<span>main download page</span></a>.</p>").text
    assert "from our main download page." in text


def test_body_split_over_two_containers_is_read_whole() -> None:
    part = "".join(f"<p>{PROSE} Part {i}.</p>" for i in range(3))
    html = generic_page(f'<main><div class="story-text">{part}</div>'
                        '<figure><img src="/a.jpg" alt=""></figure>'
                        f'<div class="story-text">{part.replace("Part", "Section")}</div></main>')
    text = post_text(html)
    assert "Part 2." in text and "Section 2." in text


def test_a_post_that_is_a_list_of_links_keeps_them() -> None:
    links = "".join(f'<li><a href="https://council.example/minutes/{i}">Minutes of the '
                    f"meeting of {i} March</a></li>" for i in range(1, 9))
    text = wp_post(f"<p>Reading list for the week:</p><ul>{links}</ul>").text
    assert "Minutes of the meeting of 8 March" in text


def test_slideshow_text_in_table_captions() -> None:
    slides = "".join(f'<table class="slide"><caption>Slide {i}: the new library wing, seen from '
                     f'the market square, opened in spring.</caption><tr><td><img src="/s{i}.jpg">'
                     "</td></tr></table>" for i in range(3))
    text = wp_post(f"<p>{PROSE}</p>{slides}").text
    assert "Slide 2: the new library wing, seen from the market square, opened in spring." in text


def test_body_only_in_noscript_is_read() -> None:
    # The page builds the body with a script; the noscript fallback holds the same text.
    html = generic_page('<article class="post"><h1>Budget night</h1>'
                        '<div class="post-body"><script>document.write(render())</script>'
                        f"<noscript><p>{PROSE}</p><p>{PROSE} Again.</p></noscript></div></article>")
    assert PROSE + " Again." in post_text(html)


def test_elementor_widgets_are_not_furniture() -> None:
    widgets = "".join('<div class="elementor-element elementor-widget elementor-widget-text-editor">'
                      f'<div class="elementor-widget-container"><p>{PROSE} ({i})</p></div></div>'
                      for i in range(4))
    html = generic_page('<div class="elementor elementor-42"><section class="elementor-section">'
                        f'<div class="elementor-widget-wrap">{widgets}</div></section></div>'
                        '<aside class="widget-area"><p>Recent posts and archives.</p></aside>')
    assert post_text(html).count(PROSE) == 4


def test_related_teasers_are_not_the_body() -> None:
    teasers = "".join(f'<article class="related-post"><h3><a href="/p{i}/">Other story {i}</a></h3>'
                      f"<p>{PROSE} Teaser {i}.</p></article>" for i in range(5))
    html = generic_page(f'<article class="post"><h1>Budget night</h1><div class="text">'
                        f"<p>{PROSE} Body one.</p><p>{PROSE} Body two.</p></div></article>"
                        f'<section class="more">{teasers}</section>',
                        head='<meta property="og:type" content="article">')
    text = post_text(html)
    assert "Body two." in text and "Teaser" not in text


def test_an_article_with_no_text_is_not_stored_as_an_empty_post() -> None:
    html = generic_page('<article class="post"><h1>Budget night</h1><div class="entry-content">'
                        "</div></article>",
                        head='<meta property="og:type" content="article">')
    item = extract("https://g.example/2025/03/budget-night.html", html)
    assert not isinstance(item, Post)
    assert item.reason


def test_a_body_far_shorter_than_the_rest_content_falls_short() -> None:
    full = " ".join([PROSE] * 6)
    assert falls_short("", full)
    assert falls_short(PROSE, full)
    assert not falls_short(" ".join([PROSE] * 4), full)
    assert not falls_short("", "")


def test_second_opinion_replaces_ours_only_when_empty_or_disagreeing() -> None:
    ours = [Block(f"{PROSE} Ours.", "p")]
    theirs = [Block(f"{PROSE} Theirs.", "p")]
    teaser = [Block("Will the Heat stay hot at home against the Nets? Make your pick now.", "p")]
    menu = [Block("Home About Contact", "p", link_chars=18)]
    assert not prefer_other(ours, theirs)
    assert prefer_other([], theirs)
    assert prefer_other(teaser, theirs)
    assert not prefer_other([], menu)


def test_second_opinion_inside_ours_keeps_ours() -> None:
    # trafilatura found a part of the post we found whole: both agree on where the post is.
    ours = [Block(f"{PROSE} Paragraph {i}.", "p") for i in range(8)]
    theirs = ours[:1]
    assert not prefer_other(ours, theirs)


def test_sections_with_heading_slug_ids_are_not_furniture() -> None:
    # Sphinx, MediaWiki and Markdown engines give each section the slug of its heading as id.
    sections = "".join(f'<div class="section" id="{slug}"><h2>{title}</h2><p>{PROSE} {title}.</p>'
                       f"<p>{PROSE}</p></div>"
                       for slug, title in [("setting-up-the-repositories", "Setting up the repositories"),
                                           ("sharing-with-a-single-developer", "Sharing with a single developer"),
                                           ("working-across-two-computers", "Working across two computers"),
                                           ("publishing-the-changes", "Publishing the changes"),
                                           ("what-comes-next-for-the-hub", "What comes next for the hub")])
    html = generic_page(f'<div class="document"><h1>Budget night</h1>{sections}</div>'
                        '<div class="sharing"><p>Share this on the social networks of your choice today.</p></div>')
    text = post_text(html)
    assert "Sharing with a single developer." in text and "What comes next for the hub." in text
    assert "social networks" not in text


def test_a_data_table_is_read_with_the_text_around_it() -> None:
    rows = "".join(f"<tr><td>Ward {i}</td><td>{PROSE} Ward {i} voted, after a long debate.</td></tr>"
                   for i in range(20))
    html = generic_page(f"<div><h1>Budget night</h1><p>{PROSE} Introduction.</p>"
                        f"<table><thead><tr><th>Ward</th><th>Notes</th></tr></thead><tbody>{rows}</tbody>"
                        f"</table><p>{PROSE} Conclusion.</p></div>")
    text = post_text(html)
    assert "Introduction." in text and "Ward 7 voted" in text and "Conclusion." in text


def test_body_cut_by_rules_into_sections_is_read_whole() -> None:
    def section(text: str) -> str:
        return f'<section class="s1 s2"><div class="w"><div class="inner">{text}</div></div></section><hr>'
    listing = "the clerk, the chair, the treasurer, the wardens, the residents, and the press"
    long = "".join(f"<p>{PROSE} Present were {listing}, as ever. Long {i}.</p>" for i in range(12))
    short = f"<p>{PROSE} Short part.</p><p>{PROSE}</p><p>{PROSE}</p>"
    html = generic_page(f"<article><div>{section(f'<h1>Budget night</h1>{long}')}"
                        f"{section(short)}</div></article>")
    text = post_text(html)
    assert "Long 11." in text and "Short part." in text


@pytest.mark.parametrize("heading", ["Comments", "12 Comments", "Trackback Pings", "Leave a Reply",
                                     "3 Responses to “Budget night”", "Comments (2)"])
def test_comments_printed_inside_the_post_container_are_cut(heading: str) -> None:
    # Movable Type and TypePad print comments in the post's own <div>, after a heading.
    body = "".join(f"<p>{PROSE} Body {i}.</p>" for i in range(4))
    comments = "".join(f"<p>I was at that meeting and the clerk was right, said reader {i}.</p>"
                       f'<p class="posted">Posted by: Reader {i} at April 6, 2007 1:11 PM</p>'
                       for i in range(6))
    html = generic_page(f'<div class="content"><h3>Budget night</h3>{body}<h2>{heading}</h2>{comments}</div>')
    text = post_text(html)
    assert "Body 3." in text and "reader" not in text


@pytest.mark.parametrize("heading", ["Comment", "Reactions", "Responses"])
def test_a_section_headed_comment_or_reactions_is_part_of_the_post(heading: str) -> None:
    body = "".join(f"<p>{PROSE} Body {i}.</p>" for i in range(4))
    html = generic_page(f'<div class="content"><h3>Budget night</h3>{body}<h2>{heading}</h2>'
                        f"<p>{PROSE} Our view.</p></div>")
    assert "Our view." in post_text(html)


def test_comments_known_by_id_or_schema_are_furniture() -> None:
    body = "".join(f"<p>{PROSE} Body {i}.</p>" for i in range(4))
    comments = ('<div id="c115850"><p>I was at that meeting and the clerk was wrong, said one reader.</p></div>'
                '<div itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
                "<p>I was at that meeting too and nobody asked us anything, said another.</p></div>")
    html = generic_page(f'<div class="content"><h3>Budget night</h3>{body}{comments}</div>')
    text = post_text(html)
    assert "Body 3." in text and "reader" not in text and "another" not in text


def test_later_h1_headings_inside_the_body_are_kept() -> None:
    # Medium writes every section heading of a post as an <h1>; only the title is repeated.
    body = "".join(f"<h1>Section {i} of the report</h1><p>{PROSE} Part {i}.</p>" for i in range(3))
    html = generic_page(f'<article><h1>Budget night</h1><div class="post-content">{body}</div></article>')
    text = post_text(html)
    assert "Section 2 of the report" in text and "Budget night" not in text

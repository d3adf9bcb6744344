"""Bad input gives a clear result: entities, mixed or absent terms, odd author markup,
listings of full posts, nearly empty pages, broken nesting."""

from __future__ import annotations

from crawler.items import Listing, NotAPost, Post
from crawler.pages import extract

PROSE = ("<p>The council met on Tuesday and agreed, after a long debate, to publish the "
         "consultation report in full before the summer recess.</p>")


def page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_double_escaped_metadata_title_is_unescaped_once() -> None:
    html = page('<meta property="og:title" content="Aviator &amp;#39;creator&amp;#39; in Oscars snub">'
                '<meta property="og:type" content="article">', f"<div>{PROSE * 3}</div>")
    assert extract("https://n.example/aviator/", html).title == "Aviator 'creator' in Oscars snub"


def test_literal_entity_in_a_headline_stays() -> None:
    html = page('<meta property="og:title" content="The &amp;#163;8m question">'
                '<meta property="og:type" content="article">',
                f"<article><h1>The &amp;#163;8m question</h1>{PROSE * 3}</article>")
    assert extract("https://n.example/8m/", html).title == "The &#163;8m question"


def test_labelled_term_lists_are_told_apart() -> None:
    meta = ('<p class="post-meta">Filed under: <span class="post-category"><a href="/x/council">Council</a></span>'
            ' Tags: <span class="post-tag"><a href="/x/budget">budget</a>, <a href="/x/library">library</a>'
            '</span></p>')
    html = page('<meta property="og:type" content="article">', f"<article><h1>T</h1>{PROSE * 3}{meta}</article>")
    post = extract("https://n.example/t/", html)
    assert post.categories == ["Council"] and post.tags == ["budget", "library"]


def test_in_category_and_tags_line_inside_the_article() -> None:
    body = (f'<article><h1>T</h1><p>In <a href="/topics/transport">Transport</a></p>{PROSE * 3}'
            "<p>tags: buses, depot</p></article>")
    post = extract("https://n.example/t/", page('<meta property="og:type" content="article">', body))
    assert post.categories == ["Transport"] and post.tags == ["buses", "depot"]


def test_no_terms_at_all() -> None:
    post = extract("https://n.example/t/", page('<meta property="og:type" content="article">',
                                                 f"<article><h1>T</h1>{PROSE * 3}</article>"))
    assert post.categories == [] and post.tags == []


def test_hcard_author_in_an_address() -> None:
    body = (f'<article class="h-entry"><h1>T</h1><address class="author vcard">by '
            f'<a class="fn n url" href="/about/">Grace Whitfield</a></address>{PROSE * 3}</article>')
    post = extract("https://n.example/t/", page('<meta property="og:type" content="article">', body))
    assert post.authors == ["Grace Whitfield"]


def test_author_box_link_is_not_the_author() -> None:
    body = (f'<article><h1>T</h1>{PROSE * 3}<div class="author-box"><a rel="author" href="/a/">'
            "View all posts by Jo Bloggs</a></div></article>")
    post = extract("https://n.example/t/", page('<meta property="og:type" content="article">'
                                                 '<meta name="author" content="Jo Bloggs">', body))
    assert post.authors == ["Jo Bloggs"]


def test_listing_of_full_posts_is_a_listing_whatever_its_length() -> None:
    entries = "".join(f'<article class="post"><h2><a href="/2025/0{i}/01/post-{i}/">Post {i}</a></h2>'
                      f"{PROSE * 10}</article>" for i in range(1, 4))
    item = extract("https://n.example/", page('<meta property="og:type" content="website">', entries))
    assert isinstance(item, Listing) and len(item.permalinks) == 3


def test_first_tag_page_showing_a_whole_post_is_a_listing() -> None:
    body = (f'<article><h1><a href="/2025/01/01/one/">One</a></h1>{PROSE * 10}</article>'
            '<ul><li><a href="/2024/12/01/two/">Two</a></li></ul>')
    assert isinstance(extract("https://n.example/tags/budget/", page("", body)), Listing)


def test_about_page_under_pages_is_not_a_post() -> None:
    item = extract("https://n.example/pages/about/", page("", f"<article><h1>About</h1>{PROSE * 3}</article>"))
    assert isinstance(item, NotAPost) and item.reason == "static page"


def test_nearly_empty_page_says_why() -> None:
    item = extract("https://n.example/2025/01/01/x/", page("", "<div><p>Hi</p></div>"))
    assert isinstance(item, NotAPost) and item.reason == "no article content"


def test_unclosed_div_pulling_the_post_into_the_header() -> None:
    body = (f'<header class="site-header"><div class="branding"><a href="/">Site</a>'
            f'<article class="post h-entry"><h1 class="p-name">Bridge closes</h1>'
            f'<time class="dt-published" datetime="2025-02-01T10:00:00+00:00">1 Feb</time>{PROSE * 3}'
            "</article></header>")
    post = extract("https://n.example/2025/02/01/bridge/", page('<meta property="og:type" content="article">', body))
    assert isinstance(post, Post)
    assert post.title == "Bridge closes" and "consultation report" in post.text


def test_microformat_p_category_is_filed_by_what_else_the_page_says() -> None:
    body = (f'<article class="h-entry"><h1 class="p-name">T</h1>{PROSE * 3}'
            '<a class="p-category" href="/categories/council/">Council</a>'
            '<a class="p-category" href="/tags/budget/">budget</a>'
            '<a class="p-category" href="/topics/buses/">buses</a></article>')
    post = extract("https://n.example/t/", page('<meta property="og:type" content="article">', body))
    assert post.categories == ["Council"] and post.tags == ["budget", "buses"]

"""A crawl of a non-WordPress blog (Hugo-style markup, no REST API, no sitemap), answered
offline: the generic page object and feed autodiscovery find and extract every post."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from storage.db import open_archive
from storage.models import Post
from tests.support.offline import OfflineCrawl, page_answers

TOPICS = ["the Mill Lane bus stop", "the allotment waiting list", "the library's Sunday hours",
          "the new cycle lane on Station Road", "the budget consultation", "the Brook Street flats"]


def _post(n: int, base: str) -> dict:
    when = datetime(2025, 1, 6, 9, tzinfo=timezone.utc) + timedelta(days=9 * n)
    topic = TOPICS[n]
    paragraphs = [f"Residents asked the ward councillors about {topic} at the surgery on "
                  f"{when:%d %B}; this is what we learned, number {n}.",
                  f"The officer's report on {topic} runs to {12 + n} pages and says the decision "
                  "will come back to committee after the summer.",
                  f"We will keep asking about {topic} until the answers are published in full."]
    return {"slug": f"post-{n}", "title": f"What we learned about {topic}", "when": when,
            "paragraphs": paragraphs, "url": f"{base}/posts/post-{n}/"}


def _page(title: str, body: str, extra_head: str = "") -> bytes:
    return f"""<!DOCTYPE html><html lang="en-gb"><head><meta charset="utf-8">
<title>{title} | Fenwick Ward Log</title><meta name="generator" content="Hugo 0.139.3">
<link rel="alternate" type="application/rss+xml" href="/index.xml" title="Fenwick Ward Log">{extra_head}
</head><body><header class="header"><nav><a href="/">Fenwick Ward Log</a> <a href="/tags/">Tags</a></nav></header>
<main class="main">{body}</main><footer class="footer">© 2025 Fenwick Ward Log · Powered by Hugo</footer></body></html>""".encode()


def _post_page(post: dict) -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in post["paragraphs"])
    head = (f'<link rel="canonical" href="{post["url"]}">'
            f'<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{post["when"].isoformat()}">')
    body = (f'<article class="post-single"><header class="post-header"><h1 class="post-title">'
            f'{post["title"]}</h1><div class="post-meta">Sam Okonjo</div></header>'
            f'<div class="post-content">{paras}</div><footer class="post-footer">'
            f'<ul class="post-tags"><li><a href="/tags/ward/">Ward</a></li></ul></footer></article>')
    return _page(post["title"], body, head)


def _listing(posts: list[dict], next_page: str | None) -> bytes:
    entries = "".join(
        f'<article class="post-entry"><header class="entry-header"><h2>{p["title"]}</h2></header>'
        f'<div class="entry-content"><p>{p["paragraphs"][0][:80]}…</p></div>'
        f'<a class="entry-link" aria-label="post link to {p["title"]}" href="{p["url"]}"></a></article>'
        for p in posts)
    nav = f'<footer class="page-footer"><nav class="pagination"><a class="next" href="{next_page}">Next&nbsp;»</a></nav></footer>' if next_page else ""
    return _page("Home", entries + nav)


def _feed(posts: list[dict], base: str) -> bytes:
    items = "".join(f"<item><title>{p['title']}</title><link>{p['url']}</link></item>" for p in posts)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Fenwick Ward Log</title>'
            f"<link>{base}/</link>{items}</channel></rss>").encode()


def test_generic_blog_crawl(tmp_path):
    base = "http://127.0.0.1:8000"
    posts = [_post(n, base) for n in range(6)]
    html = "text/html; charset=utf-8"
    pages = {
        "/": (_listing(posts[3:], "/page/2/"), html),
        "/page/2/": (_listing(posts[:3], None), html),
        "/index.xml": (_feed(posts[4:], base), "application/rss+xml"),
        "/tags/": (_page("Tags", '<ul class="terms-tags"><li><a href="/tags/ward/">Ward</a></li></ul>'), html),
        "/tags/ward/": (_listing(posts, None), html),
        "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain"),
        **{f"/posts/{p['slug']}/": (_post_page(p), html) for p in posts},
    }
    db = f"sqlite:///{tmp_path / 'archive.db'}"
    OfflineCrawl(db, base, page_answers(pages)).run()
    archive = open_archive(db)
    with archive.Session() as session:
        stored = {p.canonical_url: p for p in session.scalars(select(Post))}
        assert set(stored) == {p["url"] for p in posts}  # listings and tag pages are not posts
        for expected in posts:
            post = stored[expected["url"]]
            assert post.title == expected["title"]
            assert post.published == expected["when"]
            assert post.text.split("\n\n") == expected["paragraphs"]
        routes = {url: {r for u in stored[url].urls for r in u.found_via.split(",")} for url in stored}
        assert all("feed" in routes[p["url"]] for p in posts[4:])  # the autodiscovered feed
        assert all("listing" in routes[p["url"]] for p in posts)
    archive.dispose()

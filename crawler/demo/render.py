"""Render every path-addressable page of a blog into ready responses, once per site version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import feeds
from .html_lists import about_page, full_entry, listing_page, not_found_page, summary_entry
from .html_parts import esc, furniture
from .html_post import body_html, single_page
from .resource import HTML, RSS, TEXT, XML, document, redirect
from .texts import MONTHS

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from .html_parts import Furniture
    from .model import Blog, BlogPost
    from .resource import Resource, SiteOptions


@dataclass
class Rendered:
    """Static pages by path, feed pages by number, post bodies by id, and the error answers."""

    pages: dict[str, Resource] = field(default_factory=dict)
    feed_pages: dict[int, Resource] = field(default_factory=dict)
    bodies: dict[int, str] = field(default_factory=dict)
    not_found: Resource | None = None
    feed_past_end: Resource | None = None


@dataclass
class _Context:
    blog: Blog
    options: SiteOptions
    furniture: Furniture
    entries: list[BlogPost]
    bodies: dict[int, str]
    out: Rendered
    html_headers: tuple[tuple[str, str], ...]


def render_static(blog: Blog, options: SiteOptions) -> Rendered:
    """Every page that has a path of its own, rendered for ``blog.base_url``."""
    entries = blog.entries()
    out = Rendered(bodies={p.id: body_html(p) for p in entries})
    api_link = ((("Link", f'<{blog.base_url}/wp-json/>; rel="https://api.w.org/"'),) if options.rest_api else ())
    f = furniture(blog, feed=options.feed, rest_api=options.rest_api)
    ctx = _Context(blog, options, f, entries, out.bodies, out, api_link)
    _post_pages(ctx)
    _listings(ctx)
    out.pages["/about/"] = document(about_page(f, blog, blog.about), HTML, blog.about.modified, api_link)
    out.not_found = document(not_found_page(f, blog), HTML, None, status=404)
    if options.robots:
        out.pages["/robots.txt"] = document(feeds.robots_txt(blog.base_url, sitemap=options.sitemap), TEXT, None)
    if options.sitemap:
        _sitemaps(ctx)
    if options.feed:
        _feed(ctx)
    return out


def _post_pages(ctx: _Context) -> None:
    blog, entries = ctx.blog, ctx.entries
    by_category: dict[str, list[BlogPost]] = {}
    for post in blog.posts:
        by_category.setdefault(post.categories[0], []).append(post)
    for i, post in enumerate(entries):
        older = entries[i + 1] if i + 1 < len(entries) else None
        newer = entries[i - 1] if i > 0 else None
        related = _neighbours(post, by_category.get(post.categories[0], []))
        html = single_page(ctx.furniture, blog, post, ctx.bodies[post.id], related,
                           older, newer, rest_api=ctx.options.rest_api)
        last = max([post.modified, *(c.published for c in post.comments)])
        headers = (*ctx.html_headers, ("Link", f"<{blog.base_url}/?p={post.id}>; rel=shortlink"))
        ctx.out.pages[post.path] = document(html, HTML, last, headers)


def _neighbours(post: BlogPost, same: list[BlogPost]) -> list[BlogPost]:
    """Up to three posts of the same category, nearest in date (Jetpack's "Related")."""
    at = next((i for i, p in enumerate(same) if p is post), len(same))
    return [p for p in same[max(0, at - 2) : at + 3] if p is not post][:3]


def _listings(ctx: _Context) -> None:
    blog, entries = ctx.blog, ctx.entries
    _paginate(ctx, "/", "", "", entries, "home blog", full=True)
    for term in blog.categories:
        posts = [p for p in entries if term.name in p.categories]
        if posts:
            _paginate(ctx, f"/category/{term.slug}/", f"Category: <span>{esc(term.name)}</span>", term.description,
                      posts, f"archive category category-{term.slug} category-{term.id}")
    for term in blog.tags:
        posts = [p for p in entries if term.name in p.tags]
        if posts:
            _paginate(ctx, f"/tag/{term.slug}/", f"Tag: <span>{esc(term.name)}</span>", "", posts,
                      f"archive tag tag-{term.slug} tag-{term.id}")
    for author in blog.authors:
        posts = [p for p in entries if p.author_login == author.login]
        if posts:
            _paginate(ctx, f"/author/{author.login}/", f'Author: <span class="vcard">{esc(author.name)}</span>',
                      author.bio, posts, f"archive author author-{author.login} author-{author.id}")
    months: dict[tuple[int, int], list[BlogPost]] = {}
    for post in entries:
        months.setdefault((post.published.year, post.published.month), []).append(post)
    for (year, month), posts in months.items():
        _paginate(ctx, f"/{year:04d}/{month:02d}/", f"Month: <span>{MONTHS[month - 1]} {year}</span>", "",
                  posts, "archive date")


def _paginate(
    ctx: _Context, root: str, heading: str, description: str, posts: list[BlogPost], body_class: str,
    *, full: bool = False,
) -> None:
    """Write ``root``, ``root/page/2/``… with older/newer links; ``/page/1/`` redirects to ``root``."""
    base, per = ctx.blog.base_url, ctx.options.per_page
    chunks = [posts[i : i + per] for i in range(0, len(posts), per)]
    render: Callable[[BlogPost], str] = (
        (lambda p: full_entry(ctx.blog, p, ctx.bodies[p.id])) if full else (lambda p: summary_entry(ctx.blog, p))
    )
    for n, chunk in enumerate(chunks, 1):
        path = root if n == 1 else f"{root}page/{n}/"
        older = f"{base}{root}page/{n + 1}/" if n < len(chunks) else None
        newer = None if n == 1 else (f"{base}{root}" if n == 2 else f"{base}{root}page/{n - 1}/")
        html = listing_page(
            ctx.furniture, ctx.blog, url=base + path, heading=heading, description=description,
            entries=[render(p) for p in chunk], older=older, newer=newer,
            body_class=body_class if n == 1 else f"{body_class} paged paged-{n}",
        )
        ctx.out.pages[path] = document(html, HTML, max(p.modified for p in chunk), ctx.html_headers)
    ctx.out.pages[f"{root}page/1/"] = redirect(base + root)


def _sitemaps(ctx: _Context) -> None:
    """WordPress core sitemaps: an index, posts by id (≤ max per file), pages, terms, users."""
    blog, pages, size = ctx.blog, ctx.out.pages, ctx.options.sitemap_max_urls
    base = blog.base_url
    posts = sorted(blog.posts, key=lambda p: p.id)  # core sitemaps leave out protected posts
    files: list[str] = []
    for n, start in enumerate(range(0, len(posts), size), 1):
        chunk = [(p.permalink, p.modified) for p in posts[start : start + size]]
        _add_sitemap(pages, files, f"/wp-sitemap-posts-post-{n}.xml", chunk, _latest(posts[start : start + size]))
    home_mod = max(p.modified for p in blog.posts)
    _add_sitemap(pages, files, "/wp-sitemap-posts-page-1.xml",
                 [(f"{base}/", home_mod), (blog.about.permalink, blog.about.modified)], home_mod)
    for taxonomy, base_path, terms in (("category", "category", blog.categories), ("post_tag", "tag", blog.tags)):
        field = "categories" if taxonomy == "category" else "tags"
        used = [t for t in terms if any(t.name in getattr(p, field) for p in posts)]
        _add_sitemap(pages, files, f"/wp-sitemap-taxonomies-{taxonomy}-1.xml",
                     [(f"{base}/{base_path}/{t.slug}/", None) for t in used], home_mod)
    writers = [a for a in blog.authors if any(p.author_login == a.login for p in posts)]
    _add_sitemap(pages, files, "/wp-sitemap-users-1.xml", [(f"{base}/author/{a.login}/", None) for a in writers], home_mod)
    pages["/wp-sitemap.xml"] = document(feeds.sitemap_index([base + f for f in files]), XML, home_mod)
    pages["/sitemap.xml"] = redirect(f"{base}/wp-sitemap.xml")


def _add_sitemap(
    pages: dict[str, Resource], files: list[str], path: str, entries: list[tuple[str, datetime | None]],
    modified: datetime,
) -> None:
    pages[path] = document(feeds.sitemap_urlset(entries), XML, modified)
    files.append(path)


def _latest(posts: list[BlogPost]) -> datetime:
    return max(p.modified for p in posts)


def _feed(ctx: _Context) -> None:
    """``/feed/`` and its ``?paged=N`` pages, ``per_page`` items each, newest first."""
    blog, per = ctx.blog, ctx.options.per_page
    entries = ctx.entries
    for n, start in enumerate(range(0, len(entries), per), 1):
        chunk = entries[start : start + per]
        self_url = f"{blog.base_url}/feed/" + (f"?paged={n}" if n > 1 else "")
        text = feeds.rss(blog, chunk, ctx.bodies, self_url, _latest(chunk))
        ctx.out.feed_pages[n] = document(text, RSS, _latest(chunk))
    ctx.out.pages["/feed/"] = ctx.out.feed_pages[1]
    ctx.out.pages["/comments/feed/"] = document(feeds.comments_rss(blog), RSS, blog.now)
    empty = feeds.rss(blog, [], ctx.bodies, f"{blog.base_url}/feed/", blog.now)
    ctx.out.feed_past_end = document(empty, RSS, None, status=404)

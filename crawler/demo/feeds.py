"""Machine-readable discovery files: robots.txt, WordPress core sitemaps and the RSS 2.0 feed."""

from __future__ import annotations

from datetime import timezone
from email.utils import format_datetime
from html import escape
from typing import TYPE_CHECKING

from .html_parts import WP_VERSION, shown_title
from .html_lists import excerpt

if TYPE_CHECKING:
    from datetime import datetime

    from .model import Blog, BlogPost

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def robots_txt(base: str, *, sitemap: bool) -> str:
    """WordPress's virtual robots.txt, with the core sitemap announced when there is one."""
    lines = ["User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", ""]
    if sitemap:
        lines += [f"Sitemap: {base}/wp-sitemap.xml", ""]
    return "\n".join(lines)


def sitemap_index(urls: list[str]) -> str:
    items = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">{items}</sitemapindex>\n'


def sitemap_urlset(entries: list[tuple[str, datetime | None]]) -> str:
    """One ``urlset``; WordPress gives ``lastmod`` for posts and pages only."""
    items = []
    for url, lastmod in entries:
        mod = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        items.append(f"<url><loc>{escape(url)}</loc>{mod}</url>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">{"".join(items)}</urlset>\n'


def rss_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(timezone.utc))


def rss(blog: Blog, items: list[BlogPost], bodies: dict[int, str], self_url: str, built: datetime) -> str:
    """RSS 2.0 as WordPress writes it: full content in ``content:encoded``, ten items a page."""
    rendered = "".join(_item(p, bodies[p.id], blog.base_url) for p in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>{escape(blog.name)}</title>
	<atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml" />
	<link>{blog.base_url}</link>
	<description>{escape(blog.tagline)}</description>
	<lastBuildDate>{rss_date(built)}</lastBuildDate>
	<language>en-GB</language>
	<sy:updatePeriod>
	hourly	</sy:updatePeriod>
	<sy:updateFrequency>
	1	</sy:updateFrequency>
	<generator>https://wordpress.org/?v={WP_VERSION}</generator>
{rendered}</channel>
</rss>
"""


def comments_rss(blog: Blog, latest: int = 20) -> str:
    """``/comments/feed/``: the newest comments blog-wide, each linking to its post's comment."""
    found = sorted(((c, p) for p in blog.posts for c in p.comments),
                   key=lambda cp: cp[0].published, reverse=True)[:latest]
    items = "".join(
        f"""	<item>
		<title>Comment on {escape(shown_title(p))} by {escape(c.author)}</title>
		<link>{p.permalink}#comment-{c.id}</link>
		<dc:creator><![CDATA[{_cdata(c.author)}]]></dc:creator>
		<pubDate>{rss_date(c.published)}</pubDate>
		<guid isPermaLink="false">{blog.base_url}/?p={p.id}#comment-{c.id}</guid>
		<description><![CDATA[{_cdata(c.text)}]]></description>
	</item>
""" for c, p in found)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
	<title>Comments for {escape(blog.name)}</title>
	<link>{blog.base_url}</link>
	<description>{escape(blog.tagline)}</description>
{items}</channel>
</rss>
"""


def _item(post: BlogPost, body: str, base: str) -> str:
    categories = "".join(f"\t\t<category><![CDATA[{_cdata(n)}]]></category>\n" for n in [*post.categories, *post.tags])
    content = _cdata(body if not post.password else f"<p>{excerpt(post)}</p>\n")
    return f"""	<item>
		<title>{escape(shown_title(post))}</title>
		<link>{post.permalink}</link>
		<comments>{post.permalink}#respond</comments>
		<dc:creator><![CDATA[{_cdata(post.author_name)}]]></dc:creator>
		<pubDate>{rss_date(post.published)}</pubDate>
{categories}		<guid isPermaLink="false">{base}/?p={post.id}</guid>

		<description><![CDATA[{_cdata(excerpt(post))}]]></description>
		<content:encoded><![CDATA[{content}]]></content:encoded>
		<wfw:commentRss>{post.permalink}feed/</wfw:commentRss>
		<slash:comments>{len(post.comments)}</slash:comments>
	</item>
"""


def _cdata(text: str) -> str:
    """Text safe inside a CDATA section."""
    return text.replace("]]>", "]]]]><![CDATA[>")

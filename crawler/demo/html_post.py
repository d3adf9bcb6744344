"""Markup of one post: body, entry meta, Jetpack furniture, comments and the single-post page."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from .html_parts import comment_date, esc, head, json_script, long_date, page, shown_title
from .texts import VIDEO_NOTE

if TYPE_CHECKING:
    from .html_parts import Furniture
    from .model import Blog, BlogPost, Comment

PASSWORD_NOTE = "This content is password protected. To view it please enter your password below:"


def body_html(post: BlogPost) -> str:
    """The post's content as ``the_content`` prints it (also the feed and REST body)."""
    if post.password:
        return password_form(post)
    paras = [f"<p>{esc(p)}</p>\n" for p in post.paragraphs]
    if post.has_video:
        paras.insert(min(1, len(paras)), _video(post))
    return "\n".join(paras)


def password_form(post: BlogPost) -> str:
    base = post.permalink[: len(post.permalink) - len(post.path)]
    return (
        f'<form action="{base}/wp-login.php?action=postpass" class="post-password-form" method="post">'
        f"<p>{PASSWORD_NOTE}</p>"
        f'<p><label for="pwbox-{post.id}">Password: <input name="post_password" id="pwbox-{post.id}" '
        f'type="password" spellcheck="false" size="20" /></label> '
        f'<input type="submit" name="Submit" value="Enter" /></p></form>\n'
    )


def _video(post: BlogPost) -> str:
    """A YouTube embed followed by the viewing tip authors type under it."""
    video = hashlib.sha1(str(post.id).encode()).hexdigest()[:11]
    return (
        '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube '
        'wp-embed-aspect-16-9 wp-has-aspect-ratio"><div class="wp-block-embed__wrapper">\n'
        f'<iframe title="{esc(post.title)}" width="840" height="473" '
        f'src="https://www.youtube.com/embed/{video}?feature=oembed" frameborder="0" '
        'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture; web-share" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe>\n'
        f"</div></figure>\n\n<p>{esc(VIDEO_NOTE)}</p>\n"
    )


def article_class(blog: Blog, post: BlogPost) -> str:
    terms = [f"category-{blog.term(n).slug}" for n in post.categories]
    terms += [f"tag-{blog.term(n, 'post_tag').slug}" for n in post.tags]
    locked = " post-password-required" if post.password else ""
    return f"post-{post.id} post type-post status-publish format-standard{locked} hentry {' '.join(terms)}"


def posted_on(post: BlogPost) -> str:
    return (
        f'<span class="posted-on"><span class="screen-reader-text">Posted on </span>'
        f'<a href="{post.permalink}" rel="bookmark">'
        f'<time class="entry-date published" datetime="{post.published.isoformat()}">{long_date(post.published)}</time>'
        f'<time class="updated" datetime="{post.modified.isoformat()}">{long_date(post.modified)}</time></a></span>'
    )


def byline(blog: Blog, post: BlogPost) -> str:
    return (
        f'<span class="byline"><span class="author vcard">'
        f'<img alt="" src="{_gravatar(post.author_login)}" class="avatar avatar-49 photo" height="49" width="49" />'
        f'<span class="screen-reader-text">Author </span> '
        f'<a class="url fn n" href="{blog.base_url}/author/{post.author_login}/">{esc(post.author_name)}</a></span></span>'
    )


def entry_footer(blog: Blog, post: BlogPost, *, comments_link: bool) -> str:
    """"Posted in … Tagged …" with WordPress's rel values, and the comments link on listings."""
    cats = ", ".join(
        f'<a href="{blog.base_url}/category/{blog.term(n).slug}/" rel="category tag">{esc(n)}</a>' for n in post.categories
    )
    parts = [f'<span class="cat-links"><span class="screen-reader-text">Categories </span>Posted in {cats}</span>']
    if post.tags:
        tags = ", ".join(
            f'<a href="{blog.base_url}/tag/{blog.term(n, "post_tag").slug}/" rel="tag">{esc(n)}</a>' for n in post.tags
        )
        parts.append(f'<span class="tags-links"><span class="screen-reader-text">Tags </span>Tagged {tags}</span>')
    if comments_link and not post.password:
        label = _comments_label(len(post.comments), post.title)
        anchor = "#comments" if post.comments else "#respond"
        parts.append(f'<span class="comments-link"><a href="{post.permalink}{anchor}">{label}</a></span>')
    return f'<footer class="entry-footer">{" ".join(parts)}</footer>'


def _comments_label(count: int, title: str) -> str:
    hidden = f'<span class="screen-reader-text"> on {esc(title)}</span>'
    if count == 0:
        return f"Leave a comment{hidden}"
    return f"{count} Comment{'s' if count > 1 else ''}{hidden}"


def sharing(post: BlogPost) -> str:
    """Jetpack's "Share this:" buttons, appended inside the content."""
    links = "".join(
        f'<li class="share-{net}"><a rel="nofollow noopener noreferrer" data-shared="sharing-{net}-{post.id}" '
        f'class="share-{net} sd-button share-icon" href="{post.permalink}?share={net}&amp;nb=1" target="_blank" '
        f'title="Click to share on {label}"><span>{label}</span></a></li>'
        for net, label in (("twitter", "X"), ("facebook", "Facebook"), ("email", "Email"), ("print", "Print"))
    )
    return (
        '<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social '
        'sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content">'
        f'<ul>{links}<li class="share-end"></li></ul></div></div></div>'
    )


def likes(post: BlogPost) -> str:
    """Jetpack's "Like this:" placeholder, which a browser fills in with script."""
    return (
        f"<div class='sharedaddy sd-block sd-like jetpack-likes-widget-wrapper jetpack-likes-widget-unloaded' "
        f"id='like-post-wrapper-{post.id}' data-src='https://widgets.wp.com/likes/#blog_id=0&amp;post_id={post.id}' "
        f"data-name='like-post-frame-{post.id}' data-title='Like or Reblog'>"
        '<h3 class="sd-title">Like this:</h3>'
        "<div class='likes-widget-placeholder post-likes-widget-placeholder' style='height: 55px;'>"
        "<span class='button'><span>Like</span></span> <span class=\"loading\">Loading...</span></div>"
        "<span class='sd-text-color'></span><a class='sd-link-color'></a></div>"
    )


def related(blog: Blog, post: BlogPost, neighbours: list[BlogPost]) -> str:
    """Jetpack's "Related" block with three nearby posts from the same category."""
    items = "".join(
        f'<p class="jp-relatedposts-post jp-relatedposts-post{i}" data-post-id="{p.id}" data-post-format="false">'
        f'<span class="jp-relatedposts-post-title"><a class="jp-relatedposts-post-a" href="{p.permalink}" '
        f'title="{esc(p.title)}" data-origin="{post.id}" data-position="{i}">{esc(p.title)}</a></span>'
        f'<span class="jp-relatedposts-post-date">{long_date(p.published)}</span>'
        f'<span class="jp-relatedposts-post-context">In &quot;{esc(p.categories[0])}&quot;</span></p>'
        for i, p in enumerate(neighbours[:3])
    )
    return (
        "<div id='jp-relatedposts' class='jp-relatedposts' >"
        f'<h3 class="jp-relatedposts-headline"><em>Related</em></h3><div class="jp-relatedposts-items">{items}</div></div>'
    )


def comments_area(post: BlogPost) -> str:
    """The ``#comments`` section: title, threaded list, and the reply form."""
    if post.password:
        return ""
    parts = ['<div id="comments" class="comments-area">']
    if post.comments:
        count = len(post.comments)
        lead = "One thought" if count == 1 else f"{count} thoughts"
        parts.append(f'<h2 class="comments-title">{lead} on &ldquo;{esc(post.title)}&rdquo;</h2>')
        children: dict[int | None, list[Comment]] = {}
        for comment in post.comments:
            children.setdefault(comment.parent_id, []).append(comment)
        parts.append(f'<ol class="comment-list">\n{_comment_items(post, children, None, 1)}</ol><!-- .comment-list -->')
    parts.append(_reply_form(post))
    parts.append("</div><!-- .comments-area -->")
    return "\n".join(parts)


def _comment_items(post: BlogPost, children: dict[int | None, list[Comment]], parent: int | None, depth: int) -> str:
    out = []
    for n, c in enumerate(children.get(parent, [])):
        kids = children.get(c.id)
        parity = "even" if n % 2 == 0 else "odd"
        nested = f'<ul class="children">\n{_comment_items(post, children, c.id, depth + 1)}</ul><!-- .children -->\n' if kids else ""
        byauthor = " byuser bypostauthor" if c.author == post.author_name else ""
        text = "".join(f"<p>{esc(p)}</p>\n" for p in c.text.split("\n\n"))
        out.append(
            f'<li id="comment-{c.id}" class="comment{byauthor} {parity} thread-{parity} depth-{depth}{" parent" if kids else ""}">\n'
            f'<article id="div-comment-{c.id}" class="comment-body">\n'
            f'<footer class="comment-meta"><div class="comment-author vcard">'
            f'<img alt="" src="{_gravatar(c.author)}" class="avatar avatar-42 photo" height="42" width="42" />'
            f'<b class="fn">{esc(c.author)}</b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><a href="{post.permalink}#comment-{c.id}">'
            f'<time datetime="{c.published.isoformat()}">{comment_date(c.published)}</time></a></div></footer>\n'
            f'<div class="comment-content">\n{text}</div>\n'
            f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="{post.permalink}?replytocom={c.id}#respond" '
            f'data-commentid="{c.id}" data-postid="{post.id}" data-belowelement="div-comment-{c.id}" '
            f'data-respondelement="respond" aria-label="Reply to {esc(c.author)}">Reply</a></div>\n'
            f"</article>\n{nested}</li><!-- #comment-## -->\n"
        )
    return "".join(out)


def _reply_form(post: BlogPost) -> str:
    base = post.permalink[: len(post.permalink) - len(post.path)]
    return f"""<div id="respond" class="comment-respond">
<h2 id="reply-title" class="comment-reply-title">Leave a Reply <small><a rel="nofollow" id="cancel-comment-reply-link" href="{post.permalink}#respond" style="display:none;">Cancel reply</a></small></h2>
<form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
<p class="comment-notes"><span id="email-notes">Your email address will not be published.</span> <span class="required-field-message">Required fields are marked <span class="required">*</span></span></p>
<p class="comment-form-comment"><label for="comment">Comment <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>
<p class="comment-form-author"><label for="author">Name <span class="required">*</span></label> <input id="author" name="author" type="text" value="" size="30" maxlength="245" autocomplete="name" required /></p>
<p class="comment-form-email"><label for="email">Email <span class="required">*</span></label> <input id="email" name="email" type="email" value="" size="30" maxlength="100" autocomplete="email" required /></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post.id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' /></p>
</form>
</div><!-- #respond -->"""


def author_box(blog: Blog, post: BlogPost) -> str:
    author = blog.author(post.author_login)
    return f"""<div class="author-info">
<div class="author-avatar"><img alt="" src="{_gravatar(author.login)}" class="avatar avatar-42 photo" height="42" width="42" /></div>
<div class="author-description">
<h2 class="author-title"><span class="author-heading">Author:</span> {esc(author.name)}</h2>
<p class="author-bio">{esc(author.bio)} <a class="author-link" href="{blog.base_url}/author/{author.login}/" rel="author">View all posts by {esc(author.name)}</a></p>
</div></div>"""


def post_schema(blog: Blog, post: BlogPost) -> str:
    """JSON-LD as SEO plugins print it: a BlogPosting in a graph with its page and site."""
    return json_script({
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "BlogPosting",
                "@id": f"{post.permalink}#article",
                "headline": post.title,
                "datePublished": post.published.isoformat(),
                "dateModified": post.modified.isoformat(),
                "author": {"@type": "Person", "name": post.author_name, "url": f"{blog.base_url}/author/{post.author_login}/"},
                "mainEntityOfPage": {"@id": post.permalink},
                "wordCount": post.word_count,
                "commentCount": len(post.comments),
                "articleSection": post.categories,
                "keywords": post.tags,
                "inLanguage": "en-GB",
                "publisher": {"@id": f"{blog.base_url}/#organization"},
            },
            {"@type": "WebPage", "@id": post.permalink, "url": post.permalink, "name": f"{post.title} - {blog.name}"},
            {"@type": "Organization", "@id": f"{blog.base_url}/#organization", "name": blog.name, "url": f"{blog.base_url}/"},
        ],
    })


def single_page(
    f: Furniture, blog: Blog, post: BlogPost, body: str, neighbours: list[BlogPost],
    older: BlogPost | None, newer: BlogPost | None, *, rest_api: bool,
) -> str:
    """The post's own page: article with furniture, navigation and comments."""
    extra = [f"<link rel='shortlink' href='{blog.base_url}/?p={post.id}' />"]
    if rest_api:
        extra.append(f'<link rel="alternate" title="JSON" type="application/json" href="{blog.base_url}/wp-json/wp/v2/posts/{post.id}" />')
    if not post.password:
        extra.append(post_schema(blog, post))
        extra.append(f'<meta property="og:type" content="article" />\n<meta property="og:title" content="{esc(post.title)}" />')
    content = body if post.password else body + sharing(post) + likes(post) + related(blog, post, neighbours)
    main = f"""<article id="post-{post.id}" class="{article_class(blog, post)}">
<header class="entry-header"><h1 class="entry-title">{esc(shown_title(post))}</h1></header><!-- .entry-header -->
<div class="entry-meta">{posted_on(post)}{byline(blog, post)}</div>
<div class="entry-content">
{content}
</div><!-- .entry-content -->
{entry_footer(blog, post, comments_link=False)}
{author_box(blog, post)}
</article><!-- #post-{post.id} -->
{_post_nav(older, newer)}
{comments_area(post)}"""
    title = f"{esc(shown_title(post))} &#8211; {esc(blog.name)}"
    body_class = f"post-template-default single single-post postid-{post.id} single-format-standard"
    return page(f, head(f, title, post.permalink, "\n".join(extra)), body_class, main)


def _post_nav(older: BlogPost | None, newer: BlogPost | None) -> str:
    links = []
    if older:
        links.append(f'<div class="nav-previous"><a href="{older.permalink}" rel="prev"><span class="meta-nav" aria-hidden="true">Previous</span> '
                     f'<span class="post-title">{esc(shown_title(older))}</span></a></div>')
    if newer:
        links.append(f'<div class="nav-next"><a href="{newer.permalink}" rel="next"><span class="meta-nav" aria-hidden="true">Next</span> '
                     f'<span class="post-title">{esc(shown_title(newer))}</span></a></div>')
    return (
        '<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2>'
        f'<div class="nav-links">{"".join(links)}</div></nav>'
    )


def _gravatar(key: str) -> str:
    digest = hashlib.md5(key.encode(), usedforsecurity=False).hexdigest()
    return f"https://secure.gravatar.com/avatar/{digest}?s=49&amp;d=mm&amp;r=g"

"""Selectors as data: ordered fallback lists (most specific first) per field and platform."""

from __future__ import annotations

import re

# --- main content ---------------------------------------------------------------------------

# WordPress themes: classic (Twenty Ten … Seventeen, Underscores, Genesis), block themes and
# page builders. The first selector that yields enough text wins.
WORDPRESS_BODY = [
    ".entry-content",
    ".wp-block-post-content",
    ".post-content",
    ".post-entry",
    ".post-body",
    ".article-content",
    ".single-content",
    ".td-post-content",
    ".elementor-widget-theme-post-content",
    ".et_pb_post_content",
    "[itemprop='articleBody']",
]

# Blogger, Ghost, Hugo/Jekyll, Substack, Medium-ish pages and microformats, then news CMSes.
GENERIC_BODY = [
    "[itemprop='articleBody']",
    ".post-body.entry-content",
    ".post-body",
    ".gh-content",
    ".post-full-content",
    ".available-content .body.markup",
    ".e-content",
    ".entry-content",
    ".post-content",
    ".article-content",
    ".article-body",
    ".article__body",
    ".story-body",
    ".c-entry-content",
    "article .content",
]

# --- removal before text extraction ---------------------------------------------------------

# Tags whose content is never prose nor wanted in the body HTML (media is kept for the HTML;
# the sanitizer decides which embeds survive).
JUNK_TAGS = [
    "script", "style", "noscript", "template", "button", "input", "select", "textarea", "label",
    "dialog", "link", "meta", "head", "title",
]

# Page furniture known by name: WordPress core, Jetpack/Sharedaddy, popular plugins, themes.
FURNITURE = [
    "#comments", "#respond", ".comments-area", ".comment-respond", "#disqus_thread",
    ".sharedaddy", ".sd-sharing-enabled", ".sd-like", ".jp-relatedposts", "#jp-post-flair",
    ".wpl-likebox", ".wpcnt", ".post-likes-widget-placeholder", ".jetpack-likes-widget-wrapper",
    ".yarpp-related", ".crp_related", ".related-posts", ".addtoany_share_save_container",
    ".a2a_kit", ".share-buttons", ".social-share", ".sharing", ".jp-sharing-input-touch",
    ".wp-block-jetpack-subscriptions", ".jetpack_subscription_widget", ".wp-block-post-comments",
    ".wp-block-comments", ".wp-block-post-navigation-link", ".wp-block-post-terms",
    ".wp-block-post-author", ".wp-block-post-date", ".author-box", ".author-bio", ".author-info",
    ".entry-meta", ".entry-footer", ".post-meta", ".postmetadata", ".post-navigation",
    ".nav-links", ".navigation", ".screen-reader-text", ".sr-only", ".visually-hidden",
    ".wp-caption-text", "figcaption", ".post-share", ".share-this", ".shareaholic-canvas",
    ".heateor_sss_sharing_container", ".fb-like", ".twitter-share-button", ".tags-links",
    ".cat-links", ".post-tags", ".post-categories", ".comment-count", ".edit-link",
    ".gh-post-upgrade-cta", ".subscription-widget-wrap", ".post-footer",
    # Reader comments marked up as such: microformats and schema.org.
    ".u-comment", ".p-comment", "[itemprop='comment']", "[itemtype$='schema.org/Comment']",
]
# The id a platform gives one reader comment: WordPress ``comment-12``/``li-comment-12``,
# Movable Type/TypePad ``c115850``, Blogger ``c5550001`` (short ``c1`` ids name columns).
COMMENT_ITEM_ID = re.compile(r"^(?:li-)?comment-?\d+$|^c\d{4,}$", re.IGNORECASE)
# Structural tags that usually hold furniture, but sometimes wrap a whole page (ASP.NET forms).
FURNITURE_TAGS = ["nav", "aside", "footer", "form", "header"]
# A container recognised by class or tag alone is kept when it holds more than this share of
# the page's prose (paragraphs of PROSE_MIN characters or more) or half of all its text.
FURNITURE_MAX_PROSE_SHARE = 0.3
FURNITURE_MAX_SHARE = 0.5
PROSE_MIN = 40

# Class/id words that mark boilerplate containers in unknown layouts (readability-style).
# Strong words count at the start of any word of a class name (camelCase split:
# "InlineImage-imageCaption", "jp-relatedposts", "sharedaddy").
BOILERPLATE_STRONG = re.compile(
    r"(?:^|[-_ ])(?:byline|share|sharing|social|sociable|addthis|related|newsletter|"
    r"subscri|signup|sign-up|tooltip|popover|hovercard|rollover|outbrain|taboola|sponsor|"
    r"promo|advert|breadcrumb|sidebar|cookie|consent|gdpr|popup|modal|disqus|jp-post-flair|"
    r"sr-only|screen-reader|visually-hidden|recirc|trending|most-popular|more-stories|"
    r"also-read|read-more|readmore|you-may-like|recommend)",
    re.IGNORECASE,
)
# Captions and credits are dropped, but not the figure around an image they belong to.
CAPTION_CLASS = re.compile(r"(?:^|[-_ ])(?:caption|credit)", re.IGNORECASE)
# Weak words count as whole dash/underscore-separated words, unless a content word rescues.
BOILERPLATE_WEAK = re.compile(
    r"(?:^|[-_ ])(?:comments?|respond|replies|ads?|adv|dfp|widget|pagination|pager|menu|"
    r"masthead|footer|header|author|tags?|tagline|overlay|toolbar|tools|print|hidden|nav|"
    r"navigation|login|skip-link|rating|badge|video-player|cta|meta|date|timestamp|"
    r"dateline|published)(?:$|[-_ ])",
    re.IGNORECASE,
)
# Words that rescue a container from the weak pattern: it is probably the article itself.
CONTENT_CLASS = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|post|story|text|blog", re.IGNORECASE
)
# Class words that describe terms or state, not role: "tag-foo", "category-bar", "has-sidebar",
# "content-with-sidebar" (the modifier and the word after it are ignored).
TERM_CLASS = re.compile(r"^(?:tag|category|categories|post_tag|format|status|type)-", re.IGNORECASE)
STATE_WORDS = re.compile(
    r"(?:^|[-_ ])(?:no|has|with|without|and|w|hide|show|is|js|enable|enabled)[-_][a-z0-9]+",
    re.IGNORECASE)

# --- lines of furniture inside a body -------------------------------------------------------

# (pattern over a whole block's text, requires links): short blocks matching are furniture.
FURNITURE_TEXT = [
    (r"share this:?", False),
    (r"share (this )?(post|article|story)( on .*)?:?", False),
    (r"like this:?", False),
    (r"like loading\W*", False),
    (r"loading\W*", False),
    (r"be the first to like this\.?", False),
    (r"\d+ (bloggers?|people) like[sd]? this\.?", False),
    (r"related( posts| articles| stories| reading)?:?", False),
    (r"(one|no|\d+) (thoughts?|responses?|comments?|replies|reactions?) (on|to) .{0,300}", False),
    (r"leave a (reply|comment)\W*(cancel reply)?", False),
    (r"(this entry was )?posted in .{0,300}", True),
    (r"(posted )?by .{0,80} (on|in) .{0,200}", True),
    (r"tagged:? .{0,300}", True),
    (r"filed under:? .{0,300}", True),
    (r"(categories|category|tags):? .{0,300}", True),
    (r"bookmark the permalink\.?", True),
    (r"click to (share|email|print|tweet)\b.{0,100}", False),
    (r"(subscribe|sign up) (to|for) .{0,120}", True),
    (r"advertisement|sponsored( content)?", False),
    (r"(continue|keep) reading\W*.{0,120}", True),
    (r"(you (may|might) (also )?like|highlights|trending( now)?|most (read|popular)|"
     r"don'?t miss|read more|more (stories|news|from .{0,60})|recommended( for you)?|"
     r"advert|ads?|loading( content)?\W*|tags|comments?|subscribe|sign up|share|"
     r"this slideshow requires javascript\.?|tell us what you think\W*)\W*", False),
    # A byline: "By" and up to four capitalised words, perhaps followed by a short role/date.
    (r"(by|von|par|por|door|di) (?-i:[A-Z][\w'’.-]*)( (?-i:[A-Z][\w'’.-]*)){0,3}"
     r"(( and|,| \||\s[-–—]) .{0,60})?", False),
    (r"(published|updated|posted|last updated|first published|date)( on| at)?:? [^.!?]{0,60}\d.{0,20}",
     False),
    (r"(copyright|\(c\)|©).{0,100}\d{4}.{0,100}|.{0,150}all rights reserved\.?", False),
    (r"(image|photo|picture|foto|video)s?( (copyright|source|credit|courtesy)\b:?|:) .{0,80}", False),
    # A reading-time line, alone or after the date ("Oct 18, 2019 · 8 min read").
    (r"([^.!?]{0,40}[·|•–—-] ?)?\d+ ?(min|mins|minutes?)( read|( of)? reading( time)?)\W*", False),
    (r"\((play|watch|view)\b.{0,200}\b(settings|quality|hd|full ?screen)\b.{0,120}\)", False),
]
FURNITURE_TEXT_MAX = 320
# The heading that opens a reader-comment or trackback section, whatever the layout calls its
# container (old Movable Type and TypePad templates print comments in the post's own <div>):
# "Comments", "12 Responses to “…”", "Leave a Reply", "Trackback Pings", "Comments (3)". A lone
# "Comment", "Responses" or "Reactions" is left alone: articles use them as section headings.
COMMENTS_HEADING = re.compile(
    r"(?:(?:\d+|no|one|two|three)\s+)?(?:comments|trackbacks|pingbacks|trackback\s+pings)"
    r"(?:\s+so\s+far)?(?:\s*\(\d+\))?"
    r"|(?:\d+|no|one|two|three)\s+(?:comments?|responses?|replies|reply|reactions?|thoughts?)"
    r"(?:\s+so\s+far|\s+(?:on|to)\s+.{0,200})?"
    r"|(?:leave|post|add|write|submit)\s+(?:a|your)\s+(?:comment|reply|response)"
    r"|(?:reader|user|your)\s+comments|trackback|comments\s+are\s+closed\.?",
    re.IGNORECASE)
# A comment heading ends the body only when at least this much text comes before it.
COMMENTS_HEADING_AFTER = 200
# A short line made only of these words and numbers is a dateline ("Nov. 19, 2019, 8:41 AM UTC").
DATELINE_WORDS = re.compile(
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|"
    r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*|am|pm|utc|gmt|[ecmp][sd]?t|bst|cet|cest|at|on|"
    r"published|updated|posted|last|modified|\d+(st|nd|rd|th|h)?", re.IGNORECASE)
DATELINE_ANCHOR = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\d{1,2}:\d{2}", re.IGNORECASE)
DATELINE_MAX = 60  # longer blocks are prose even if they start like furniture

# --- metadata -------------------------------------------------------------------------------

# The name heading of an author box ("By Jo Bloggs", "About Jo Bloggs"): the post's author when
# no byline names one (Twenty Twenty-One prints no byline when the author has a bio).
AUTHOR_BOX_NAME = [".author-bio .author-title", ".author-info .author-title", ".author-box .author-name",
                   ".author-bio .author-name", ".author-info .author-name", ".about-author .author-name"]
# Author boxes and bios after a post: their links name the author's archive, not a byline.
AUTHOR_BOXES = [".author-info", ".author-bio", ".author-box", ".author-description", ".about-author",
                "#author-info", ".author-card", ".entry-author", ".post-author-bio", ".saboxplugin-wrap"]

# Containers showing other posts or the site: their titles, bylines and terms are not ours.
FOREIGN = [
    ".wp-block-query", ".jp-relatedposts", ".widget-area", "#secondary", ".sidebar", "aside",
    "#comments", ".comments-area",
    ".wp-block-comments", ".related-posts", ".yarpp-related", ".post-navigation", "nav",
    ".read-more-wrap", "#colophon", "#masthead", ".site-header", ".site-footer",
    *AUTHOR_BOXES,
]

# Terms sit in a post's own element or its metadata; navigation bars may hold them (MkDocs'
# ``nav.md-tags``), other posts' containers never.
FOREIGN_TERMS = [s for s in FOREIGN if s != "nav"]

WORDPRESS_TITLE = ["h1.entry-title", "h1.wp-block-post-title", ".entry-title", ".wp-block-post-title",
                   "h1.post-title", "article h1", "h1"]
GENERIC_TITLE = ["h1.post-title", "h3.post-title", "h1.entry-title", "h1.p-name", "h1.gh-article-title",
                 "h1.article-title", "h1.post-full-title", "article h1", "h1"]
TITLE_META = ["og:title", "twitter:title"]

AUTHORS = [
    ".entry-meta .author .fn", ".entry-meta .author a", ".byline .author a", ".byline .fn",
    ".byline a", ".entry-meta .author", ".post-author a", ".post-author .fn",
    ".wp-block-post-author__name", ".wp-block-post-author-name", "[rel='author']",
    "[itemprop='author'] [itemprop='name']", "[itemprop='author']", ".p-author .p-name",
    ".p-author", ".author-name", ".gh-article-author-name", ".g-profile",
    # hCard bylines: <address class="author vcard"><a class="fn n url">Name</a></address>
    ".vcard.author .fn", "address.author .fn", ".author.vcard", "address.vcard",
]
# Post metadata some engines print beside the article (MkDocs Material's sidebar profile).
PAGE_AUTHORS = [".md-post__authors .md-profile__description strong", ".md-post__authors img[alt]"]
# Link texts of author boxes and bios: never a name ("View all posts by Jo", "About the author").
AUTHOR_BIO_TEXT = re.compile(
    r"\b(view|see|read|browse|more)\b.{0,20}\b(posts?|articles?|entries|stories)\b|"
    r"\b(posts|articles|entries) by\b|\babout the author\b|\bauthor archive\b", re.IGNORECASE)
# Theme bylines name the WordPress user exactly (Twenty Ten … Twenty Twenty-Five, Underscores).
WORDPRESS_AUTHORS = [
    ".entry-meta .author .fn", ".entry-meta .author a", ".byline .author a", ".byline .fn",
    ".byline a", ".entry-meta .author", ".post-author a", ".post-author .fn",
    ".wp-block-post-author__name", ".wp-block-post-author-name", "a[rel='author']",
]
AUTHOR_META = ["author", "article:author", "dc.creator", "parsely-author", "sailthru.author"]

CATEGORIES = [
    ".cat-links a", ".entry-categories a", ".post-categories a",
    ".wp-block-post-terms.taxonomy-category a", "a[rel~='category']",
]
# rel="tag" alone: WordPress marks category links rel="category tag".
TAGS = [
    ".tags-links a", ".entry-tags a", ".post-tags a", ".wp-block-post-terms.taxonomy-post_tag a",
    "a[rel='tag']", ".post-labels a", ".gh-article-tag", ".p-category",
]

PUBLISHED_META = [
    "article:published_time", "og:article:published_time", "datepublished", "date",
    "dc.date", "dc.date.issued", "pubdate", "publish-date", "sailthru.date", "parsely-pub-date",
]
MODIFIED_META = ["article:modified_time", "og:updated_time", "datemodified", "last-modified"]
PUBLISHED_TIME = [
    "time.entry-date.published", ".entry-date.published", "time.published", "abbr.published",
    "[itemprop='datePublished']", ".wp-block-post-date time", ".dt-published",
    "time.entry-date", "article time[datetime]", "time[datetime]", ".posted-on .entry-date",
    ".date-header span", ".post-date", ".entry-date",
]
MODIFIED_TIME = ["time.updated", "abbr.updated", "[itemprop='dateModified']", ".dt-updated"]
PLATFORM_ID_META = ["postid", "blogger:postid"]

# --- comments -------------------------------------------------------------------------------

COMMENT_ITEMS = [
    ".comment-list li.comment", ".commentlist li.comment", ".wp-block-comment-template li.comment",
    ".comment-thread li.comment", "li.comment", "#comments .comment-block", "article.comment",
]
COMMENT_AUTHOR = [".comment-author .fn", ".comment-author cite", ".wp-block-comment-author-name",
                  ".comment-meta .fn", ".comment-author", ".user", "cite.user"]
COMMENT_TEXT = [".comment-content", ".wp-block-comment-content", ".comment-text",
                ".comment-body"]
COMMENT_TIME = [".comment-metadata time", ".comment-meta time", ".wp-block-comment-date time",
                "time[datetime]", ".comment-metadata a", ".comment-meta a", ".datetime a",
                ".comment-timestamp"]
COMMENT_FURNITURE = [".reply", ".comment-reply-link", ".comment-metadata", ".comment-meta",
                     ".comment-author", ".sd-like", ".wpl-likebox", ".comment-likes",
                     ".says", ".edit-link", ".jetpack-comment-likes-widget-wrapper",
                     ".comment-actions", ".comment-footer", ".wp-block-comment-reply-link",
                     ".wp-block-comment-edit-link", ".wp-block-comment-author-name",
                     ".wp-block-comment-date", ".avatar", ".comment-header", ".datetime", ".user"]

# --- listings -------------------------------------------------------------------------------

LISTING_ITEMS = ["article", ".hentry", ".post", ".type-post", ".wp-block-post", ".post-outer",
                 ".post-card", ".h-entry"]
PERMALINK = [".entry-title a[href]", ".post-title a[href]", ".wp-block-post-title a[href]",
             "a[rel~='bookmark'][href]", "h2 a[href]", "h3 a[href]", ".post-card-content-link",
             # Themes that cover the whole card with one link (Hugo PaperMod's .entry-link),
             # or give the address only as "Continue reading"; else the block's first link.
             "a.entry-link[href]", "a.more-link[href]", ".read-more a[href]", "a[href]"]
NEXT_PAGE = [
    "link[rel~='next']", "a[rel~='next']", ".nav-previous a", ".next.page-numbers",
    ".wp-block-query-pagination-next", ".blog-pager-older-link", ".older-posts",
    ".pagination .next", ".nav-links a.next", "a.next",
]
NEXT_PAGE_TEXT = re.compile(
    r"^\W*(older (posts|entries)|next( page)?|more posts|load more|previous (posts|entries))\W*$",
    re.IGNORECASE,
)
PAGE_URL = re.compile(r"/page/\d+/?$|[?&](paged|page)=\d+")

# --- body HTML ------------------------------------------------------------------------------

# Embeds kept in the sanitized body; every other iframe is dropped.
EMBED_HOSTS = (
    "youtube.com", "youtube-nocookie.com", "youtu.be", "player.vimeo.com", "dailymotion.com",
    "w.soundcloud.com", "open.spotify.com", "archive.org", "bandcamp.com", "player.ted.com",
)
# Hosts that serve only tracking pixels.
PIXEL_HOSTS = ("pixel.wp.com", "stats.wp.com", "www.facebook.com/tr", "pixel.quantserve.com",
               "b.scorecardresearch.com", "sb.scorecardresearch.com")
LAZY_SRC = ("data-src", "data-lazy-src", "data-original", "data-orig-src", "data-url")
LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
COMMENT_LINE_FURNITURE = re.compile(
    r"^(like|liked by \d+ (person|people)|reply|report|edit|loading\W*|\d+ likes?)$", re.IGNORECASE)

# --- WordPress ------------------------------------------------------------------------------

WP_POST_ID = [
    ("article[id^='post-']", re.compile(r"^post-(\d+)$"), "id"),
    ("body[class*='postid-']", re.compile(r"\bpostid-(\d+)\b"), "class"),
    ("link[rel~='shortlink']", re.compile(r"[?&]p=(\d+)"), "href"),
    ("link[rel~='alternate'][href*='/wp/v2/posts/']", re.compile(r"/wp/v2/posts/(\d+)"), "href"),
    ("[class*='post-']", re.compile(r"(?:^|\s)post-(\d+)(?:\s|$)"), "class"),
]
# Body classes WordPress gives archive-like views (home is the blog home unless "page" is set).
WP_LISTING_CLASSES = frozenset({"home", "blog", "archive", "category", "tag", "date", "search",
                                "search-results", "paged", "tax", "post-type-archive"})
WP_GENERATOR = re.compile(r"wordpress", re.IGNORECASE)
WP_MARKERS = ["link[rel='https://api.w.org/']", "link[href*='/wp-json/']",
              "link[href*='/wp-content/']", "script[src*='/wp-content/']",
              "script[src*='/wp-includes/']", "link[href*='/wp-includes/']"]

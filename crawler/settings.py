"""Scrapy settings for civic-archive crawls: polite by default, overridable per site and by -s."""

from __future__ import annotations

BOT_NAME = "civic-archive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Where posts go: a path or SQLAlchemy URL; empty means CIVIC_ARCHIVE_DB, then the default file.
CIVIC_ARCHIVE_DB = ""
# Who to contact about the crawler; it is put in the User-Agent so site owners can reach you.
CIVIC_ARCHIVE_CONTACT = "https://github.com/civic-archive/civic-archive"
USER_AGENT = f"civic-archive/0.1 (+{CIVIC_ARCHIVE_CONTACT})"

# Politeness: small civic sites run on cheap hosting.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Longest Retry-After (seconds) a 429/503 may ask us to wait before we give the URL up.
RETRY_AFTER_MAX = 300

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 15 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
# Gone posts must reach the spider so they can be marked gone, not silently dropped;
# 304 answers a conditional GET of an unchanged page.
HTTPERROR_ALLOWED_CODES = [304, 404, 410]
# No overall depth limit: a blog's pagination can be hundreds of pages deep. Traps are cut
# by page number (CIVIC_ARCHIVE_MAX_PAGE) and by link hops between non-post pages.
DEPTH_LIMIT = 0
# Listing and feed page numbers above this are treated as a crawl trap.
CIVIC_ARCHIVE_MAX_PAGE = 500
# Links followed through at most this many pages in a row that are not posts.
CIVIC_ARCHIVE_MAX_LINK_HOPS = 8
# Processes that read pages beside the crawl (crawler/extraction_pool.py); 0 reads them in
# the crawl's own thread (no gain where no core is idle: see the README).
CIVIC_ARCHIVE_EXTRACT_WORKERS = 1

ITEM_PIPELINES = {"crawler.pipelines.PostPipeline": 300}
# The scope check comes first (before robots.txt at 100) and sees every request again after
# a redirect, meta refresh or retry, since those are new requests through this chain.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.ScopeMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.SharedRobotsTxtMiddleware": 100,
    "crawler.middlewares.RetryAfterMiddleware": 555,
    "crawler.middlewares.CaptureMiddleware": 950,
}
# A page answered with an empty or garbage body is retried from the callback with Scrapy's
# get_retry_request, which carries the retry count (and a redirect's chain) on purpose.
META_COPY_WARN_SKIP_KEYS = ["retry_times", "redirect_urls", "redirect_times", "redirect_ttl",
                            "redirect_reasons"]
# A blog is read over http(s) only: no handler for file:, data:, ftp: or s3: URLs at all.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
EXTENSIONS = {"scrapy.extensions.telnet.TelnetConsole": None,
              "crawler.progress.Progress": 500,
              "crawler.site_identity_extension.SiteIdentityExtension": 510}
# Page requisites kept with each post: images in the post, then stylesheets, scripts and
# fonts; each kind can be turned off. Only the blog's hosts, their subdomains, known upload
# and CDN hosts and CIVIC_ARCHIVE_REQUISITE_HOSTS are fetched; files over MAX_BYTES and
# anything past a site's BUDGET (bytes stored per crawl) are skipped with that reason.
CIVIC_ARCHIVE_REQUISITE_IMAGES = True
CIVIC_ARCHIVE_REQUISITE_STYLESHEETS = True
CIVIC_ARCHIVE_REQUISITE_SCRIPTS = True
CIVIC_ARCHIVE_REQUISITE_FONTS = True
CIVIC_ARCHIVE_REQUISITE_HOSTS: list[str] = []
CIVIC_ARCHIVE_REQUISITE_MAX_BYTES = 20 * 2**20
CIVIC_ARCHIVE_REQUISITE_BUDGET = 500 * 2**20
# Name and describe a site as the blog does (REST root, og:site_name, feed) unless --name was given.
CIVIC_ARCHIVE_SITE_IDENTITY = True
# A live progress line on stderr; the CLI turns it on when stderr is a terminal.
CIVIC_ARCHIVE_PROGRESS = False

LOG_LEVEL = "INFO"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

"""Running site crawls in this process: settings assembly and the Scrapy process."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.extraction_pool import ExtractionPool
from crawler.site_writer import IndexCache
from crawler.spiders.blog import BlogSpider

logger = logging.getLogger(__name__)

# Settings fit for a crawl of a server on this machine: no politeness delay needed.
LOOPBACK_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                     "CONCURRENT_REQUESTS_PER_DOMAIN": 8}


@dataclass
class CrawlTarget:
    url: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    aliases: Sequence[str] = ()


def project_settings(db_url: str, overrides: Mapping[str, Any] = ()) -> Settings:
    """The crawler's defaults (``crawler.settings``) with the archive and overrides applied."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("CIVIC_ARCHIVE_DB", db_url, priority="cmdline")
    contact = dict(overrides).get("CIVIC_ARCHIVE_CONTACT")
    if contact and "USER_AGENT" not in dict(overrides):
        settings.set("USER_AGENT", f"civic-archive/0.1 (+{contact})", priority="cmdline")
    settings.update(dict(overrides), priority="cmdline")
    return settings


def run_crawls(base: Settings, targets: Sequence[CrawlTarget],
               overrides: Mapping[str, Any] = (), *, full: bool = False) -> None:
    """Crawl every target in one Scrapy process (the reactor starts once per process).

    Each site gets its own settings: project defaults, then the site's stored settings,
    then ``overrides`` (``-s NAME=VALUE`` on the command line) on top.
    """
    base = base.copy()
    base.update(dict(overrides), priority="cmdline")
    # The CLI owns logging (levels from -v/-q); Scrapy adds no root handler of its own.
    base.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(base)
    # Sites crawled together share one dedupe index, loaded once, and one pool of extraction
    # workers, for as long as this call.
    indexes = IndexCache()
    extraction = ExtractionPool(base.getint("CIVIC_ARCHIVE_EXTRACT_WORKERS"))
    for target in targets:
        # A site's stored settings ride in as the spider's custom_settings, which Scrapy
        # ranks above the project's defaults and below the command line's.
        spidercls = type(BlogSpider.__name__, (BlogSpider,),
                         {"custom_settings": dict(target.settings)})
        process.crawl(spidercls, url=target.url, aliases=",".join(target.aliases), full=full,
                      index_cache=indexes, extraction_pool=extraction)
    try:
        process.start()
    finally:
        extraction.close()

"""Item pipeline: hand each item to the archive in one unit of work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scrapy.exceptions import DropItem

from crawler.items import AliasItem, GoneItem, PostItem
from crawler.site_writer import SiteWriter

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class PostPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PostPipeline:
        return cls(crawler)

    def process_item(self, item):  # noqa: ANN001, ANN201 - Scrapy item protocol
        if not isinstance(item, (PostItem, AliasItem, GoneItem)):
            raise DropItem(f"not an archive item: {type(item).__name__}")
        if isinstance(item, PostItem) and not (item.post.title or item.post.text).strip():
            raise DropItem(f"empty post: {item.post.url}")
        SiteWriter.for_crawler(self.crawler).save(item)
        return item

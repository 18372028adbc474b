"""The items the spider yields: the crawl's records, defined once in archive.records."""

from __future__ import annotations

from archive.records import (
    AttachmentItem,
    CategoryItem,
    CrawlErrorItem,
    ImageItem,
    PageItem,
    PageStatusItem,
)

__all__ = ["AttachmentItem", "CategoryItem", "CrawlErrorItem", "ImageItem", "PageItem", "PageStatusItem"]

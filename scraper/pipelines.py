"""validate → normalise → store. Nothing is lost silently: a dropped item becomes a crawl_errors row.

The store pipeline keeps the run's counters, which the progress extension reads.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import nh3
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.normalize.dates import to_iso
from archive.normalize.text import clean_text
from archive.records import PAGE_KINDS
from archive.store import ArchiveStore, NotThisSite
from scraper.items import (
    AttachmentItem,
    CategoryItem,
    CrawlErrorItem,
    ImageItem,
    PageItem,
    PageStatusItem,
)
from scraper.session import CrawlSession, session_of

logger = logging.getLogger(__name__)

_HTML_TAGS = set(nh3.ALLOWED_TAGS) - {"nav", "header", "footer", "aside", "map", "area"}
_HTML_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"rowspan", "colspan", "align"},
    "th": {"rowspan", "colspan", "align", "scope"},
}


def sanitize_html(html: str | None) -> str | None:
    """No script, no event handlers, no javascript: links; tables, images and links kept."""
    if not html:
        return None
    cleaned = nh3.clean(
        html,
        tags=_HTML_TAGS,
        clean_content_tags={"script", "style", "noscript", "template", "iframe", "object"},
        attributes=_HTML_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
    return cleaned.strip() or None


class ValidatePipeline:
    """Drops items that would make bad rows, counting the failures per field."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.drops: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem):
            return item
        problems = []
        if not clean_text(item.title):
            problems.append("title")
        if not item.category:
            problems.append("category")
        if item.kind not in PAGE_KINDS:
            problems.append("kind")
        if not item.url.startswith(("http://", "https://")):
            problems.append("url")
        if not problems:
            return item
        self.drops.update(problems)
        if self.crawler.stats:
            for field in problems:
                self.crawler.stats.inc_value(f"tdkt/dropped/{field}")
        reason = "invalid item: missing or bad " + ", ".join(problems)
        session = session_of(self.crawler)
        session.store.record_error(session.run_id, item.url, item.http_status, reason)
        raise DropItem(reason)


class NormalizePipeline:
    """Clean text, the ISO date from the raw one, sanitised body HTML."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, CategoryItem):
            item.name = clean_text(item.name) or item.name
            item.parent = clean_text(item.parent)
        if not isinstance(item, PageItem):
            return item
        item.title = clean_text(item.title) or ""
        for name in ("section", "published_raw", "summary", "source"):
            setattr(item, name, clean_text(getattr(item, name)) or None)
        item.metadata = {clean_text(k) or k: clean_text(v) or v for k, v in item.metadata.items()}
        item.tables = [[[clean_text(c) or "" for c in row] for row in table] for table in item.tables]
        item.published_at = to_iso_or_none(item.published_raw, item.published_order)
        item.body_html = sanitize_html(item.body_html)
        return item


def to_iso_or_none(raw: str | None, order: str) -> str | None:
    if not raw:
        return None
    try:
        return to_iso(raw, order=order)
    except Exception as exc:  # an unreadable date stays NULL; the raw text is kept
        logger.warning("date %r not readable: %s", raw, exc)
        return None


class StorePipeline:
    """Writes through archive.store (the only writer) and counts what happened."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.counts: Counter[str] = Counter()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    @property
    def session(self) -> CrawlSession:
        return session_of(self.crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        session = self.session
        store, run_id = session.store, session.run_id
        try:
            self._store(store, run_id, item)
        except NotThisSite as exc:  # the spider asks only the site; an item from elsewhere is recorded
            store.record_error(run_id, getattr(item, "url", "?"), None, str(exc))
            self.counts["errors"] += 1
        return item

    def _store(self, store: ArchiveStore, run_id: int | None, item: Any) -> None:
        if isinstance(item, PageItem):
            _page_id, outcome = store.save_page(item, run_id)
            self.counts[outcome] += 1
        elif isinstance(item, AttachmentItem | ImageItem):
            kind = "files" if isinstance(item, AttachmentItem) else "images"
            try:
                if isinstance(item, AttachmentItem):
                    outcome = store.save_attachment(item, run_id)
                else:
                    outcome = store.save_image(item, run_id)
            except LookupError as exc:
                store.record_error(run_id, item.url, None, f"file without a stored page: {exc}")
                self.counts["errors"] += 1
            else:
                self.counts[kind] += 1
                self.counts[f"{kind}_{outcome}"] += 1
        elif isinstance(item, CategoryItem):
            store.save_category(item)
        elif isinstance(item, PageStatusItem):
            if item.status == 304:
                store.touch_page(item.url, run_id)
                self.counts["unchanged"] += 1
            else:
                store.mark_removed(item.url, run_id, item.status, at=item.at)
                self.counts["removed"] += 1
        elif isinstance(item, CrawlErrorItem):
            store.record_error(run_id, item.url, item.status, item.reason)
            self.counts["errors"] += 1
            logger.warning("crawl error %s %s: %s", item.status, item.url, item.reason)

"""The records a crawl produces and the one list of the columns each becomes.

The spider yields these (as cleaned text exactly as on the page, plus where it came from); the pipelines
validate and normalise them; `archive.store` writes them, and `bench/bulkload.py` writes the very same
columns. A field added here reaches a column in one edit: `PAGE_CONTENT` and `page_content`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

# Every kind of item; decided from the menu label (scraper/site_profile.py maps labels to these).
PAGE_KINDS = frozenset(
    {
        "news",
        "notice",
        "legal_text",
        "award_decision",
        "movement",
        "guidance",
        "qa",
        "consultation",
        "video",
        "about",
    }
)


@dataclass
class CategoryItem:
    slug: str
    name: str
    parent: str | None
    url: str
    kind: str


@dataclass
class PageItem:
    url: str  # as fetched, canonical: no fragment, no tracking parameters
    category: str  # first path segment of the URL (the page's own slug for static pages)
    kind: str
    title: str
    site_id: int | None = None
    section: str | None = None  # breadcrumb / section label as shown
    published_raw: str | None = None  # the text the date was read from, label included
    published_order: str = "DMY"  # "MDY" only for machine timestamps (list boxes of the ASP.NET kind)
    published_at: str | None = None  # filled by the normalising pipeline, never by the spider
    summary: str | None = None
    body_text: str | None = None
    body_html: str | None = None  # sanitised in the pipeline
    source: str | None = None  # "Báo Thái Bình" from "Theo: Báo Thái Bình"
    images: list[str] = field(default_factory=list)  # absolute URLs of the article's images
    attachment_urls: list[tuple[str, str | None]] = field(default_factory=list)  # (url, link text)
    metadata: dict[str, str] = field(default_factory=dict)  # visible label -> value ("Số ký hiệu": ...)
    tables: list[list[list[str]]] = field(default_factory=list)  # body tables: rows of cell texts
    encoding: str | None = None
    http_status: int = 200
    http_etag: str | None = None
    http_last_modified: str | None = None
    fetched_at: str | None = None  # when the answer was captured: now, or the web archive's capture time
    capture_id: int | None = None  # captures.id when the answer came from a web archive (tdkt import)


@dataclass
class AttachmentItem:
    page_url: str
    url: str
    filename: str | None  # original name, metadata only: never used as a path
    content_type: str | None
    body: bytes = field(repr=False, default=b"")
    fetched_at: str | None = None
    capture_id: int | None = None  # captures.id when the bytes came from a web archive (tdkt import)


@dataclass
class ImageItem:
    """The bytes of an image an article shows, downloaded like an attachment."""

    page_url: str
    url: str
    content_type: str | None
    body: bytes = field(repr=False, default=b"")
    fetched_at: str | None = None
    capture_id: int | None = None  # captures.id when the bytes came from a web archive (tdkt import)


@dataclass
class CrawlErrorItem:
    url: str
    status: int | None
    reason: str


@dataclass
class PageStatusItem:
    """A known page answered without content: 304 (still there, unchanged) or 404/410 (gone)."""

    url: str
    status: int
    at: str | None = None  # when the site answered so; None: now (a web archive's capture time on import)


# The columns of `pages` that a page's record fills (the others are the archive's bookkeeping: keys,
# clocks, digests). `page_versions` keeps the fields a reader sees, taken from the record the same way.
PAGE_CONTENT = (
    "site_id",
    "category",
    "section",
    "kind",
    "title",
    "published_at",
    "published_raw",
    "summary",
    "body_text",
    "body_html",
    "source",
    "images",
    "metadata_json",
    "encoding",
)
PAGE_VALIDATORS = ("http_etag", "http_last_modified")
VERSIONED_FIELDS = ("title", "published_at", "published_raw", "summary", "body_text", "body_html")


def page_content(item: PageItem) -> dict[str, Any]:
    """The `PAGE_CONTENT` columns of a page's row, from its record."""
    return {
        "site_id": item.site_id,
        "category": item.category,
        "section": item.section,
        "kind": item.kind,
        "title": item.title,
        "published_at": item.published_at,
        "published_raw": item.published_raw,
        "summary": item.summary,
        "body_text": item.body_text,
        "body_html": item.body_html,
        "source": item.source,
        "images": json.dumps(item.images, ensure_ascii=False) if item.images else None,
        "metadata_json": json.dumps(item.metadata, ensure_ascii=False) if item.metadata else None,
        "encoding": item.encoding,
    }


def page_validators(item: PageItem) -> dict[str, Any]:
    return {"http_etag": item.http_etag, "http_last_modified": item.http_last_modified}


def version_content(item: PageItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in VERSIONED_FIELDS}


def content_digest(item: PageItem) -> str:
    """A digest of what the page says, not of its bytes: sidebars and counters change on every visit.

    The store digests the record at the site's canonical origin (`SiteIdentity.canonical_page`), so the
    same page fetched from another address of the site digests the same.
    """
    payload = [
        item.title,
        item.published_raw,
        item.summary,
        item.body_text,
        item.body_html,
        item.source,
        sorted(url for url, _ in item.attachment_urls),
        sorted(item.metadata.items()),
    ]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()

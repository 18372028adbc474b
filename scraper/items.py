"""Items: what the spider found, as cleaned text exactly as on the page, plus where it came from.

The spider yields these; pipelines validate and normalise them; archive.store writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class CategoryItem:
    slug: str
    name: str
    parent: str | None
    url: str
    kind: str


@dataclass
class PageItem:
    url: str  # canonical: no fragment, no tracking parameters
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
    images: list[str] = field(default_factory=list)
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
